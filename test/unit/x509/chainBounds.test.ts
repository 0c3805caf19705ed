/**
 * Path building against crafted certificate bundles: 255 CA certificates with one subject name, with RSA public
 * exponents of thousands of bits (each verification costs milliseconds) or with ordinary keys (many paths).
 * Unbounded, such a message kept the extension host busy for tens of seconds per signer; bounded, it is judged
 * within a second and never trusted.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bitString, contextExplicit, integer, nullValue, octetString, oid, sequence, time, type DerElement } from '../../../src/core/asn1/derWriter';
import { OID } from '../../../src/core/asn1/oids';
import { encodeKeyUsage, encodeName, issueCertificate } from '../../../src/core/pki/certificateBuilder';
import { algorithmIdentifier, boolean } from '../../../src/core/pki/der';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import type { SecurityReport } from '../../../src/core/smime/report';
import { Certificate } from '../../../src/core/x509/certificate';
import { MAX_ISSUER_CANDIDATES, MAX_PUBLIC_KEY_OPERATIONS, MAX_SIGNATURE_CHECKS_PER_CHAIN, publicKeyBudget, validateChain } from '../../../src/core/x509/chain';
import { signersOf } from '../../helpers/report';

const CRAFTED = 255;
const BOUND_MS = 1000;
const NOW = new Date();
const NOT_BEFORE = new Date(NOW.getTime() - 86_400_000);
const NOT_AFTER = new Date(NOW.getTime() + 30 * 86_400_000);
const CRAFTED_NAME = encodeName({ CN: 'Crafted CA' });

let dir = '';
let issuerKey: KeyObject;
let anchor: Certificate;
let leaf: Certificate;
/** The certificate that really issued the leaf (not in any message). */
let realIssuer: Certificate;
let leafKey: KeyObject;

/** An RSA SubjectPublicKeyInfo (RFC 8017 §A.1.1) with a random modulus and an exponent of `exponentBits` bits. */
function rsaSpki(modulusBits: number, exponentBits: number): Buffer {
  const n = randomBytes(modulusBits / 8);
  n[0] |= 0x80;
  n[n.length - 1] |= 1;
  const e = randomBytes(exponentBits / 8);
  e[0] |= 0x80;
  e[e.length - 1] |= 1;
  const rsaPublicKey = sequence(integer(Buffer.concat([Buffer.from([0]), n])), integer(Buffer.concat([Buffer.from([0]), e])));
  return sequence(algorithmIdentifier(OID.rsaEncryption, nullValue()), bitString(rsaPublicKey.toBuffer())).toBuffer();
}

function extension(type: string, value: DerElement): DerElement {
  return sequence(oid(type), boolean(true), octetString([...value.chunks]));
}

/** A CA certificate named "Crafted CA", issued by "Crafted CA", without key identifiers (so none rules it out). */
function craftedCa(serial: number, spki: Buffer): Certificate {
  const algorithm = algorithmIdentifier(OID.ecdsaWithSha256);
  const tbs = sequence(
    contextExplicit(0, integer(2)),
    integer(serial),
    algorithm,
    CRAFTED_NAME,
    sequence(time(NOT_BEFORE), time(NOT_AFTER)),
    CRAFTED_NAME,
    spki,
    contextExplicit(3, sequence(extension(OID.basicConstraints, sequence(boolean(true))), extension(OID.keyUsage, encodeKeyUsage(['keyCertSign'])))),
  ).toBuffer();
  return new Certificate(sequence(tbs, algorithm, bitString(sign('sha256', tbs, issuerKey))).toBuffer());
}

function ecSpki(): Buffer {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
}

/** A leaf named `n`, issued in the name of "Crafted CA" by the real issuer. */
function issueLeaf(n: number): { cert: Certificate; key: KeyObject } {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const cert = issueCertificate({ subject: { CN: `Leaf ${n}` }, emails: ['leaf@example.com'], publicKey: key, issuer: { certificate: realIssuer, privateKey: issuerKey }, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
  return { cert, key };
}

function signedMessage(bundle: Certificate[], signers = 1): string {
  const leaves = [{ cert: leaf, key: leafKey }, ...Array.from({ length: signers - 1 }, (_, i) => issueLeaf(i + 2))];
  const signerArgs: string[] = [];
  leaves.forEach(({ cert, key }, i) => {
    writeFileSync(join(dir, `leaf${i}.pem`), cert.toPem());
    writeFileSync(join(dir, `leaf${i}.key`), key.export({ type: 'pkcs8', format: 'pem' }));
    signerArgs.push('-signer', `leaf${i}.pem`, '-inkey', `leaf${i}.key`);
  });
  writeFileSync(join(dir, 'bundle.pem'), bundle.map((c) => c.toPem()).join(''));
  writeFileSync(join(dir, 'body.txt'), 'Content-Type: text/plain\r\n\r\nhello\r\n');
  const signed = execFileSync('openssl', ['cms', '-sign', '-in', 'body.txt', ...signerArgs, '-certfile', 'bundle.pem', '-md', 'sha256', '-binary'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return `From: leaf@example.com\r\nDate: ${NOW.toUTCString()}\r\n${signed.toString('latin1')}`;
}

function timedAnalyze(message: string): { report: SecurityReport; ms: number } {
  const start = performance.now();
  const { report } = analyzeMessage(Buffer.from(message, 'latin1'), { anchors: [anchor], at: NOW });
  return { report, ms: performance.now() - start };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'smime-chain-bounds-'));
  issuerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  // The leaf names "Crafted CA" as its issuer; the certificate that really issued it is not in the message.
  const issuer = (realIssuer = issueCertificate({ subject: { CN: 'Crafted CA' }, emails: [], publicKey: issuerKey, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ca: true }));
  leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  leaf = issueCertificate({ subject: { CN: 'Leaf' }, emails: ['leaf@example.com'], publicKey: leafKey, issuer: { certificate: issuer, privateKey: issuerKey }, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
  const anchorKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  anchor = issueCertificate({ subject: { CN: 'Unrelated Root' }, emails: [], publicKey: anchorKey, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ca: true });
});

describe('255 same-name CAs with RSA exponents of 3064 bits', () => {
  let bundle: Certificate[];
  before(() => {
    bundle = Array.from({ length: CRAFTED }, (_, i) => craftedCa(i + 1, rsaSpki(3072, 3064)));
    // Node loads such keys, and each verification with one takes milliseconds: the cost the bounds avoid.
    assert.equal(createPublicKey({ key: bundle[0].spkiDer, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength, 3072);
  });

  test('validateChain refuses the keys without using them: untrusted within the bound', () => {
    const budget = publicKeyBudget();
    const start = performance.now();
    const result = validateChain(leaf, { anchors: [anchor], intermediates: bundle, at: NOW, budget });
    const ms = performance.now() - start;
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
    assert.equal(result.trusted, false);
    assert.ok(result.problems.some((p) => p.code === 'resource-limit'), JSON.stringify(result.problems.map((p) => p.code)));
    assert.equal(budget.remaining, MAX_PUBLIC_KEY_OPERATIONS, 'a refused key cost a public-key operation');
  });

  test('a message carrying them: judged within the bound, not valid (resource-limit, untrusted-root)', () => {
    const { report, ms } = timedAnalyze(signedMessage(bundle));
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
    assert.notEqual(report.verdict, 'valid');
    for (const code of ['resource-limit', 'untrusted-root']) assert.ok(report.reasons.includes(code as never), `${code} missing: ${report.reasons.join(', ')}`);
  });
});

describe('255 same-name CAs with ordinary keys', () => {
  let bundle: Certificate[];
  before(() => {
    bundle = Array.from({ length: CRAFTED }, (_, i) => craftedCa(i + 1, ecSpki()));
  });

  test(`validateChain tries at most ${MAX_ISSUER_CANDIDATES} issuers per certificate and ${MAX_SIGNATURE_CHECKS_PER_CHAIN} signature checks`, () => {
    const budget = publicKeyBudget();
    const start = performance.now();
    const result = validateChain(leaf, { anchors: [anchor], intermediates: bundle, at: NOW, budget });
    const ms = performance.now() - start;
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
    assert.equal(result.trusted, false);
    assert.ok(result.problems.some((p) => p.code === 'resource-limit'));
    assert.ok(MAX_PUBLIC_KEY_OPERATIONS - budget.remaining <= MAX_SIGNATURE_CHECKS_PER_CHAIN, `spent ${MAX_PUBLIC_KEY_OPERATIONS - budget.remaining}`);
  });

  test('twelve signers over one bundle share the message budget: later ones are not checked (resource-limit)', () => {
    // 240 + 12 leaves stay within the 256 certificates a SignedData may carry (MAX_EMBEDDED_CERTIFICATES).
    const { report, ms } = timedAnalyze(signedMessage(bundle.slice(0, 240), 12));
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
    assert.notEqual(report.verdict, 'valid');
    const signers = signersOf(report.layers[0]);
    assert.equal(signers.length, 12);
    const last = signers[signers.length - 1];
    assert.equal(last.checks.find((c) => c.id === 'signature')?.detail, 'not checked: public-key operation limit');
    assert.ok(last.reasons.some((r) => r.code === 'resource-limit'));
  });

  test('a spent budget makes validateChain fail closed even for a good path', () => {
    assert.equal(validateChain(leaf, { anchors: [realIssuer], intermediates: [], at: NOW, budget: publicKeyBudget(1) }).trusted, true);
    const spent = validateChain(leaf, { anchors: [realIssuer], intermediates: [], at: NOW, budget: publicKeyBudget(0) });
    assert.equal(spent.trusted, false);
    assert.deepEqual(spent.problems.map((p) => p.code), ['bad-cert-signature', 'resource-limit']);
  });
});
