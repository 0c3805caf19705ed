/**
 * The report as one typed surface: layers narrowed on `kind` carry the status the core computed, and certificates
 * are described once, in the report's registry, by their SHA-256 fingerprint. OpenSSL signs the messages and
 * computes the fingerprints the ids are checked against.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeMessage, type AnalysisResult } from '../../../src/core/smime/analyze';
import { layerStatus } from '../../../src/core/smime/layers';
import { REPORT_SCHEMA, type LayerReport, type SecurityReport } from '../../../src/core/smime/report';
import { signerCertificate, signerName } from '../../../src/core/smime/reportLookup';
import type { Certificate } from '../../../src/core/x509/certificate';
import { multipartSigned, sampleTextEntity, wrapMessage } from '../../helpers/mime';
import { opensslEncrypted, opensslSigned, runOpenssl } from '../../helpers/openssl';
import { sharedTestPki, workFile, type TestIdentity, type TestPki } from '../../helpers/pki';
import { asEncrypted, asSigned, signersOf } from '../../helpers/report';
import { certificatesIn, identityFrom } from '../../helpers/certFiles';

let pki: TestPki;
let anchors: Certificate[];

/** What OpenSSL says the certificate's SHA-256 fingerprint is ("sha256 Fingerprint=AB:CD:..."). */
function opensslFingerprint(pemFile: string): string {
  const r = runOpenssl(['x509', '-in', pemFile, '-noout', '-fingerprint', '-sha256']);
  assert.ok(r.ok, r.stderr);
  const match = /Fingerprint=([0-9A-F:]+)/i.exec(r.stdout);
  assert.ok(match, r.stdout);
  return match[1].toUpperCase();
}

/** A multipart/signed message with one SignerInfo per signer (OpenSSL), shipping the intermediate and `extra`. */
function signedByAll(signers: TestIdentity[], extra: string[] = []): Buffer {
  const content = sampleTextEntity();
  const input = workFile(pki, 'registry-content.bin', content);
  const out = workFile(pki, 'registry-signed.der');
  // OpenSSL takes one -certfile: the intermediates and the extra certificates go into one file.
  const certfile = workFile(pki, 'registry-certs.pem', [signers[0].chain, ...extra].map((f) => readFileSync(f, 'latin1')).join('\n'));
  const args = ['cms', '-sign', '-binary', '-in', input, '-md', 'sha256', '-outform', 'DER', '-out', out, '-certfile', certfile];
  for (const s of signers) args.push('-signer', s.cert, '-inkey', s.key);
  const r = runOpenssl(args);
  assert.ok(r.ok, r.stderr);
  const signed = multipartSigned(content, readFileSync(out), 'sha256');
  return wrapMessage({ from: `Alice <${signers[0].email}>`, to: 'bob@example.com', subject: 'registry' }, signed);
}

function analyze(message: Buffer, extra: Parameters<typeof analyzeMessage>[1] = {}): AnalysisResult {
  return analyzeMessage(message, { anchors, ...extra });
}

/** Every id a signer refers to, in order of appearance. */
function referencedIds(report: SecurityReport): string[] {
  return signersOf(report.layers).flatMap((s) => [...(s.certificate ? [s.certificate] : []), ...s.chain]);
}

before(async () => {
  pki = await sharedTestPki();
  anchors = certificatesIn([pki.root.cert]).certs;
});

describe('layers are a union on kind, with the status the core computed', () => {
  test('a signed layer narrows to form, checks, signers and canonicalized; its status is layerStatus of it', () => {
    const report = analyze(wrapMessage({ from: `Alice <${pki.users.alice.email}>`, to: 'bob@example.com', subject: 's' }, opensslSigned(pki, pki.users.alice, sampleTextEntity()))).report;
    const layer: LayerReport = report.layers[0];
    // @ts-expect-error: only a layer narrowed to 'signed' has signers
    assert.ok(layer.signers);
    if (layer.kind !== 'signed') return assert.fail(`expected signed, got ${layer.kind}`);
    assert.equal(layer.form, 'detached');
    assert.equal(layer.canonicalized, false);
    assert.ok(layer.checks.some((c) => c.id === 'signer-count' && c.status === 'pass'));
    assert.equal(layer.status, 'valid');
    assert.equal(layer.status, layerStatus(layer));
    assert.equal(report.verdict, 'valid', report.summary);
  });

  test('a signed layer with a broken digest is invalid in its status, not only in the verdict', () => {
    const signed = opensslSigned(pki, pki.users.alice, sampleTextEntity('Amount: 100 EUR'));
    const tampered = Buffer.from(signed.toString('latin1').replace('100 EUR', '900 EUR'), 'latin1');
    const report = analyze(wrapMessage({ from: `Alice <${pki.users.alice.email}>`, to: 'bob@example.com', subject: 's' }, tampered)).report;
    assert.equal(asSigned(report.layers[0]).status, 'invalid');
    assert.equal(report.verdict, 'invalid');
  });

  test('an encrypted layer narrows to decrypted, contentEncryption and recipients; status says whether it was opened', () => {
    const message = wrapMessage({ from: 'Alice <alice@example.com>', to: 'bob@example.com', subject: 'e' }, opensslEncrypted(pki, [pki.users.bob], sampleTextEntity()));
    const locked = asEncrypted(analyze(message).report.layers[0]);
    assert.equal(locked.status, 'not-decrypted');
    assert.equal(locked.decrypted, false);
    assert.equal(locked.recipients.length, 1);
    const bob = identityFrom({ certPath: pki.users.bob.cert, keyPath: pki.users.bob.key });
    const opened = asEncrypted(analyze(message, { keys: [{ privateKey: bob.privateKey, certificate: bob.certificate }] }).report.layers[0]);
    assert.equal(opened.status, 'decrypted');
    assert.match(opened.contentEncryption, /AES/i);
    assert.equal(opened.status, layerStatus(opened));
  });
});

describe('one certificate registry per report', () => {
  test('the report names its schema', () => {
    const report = analyze(signedByAll([pki.users.alice])).report;
    assert.equal(report.schema, REPORT_SCHEMA);
    assert.equal(REPORT_SCHEMA, 2);
    assert.equal(Object.keys(JSON.parse(JSON.stringify(report)))[0], 'schema');
  });

  test('every id a signer refers to is in the registry, keyed by the fingerprint OpenSSL computes', () => {
    const report = analyze(signedByAll([pki.users.alice])).report;
    const [signer] = signersOf(report.layers);
    const ids = referencedIds(report);
    assert.ok(ids.length >= 3, 'signer, intermediate and root');
    for (const id of ids) assert.ok(report.certificates[id], `${id} is in the registry`);
    assert.equal(signer.certificate, opensslFingerprint(pki.users.alice.cert));
    assert.deepEqual(signer.chain, [pki.users.alice.cert, pki.inter.cert, pki.root.cert].map(opensslFingerprint));
    for (const [id, entry] of Object.entries(report.certificates)) assert.equal(entry.sha256Fingerprint, id);
    const alice = signerCertificate(report.certificates, signer);
    assert.equal(alice?.subjectCommonName, 'Alice Example');
    assert.deepEqual(alice?.emails, ['alice@example.com']);
    assert.equal(alice?.details.fingerprints.sha256, signer.certificate);
    assert.equal(signerName(report.certificates, signer), 'alice@example.com');
  });

  test('a certificate shared by two signers appears once, and both chains refer to it', () => {
    const report = analyze(signedByAll([pki.users.alice, pki.users.bob])).report;
    const signers = signersOf(report.layers);
    assert.equal(signers.length, 2);
    const inter = opensslFingerprint(pki.inter.cert);
    assert.ok(signers.every((s) => s.chain[1] === inter), 'both chains pass through the intermediate');
    assert.notEqual(signers[0].certificate, signers[1].certificate);
    const ids = Object.keys(report.certificates);
    assert.equal(ids.filter((id) => id === inter).length, 1);
    assert.deepEqual(ids.sort(), [...new Set(referencedIds(report))].sort(), 'two leaves, one intermediate, one root');
  });

  test('a certificate the message carries outside every chain is listed too; the anchor is not carried', () => {
    const report = analyze(signedByAll([pki.users.alice], [pki.users.mallory.cert])).report;
    const mallory = report.certificates[opensslFingerprint(pki.users.mallory.cert)];
    assert.ok(mallory, 'the extra certificate is in the registry');
    assert.equal(mallory.carried, true);
    assert.ok(!referencedIds(report).includes(mallory.sha256Fingerprint));
    assert.equal(report.certificates[opensslFingerprint(pki.inter.cert)].carried, true);
    assert.equal(report.certificates[opensslFingerprint(pki.root.cert)].carried, false, 'the root came from the configured anchors');
    assert.equal(report.certificates[opensslFingerprint(pki.root.cert)].details.selfSigned, true);
  });

  test('the report carries no certificate bytes; the analysis keeps the certificate behind each id', () => {
    const result = analyze(signedByAll([pki.users.alice]));
    const json = JSON.stringify(result.report);
    assert.ok(!json.includes('BEGIN CERTIFICATE'));
    assert.ok(!Object.values(result.report.certificates).some((e) => 'pem' in e.details));
    for (const id of Object.keys(result.report.certificates)) assert.equal(result.certificatesById.get(id)?.fingerprint('sha256'), id);
  });

  test('a signer whose certificate is missing refers to none', () => {
    const content = sampleTextEntity();
    const input = workFile(pki, 'nocerts-content.bin', content);
    const out = workFile(pki, 'nocerts.der');
    assert.ok(runOpenssl(['cms', '-sign', '-binary', '-nocerts', '-in', input, '-signer', pki.users.alice.cert, '-inkey', pki.users.alice.key, '-outform', 'DER', '-out', out]).ok);
    const report = analyze(wrapMessage({ from: 'Alice <alice@example.com>', to: 'bob@example.com', subject: 'n' }, multipartSigned(content, readFileSync(out), 'sha256'))).report;
    const [signer] = signersOf(report.layers);
    assert.equal(signer.certificate, null);
    assert.deepEqual(signer.chain, []);
    assert.deepEqual(report.certificates, {});
    assert.equal(signerName(report.certificates, signer), null);
  });
});
