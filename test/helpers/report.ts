/** Narrowing report layers in tests: a wrong kind fails the test with the kind found, instead of reading undefined. */
import assert from 'node:assert/strict';
import type { EnvelopedLayerReport, LayerReport, SignedLayerReport, SignerReport } from '../../src/core/smime/report';

export function asSigned(layer: LayerReport | undefined): SignedLayerReport {
  assert.equal(layer?.kind, 'signed', 'expected a signed layer');
  return layer as SignedLayerReport;
}

export function asEncrypted(layer: LayerReport | undefined): EnvelopedLayerReport {
  assert.ok(layer?.kind === 'enveloped' || layer?.kind === 'authEnveloped', `expected an encrypted layer, got ${layer?.kind}`);
  return layer as EnvelopedLayerReport;
}

/** The signers of the signed layers among `layers` (none for other kinds). */
export function signersOf(layers: LayerReport | LayerReport[] | undefined): SignerReport[] {
  const list = layers === undefined ? [] : Array.isArray(layers) ? layers : [layers];
  return list.flatMap((l) => (l.kind === 'signed' ? l.signers : []));
}
