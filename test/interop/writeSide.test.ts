// Write-side interop: messages made by our signMessage / encryptMessage / signAndEncrypt, read by independent
// implementations. OpenSSL reads the whole message (`openssl smime -verify`, `openssl cms -verify/-decrypt`);
// NSS `cmsutil` and gpgsm read the raw CMS of each layer (signature part + first part for multipart/signed).
// Every layer is peeled in turn, and what comes out last must equal the entity we prepared, byte for byte.
// Each cell states what is expected; a cell expected to fail carries the reason, and the test checks that the
// tool really fails there (so a stale expectation shows up). The matrix is printed at the end.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { OID } from '../../src/core/asn1/oids';
import { parseContentInfo } from '../../src/core/cms/contentInfo';
import { parseSignedData, signedAttribute } from '../../src/core/cms/signedData';
import { decodeBody, entityBytes, parseMessage, smimeKindOf } from '../../src/core/mime';
import { analyzeMessage } from '../../src/core/smime/analyze';
import { encryptMessage, prepareMessage, signAndEncrypt, signMessage, type SignerIdentity } from '../../src/core/smime/compose';
import type { Certificate } from '../../src/core/x509/certificate';
import { createGpgsmHome, gpgsmAvailable, gpgsmDecryptDer, gpgsmVerifyDer, type GpgsmHome } from '../helpers/gpgsm';
import { createNssDb, nssAvailable, nssDecryptDer, nssVerifyDer, type NssDb } from '../helpers/nss';
import { opensslDecrypt, opensslVerify, runOpenssl } from '../helpers/openssl';
import { sharedTestPki, workFile, type TestIdentity, type TestPki } from '../helpers/pki';
import { WRITE_SIDE_CASES, type Tool, type WriteCase } from './writeSideCases';
import { certificatesIn, identityFrom } from '../helpers/certFiles';
import { signersOf } from '../helpers/report';

let pki: TestPki;
let anchors: Certificate[];
let ed25519: TestIdentity;
let nss: NssDb | undefined;
let gpgsm: GpgsmHome | undefined;
const TOOLS: Tool[] = ['ours', 'openssl smime', 'openssl cms', 'nss', 'gpgsm'];
const results = new Map<string, Map<Tool, string>>();

/** An Ed25519 user under the test intermediate (the shared PKI has none; `openssl x509 -req` sets notBefore = now). */
function createEd25519User(p: TestPki): TestIdentity {
  const key = join(p.dir, 'ed25519.key');
  const cert = join(p.dir, 'ed25519.pem');
  const ext = workFile(p, 'ed25519.cnf', '[u]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\nsubjectAltName=email:ed@example.com\n');
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  run(['genpkey', '-algorithm', 'ed25519', '-out', key]);
  const csr = workFile(p, 'ed25519.csr');
  run(['req', '-new', '-key', key, '-subj', '/CN=Ed User/emailAddress=ed@example.com', '-out', csr]);
  run(['x509', '-req', '-in', csr, '-CA', p.inter.cert, '-CAkey', p.inter.key, '-set_serial', '0x5eed25519', '-days', '3650', '-extfile', ext, '-extensions', 'u', '-out', cert]);
  return { ...p.users.alice, name: 'alice', email: 'ed@example.com', kind: 'p256', cert, key };
}

function identity(user: TestIdentity): SignerIdentity {
  return { ...identityFrom({ certPath: user.cert, keyPath: user.key }), chain: certificatesIn([pki.inter.cert]).certs };
}

before(async () => {
  pki = await sharedTestPki();
  anchors = certificatesIn([pki.root.cert]).certs;
  ed25519 = createEd25519User(pki);
  if (nssAvailable()) nss = createNssDb(pki, [pki.users.bob]);
  if (gpgsmAvailable()) gpgsm = createGpgsmHome(pki, [pki.users.bob]);
});

type Step = { ok: boolean; content: Buffer; detail: string };

/** One layer as each tool reads it: verify a signature (returning the signed content) or decrypt. */
function readLayer(tool: Exclude<Tool, 'ours' | 'openssl smime'>, bytes: Buffer, to: TestIdentity): Step | undefined {
  const root = parseMessage(bytes).root;
  const kind = smimeKindOf(root);
  const fail = (detail: string): Step => ({ ok: false, content: Buffer.alloc(0), detail });
  if (kind?.kind === 'multipart-signed') {
    const content = entityBytes(root.children[0]);
    const der = decodeBody(root.children[1]).data;
    // OpenSSL 3.0 loses the CRs of a CRLF multipart/signed read in -binary mode; its text mode re-canonicalises.
    const r = tool === 'openssl cms' ? opensslVerify(pki, bytes) : tool === 'nss' ? nssVerifyDer(pki, nss as NssDb, der, content) : gpgsmVerifyDer(pki, gpgsm as GpgsmHome, der, content);
    const ok = 'statuses' in r ? r.ok : r.ok;
    return ok ? { ok, content, detail: 'verified' } : fail(`verify: ${'stderr' in r ? r.stderr : 'statuses' in r ? r.statuses.join(',') || r.report : r.status}`.slice(0, 300));
  }
  if (kind?.kind !== 'pkcs7-mime') return undefined;
  const der = decodeBody(root).data;
  const signed = kind.smimeType === 'signed-data';
  try {
    if (tool === 'openssl cms') {
      const r = signed ? opensslVerify(pki, bytes, { binary: true }) : opensslDecrypt(pki, bytes, to);
      return r.ok ? { ok: true, content: r.output, detail: signed ? 'verified' : 'decrypted' } : fail(r.stderr.slice(0, 300));
    }
    if (tool === 'nss') {
      if (signed) {
        const v = nssVerifyDer(pki, nss as NssDb, der);
        if (!v.ok) return fail(`verify: ${v.statuses.join(',') || v.report}`.slice(0, 300));
      }
      return { ok: true, content: nssDecryptDer(pki, nss as NssDb, der), detail: signed ? 'verified' : 'decrypted' };
    }
    if (signed) {
      const v = gpgsmVerifyDer(pki, gpgsm as GpgsmHome, der);
      return v.ok ? { ok: true, content: v.output, detail: 'verified' } : fail(`verify: ${v.status}`.slice(0, 300));
    }
    return { ok: true, content: gpgsmDecryptDer(pki, gpgsm as GpgsmHome, der), detail: 'decrypted' };
  } catch (e) {
    return fail((e as Error).message.slice(0, 300));
  }
}

/** Peels every layer; succeeds when all layers pass and the innermost content is the prepared entity. */
function peel(tool: Exclude<Tool, 'ours' | 'openssl smime'>, message: Buffer, prepared: Buffer, to: TestIdentity): { ok: boolean; detail: string } {
  let bytes = message;
  const steps: string[] = [];
  for (let depth = 0; depth < 4; depth++) {
    const step = readLayer(tool, bytes, to);
    if (!step) break;
    if (!step.ok) return { ok: false, detail: step.detail };
    steps.push(step.detail);
    bytes = step.content;
  }
  if (!bytes.equals(prepared)) return { ok: false, detail: `${steps.join(' + ')}, but the content differs from the prepared entity` };
  return { ok: true, detail: steps.join(' + ') };
}

function ours(c: WriteCase, message: Buffer, prepared: Buffer, to: TestIdentity): { ok: boolean; detail: string } {
  const { report, inner } = analyzeMessage(message, { anchors, keys: [identityFrom({ certPath: to.cert, keyPath: to.key })] });
  const signers = signersOf(report.layers);
  // The innermost layer's content: the covered range of a detached signature, else the unwrapped content.
  const last = report.layers[report.layers.length - 1];
  const source = last?.source === 'file' ? message : inner.get(last?.source ?? '')?.source;
  const innermost = last?.kind === 'signed' && last.form === 'detached' ? source?.subarray(last.range.start, last.range.end) : inner.get(last?.path ?? '')?.source;
  const signedOk = signers.every((s) => s.status === 'valid') && (c.kind === 'encrypt' || signers.length > 0);
  // Encrypt-then-sign signs only ciphertext, which by design does not make the message "signed" (RFC 8551 §3.7).
  const verdictOk = c.kind === 'encrypt' || c.order === 'encrypt-sign' || report.verdict === 'valid';
  const ok = signedOk && verdictOk && innermost !== undefined && innermost.equals(prepared);
  return { ok, detail: `${report.verdict}: ${report.summary}`.slice(0, 300) };
}

function opensslSmime(message: Buffer): { ok: boolean; detail: string } {
  const input = workFile(pki, 'smime-verify.eml', message);
  const r = runOpenssl(['smime', '-verify', '-in', input, '-CAfile', pki.root.cert, '-out', '/dev/null']);
  return { ok: r.ok, detail: r.ok ? 'verified' : r.stderr.trim().split('\n').pop() ?? '' };
}

function build(c: WriteCase): { message: Buffer; prepared: Buffer } {
  const signerUser = c.signer === 'ed25519' ? ed25519 : pki.users[c.signer ?? 'alice'];
  const to = pki.users[c.to ?? 'bob'];
  const input = Buffer.from(`From: ${signerUser.email}\r\nTo: ${to.email}\r\nSubject: interop ${c.name}\r\nDate: ${new Date().toUTCString()}\r\n` +
    'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln\r\nFrom the interop matrix.\r\n');
  const prepared = prepareMessage(input).entity;
  const recipients = [certificatesIn([to.cert]).certs[0]];
  const sign = { detached: !c.opaque, pss: c.pss, digest: c.digest };
  if (c.kind === 'sign') return { message: signMessage({ input, signer: identity(signerUser), ...sign }).message, prepared };
  if (c.kind === 'encrypt') return { message: encryptMessage({ input, recipients, cipher: c.cipher, oaep: c.oaep }).message, prepared };
  return { message: signAndEncrypt({ input, signer: identity(signerUser), recipients, order: c.order, cipher: c.cipher, ...sign }).message, prepared };
}

function available(tool: Tool): string | undefined {
  if (tool === 'nss' && !nss) return 'NSS tools not installed';
  if (tool === 'gpgsm' && !gpgsm) return 'gpgsm not installed';
  return undefined;
}

describe('write side: our messages read by OpenSSL, NSS and gpgsm', () => {
  for (const c of WRITE_SIDE_CASES) {
    test(c.name, (t) => {
      const { message, prepared } = build(c);
      const row = new Map<Tool, string>();
      results.set(c.name, row);
      const problems: string[] = [];
      for (const tool of TOOLS) {
        const expected = c.expect[tool];
        if (expected === undefined) {
          row.set(tool, 'n/a');
          continue;
        }
        const missing = available(tool);
        if (missing) {
          row.set(tool, 'skipped');
          t.diagnostic(`${tool}: ${missing}`);
          continue;
        }
        const to = pki.users[c.to ?? 'bob'];
        const got = tool === 'ours' ? ours(c, message, prepared, to) : tool === 'openssl smime' ? opensslSmime(message) : peel(tool, message, prepared, to);
        row.set(tool, got.ok ? 'ok' : `fails${expected === true ? ' (UNEXPECTED)' : ''}`);
        if (!got.ok) t.diagnostic(`${tool}: ${got.detail.replace(/\s+/g, ' ')}`);
        if (expected === true && !got.ok) problems.push(`${tool} should read it: ${got.detail}`);
        if (expected !== true && got.ok) problems.push(`${tool} was expected to fail (${expected}) but read it: update the expectation`);
      }
      assert.deepEqual(problems, []);
    });
  }
});

describe('write side: Ed25519 checked without any CMS library', () => {
  test('openssl pkeyutl verifies the signature over the signed attributes, and messageDigest is SHA-512 of the part', () => {
    const user = ed25519;
    const input = Buffer.from(`From: ${user.email}\r\nTo: bob@example.com\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain\r\n\r\nEd25519\r\n`);
    const message = signMessage({ input, signer: identity(user) }).message;
    const root = parseMessage(message).root;
    const content = entityBytes(root.children[0]);
    const sd = parseSignedData(parseContentInfo(decodeBody(root.children[1]).data).content);
    const signer = sd.signerInfos[0];
    assert.ok(signer.signedAttrsDer, 'RFC 8419 §3: signed attributes are present');
    const pub = workFile(pki, 'ed-pub.pem');
    execFileSync('openssl', ['x509', '-in', user.cert, '-pubkey', '-noout', '-out', pub]);
    const attrs = workFile(pki, 'ed-attrs.der', signer.signedAttrsDer);
    const sig = workFile(pki, 'ed-sig.bin', signer.signature);
    const verified = runOpenssl(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', attrs, '-sigfile', sig]);
    assert.ok(verified.ok && /Signature Verified Successfully/.test(verified.stdout), verified.stderr);
    const digestFile = workFile(pki, 'ed-digest.bin');
    assert.ok(runOpenssl(['dgst', '-sha512', '-binary', '-out', digestFile, workFile(pki, 'ed-content.bin', content)]).ok);
    const md = signedAttribute(signer, OID.messageDigest)?.value;
    assert.equal(md?.toString('hex'), readFileSync(digestFile).toString('hex'));
  });
});

after(() => {
  if (results.size === 0) return;
  const width = Math.max(...[...results.keys()].map((k) => k.length));
  const lines = [`${'case'.padEnd(width)} | ${TOOLS.map((t) => t.padEnd(13)).join(' | ')}`];
  lines.push('-'.repeat(lines[0].length));
  for (const [name, row] of results) lines.push(`${name.padEnd(width)} | ${TOOLS.map((t) => (row.get(t) ?? '').padEnd(13)).join(' | ')}`);
  const reasons = WRITE_SIDE_CASES.flatMap((c) => Object.entries(c.expect).filter(([, v]) => v !== true).map(([tool, why]) => `  ${c.name} / ${tool}: ${why}`));
  console.log(['', 'Write-side interop matrix (ok = every layer read and the content equals the prepared entity):', ...lines, '', 'Expected failures:', ...reasons].join('\n'));
});
