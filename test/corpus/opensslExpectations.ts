// What `openssl cms` 3.0 said of each S/MIME layer of the corpus (the manifest's `openssl` records), reduced to
// facets we can compare with our report: does the signature arithmetic hold, does the chain reach the source's CA
// (now, and at the signing time), was the layer decrypted. Plus the trust setup of each source and the wrapping of
// raw CMS files into messages.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalysisResult, AnalyzeOptions } from '../../src/core/smime/analyze';
import type { LayerReport } from '../../src/core/smime/report';
import { corpusRoot, thunderbirdTrust, type ManifestMessage, type OpensslRecord } from './tbExpectations';
import { certificatesIn, identityFrom } from '../helpers/certFiles';
import { signersOf } from '../helpers/report';

export type FacetName = 'signature' | 'chain@now' | 'chain@signingTime' | 'decrypt' | 'policy' | 'digest';

/** One thing OpenSSL decided about the layer at `path`. */
export interface Facet {
  path: string;
  name: FacetName;
  ok: boolean;
  /** OpenSSL's words (for failures: the error), shortened. */
  said: string;
  /** chain@signingTime: the time OpenSSL used (the layer's signingTime). */
  at?: Date;
}

const OPENSSL_OK = /^(OK|CMS Verification successful|Verification successful)$/;
/** OpenSSL's CMS content check failing: the digest or the signature value, not the certificate path. */
const CONTENT_FAILURE = /verification failure|content verify error|^FAIL: failure$/;

/** Reduces one record to facets. Keys are the command variants listed in the manifest's verification_method. */
export function facetsOf(record: OpensslRecord): Facet[] {
  const path = record.part ?? '1';
  const facets: Facet[] = [];
  const add = (name: FacetName, value: string, at?: Date) => facets.push({ path, name, ok: OPENSSL_OK.test(value), said: shorten(value), at });
  for (const [key, raw] of Object.entries(record)) {
    if (typeof raw !== 'string' || /no content/.test(raw)) continue; // a detached signature given without its content
    if (/^signature_only/.test(key)) add('signature', raw);
    else if (key.startsWith('full_chain@now -policy')) add('policy', raw);
    else if (/^(full_chain@now|verify\()/.test(key)) {
      // A full verification fails on the content check before the path matters: that is a signature facet.
      if (CONTENT_FAILURE.test(raw)) add('signature', raw);
      else add('chain@now', raw);
      if (key.startsWith('verify(') && OPENSSL_OK.test(raw)) add('signature', raw);
    } else if (key === 'full_chain@signingTime') {
      const when = (record.signingTime as string[] | undefined)?.[0];
      if (when && !CONTENT_FAILURE.test(raw)) add('chain@signingTime', raw, new Date(`${when.replace(/\s+/g, ' ')}`));
    } else if (key.startsWith('decrypt')) {
      // `decrypt(Bob)` prints the plaintext; `-provider legacy` retries RC2, which OpenSSL 3 keeps out of the default provider.
      facets.push({ path, name: 'decrypt', ok: raw === 'OK' || !/^(FAIL|Error)/.test(raw), said: shorten(raw) });
    } else if (key === 'digest_verify') add('digest', raw);
  }
  // Several variants of one facet (as-is / -content, default / legacy provider): any success decides.
  const merged = new Map<string, Facet>();
  for (const f of facets) {
    const k = `${f.path} ${f.name}`;
    const seen = merged.get(k);
    if (!seen || (!seen.ok && f.ok)) merged.set(k, f);
  }
  return [...merged.values()];
}

function shorten(s: string): string {
  const text = s.replace(/^[0-9A-F]{8,}:error:[0-9A-F]+:/, '').replace(/:\.\.\/crypto\S*/g, '').replace(/^FAIL: /, '');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---------------------------------------------------------------------------------------------------------------
// Our side of each facet

/** Reasons that mean the signature arithmetic itself did not hold (or could not be done). */
const SIGNATURE_FAILURES = new Set(['digest-mismatch', 'bad-signature', 'no-signers', 'signer-cert-missing', 'malformed', 'content-type-mismatch', 'missing-signed-attribute', 'unsupported-algorithm', 'ambiguous-content']);

export function layerAt(result: AnalysisResult, path: string): LayerReport | undefined {
  return result.report.layers.find((l) => l.path === path);
}

function signatureHolds(l: LayerReport): boolean {
  const codes = [...l.reasons, ...signersOf(l).flatMap((s) => s.reasons)].map((r) => r.code);
  return signersOf(l).length > 0 && !codes.some((c) => SIGNATURE_FAILURES.has(c));
}

function chainHolds(l: LayerReport): boolean {
  return signersOf(l).length > 0 && signersOf(l).every((s) => s.chainTrusted);
}

/** Our answer to a facet; `atSigningTime` is the same message analysed at the facet's time. */
export function ourFacet(f: Facet, result: AnalysisResult, atSigningTime?: AnalysisResult): { ok: boolean; said: string } | undefined {
  const layer = layerAt(f.name === 'chain@signingTime' && atSigningTime ? atSigningTime : result, f.path);
  if (f.name === 'digest') return { ok: false, said: result.report.messageReasons.map((r) => r.code).join(',') || 'not opened' };
  if (!layer) return undefined;
  const codes = [...new Set([...layer.reasons, ...signersOf(layer).flatMap((s) => s.reasons)].map((r) => r.code))].join(',');
  switch (f.name) {
    case 'signature':
      return { ok: signatureHolds(layer), said: codes || 'holds' };
    case 'chain@now':
    case 'chain@signingTime':
    case 'policy':
      return { ok: chainHolds(layer), said: chainHolds(layer) ? 'chain trusted' : codes };
    case 'decrypt':
      return { ok: layer.status === 'decrypted', said: layer.status === 'decrypted' ? 'decrypted' : codes };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs and trust, per source

/** RFC 8551 §3.2 / §3.5 wrappers for the raw DER objects (no MIME around them in the source repositories). */
function base64Lines(der: Buffer): string {
  return der.toString('base64').replace(/.{1,76}/g, '$&\r\n');
}

function opaqueMessage(der: Buffer, smimeType: string | undefined): Buffer {
  const type = smimeType ? `application/pkcs7-mime; smime-type=${smimeType}; name=smime.p7m` : 'application/pkcs7-mime; name=smime.p7m';
  return Buffer.from(`MIME-Version: 1.0\r\nContent-Type: ${type}\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(der)}`);
}

function detachedMessage(content: Buffer, der: Buffer): Buffer {
  const b = 'corpus-detached-signature';
  const head = `MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-1; boundary="${b}"\r\n\r\n--${b}\r\n`;
  const sig = `\r\n--${b}\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(der)}--${b}--\r\n`;
  return Buffer.concat([Buffer.from(head), content, Buffer.from(sig)]);
}

/** The message to analyse: the file itself, or a raw CMS object wrapped the way OpenSSL was given it. */
export function messageBytes(m: ManifestMessage): { bytes: Buffer; wrapped?: string } {
  const path = join(corpusRoot, m.file);
  const bytes = readFileSync(path);
  if (!m.kind.startsWith('raw CMS')) return { bytes };
  // A detached signature: OpenSSL needed `-content FILE` (the "as-is" run found no content).
  const contentKey = m.openssl.flatMap((r) => Object.keys(r)).map((k) => /-content ([^)]+)\)/.exec(k)?.[1]).find(Boolean);
  const asIsNoContent = m.openssl.some((r) => Object.entries(r).some(([k, v]) => k.includes('as-is') && /no content/.test(String(v))));
  if (contentKey && asIsNoContent) return { bytes: detachedMessage(readFileSync(join(dirname(path), contentKey)), bytes), wrapped: `multipart/signed with ${contentKey}` };
  const smimeType = /signedData/i.test(m.kind) ? 'signed-data' : /envelopedData/i.test(m.kind) ? 'enveloped-data' : undefined;
  return { bytes: opaqueMessage(bytes, smimeType), wrapped: `pkcs7-mime${smimeType ? ` ${smimeType}` : ''}` };
}

/** The CA (and keys) the manifest names for each source: what OpenSSL was given as -CAfile / -recip. */
export function sourceOptions(source: string): AnalyzeOptions {
  const certs = (...files: string[]) => certificatesIn(files.map((f) => join(corpusRoot, f))).certs;
  switch (source) {
    case 'thunderbird':
      return thunderbirdTrust();
    case 'mimekit':
      return {
        anchors: certs('mimekit/UnitTests/TestData/smime/StartComCertificationAuthority.crt'),
        extraCertificates: certs('mimekit/UnitTests/TestData/smime/StartComClass1PrimaryIntermediateClientCA.crt'),
      };
    case 'openssl':
      return { anchors: certs('openssl/test/certs/pkitsta.pem') };
    case 'python-smime': {
      const dir = 'python-smime/smime/testdata';
      const bob = identityFrom({ certPath: join(corpusRoot, dir, 'BobRSASignByCarl.pem'), keyPath: join(corpusRoot, dir, 'BobPrivRSAEncrypt.pem') });
      return { anchors: certs(`${dir}/CarlRSASelf.pem`, `${dir}/CarlDSSSelf.pem`), keys: [bob] };
    }
    default:
      return {};
  }
}
