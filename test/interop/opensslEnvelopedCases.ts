// Read-side cases for messages encrypted by OpenSSL, alone and nested with signatures (RFC 8551 §3.7, RFC 2634
// triple wrapping). verify is given the recipient key and must report every layer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flipByte, pkcs7Mime } from '../helpers/mime';
import { EncryptOptions, opensslEncryptDer, opensslEncrypted, opensslSigned } from '../helpers/openssl';
import { TEST_PASSPHRASE, TestIdentity, UserName } from '../helpers/pki';
import { Built, Expectation, InteropContext, mail, opensslAccepts, opensslDecrypts, ReadSideCase, TEXT } from './caseTypes';
import type { CliReport } from './cliRunner';

const PASS_ENV = { SMIME_TEST_PASSPHRASE: TEST_PASSPHRASE };

function keyArgs(id: TestIdentity, via: 'pem' | 'p12' | 'p12-legacy'): string[] {
  if (via === 'pem') return ['--key', id.key, '--cert', id.cert];
  return ['--p12', via === 'p12' ? id.p12 : id.p12Legacy, '--passphrase-env', 'SMIME_TEST_PASSPHRASE'];
}

/** The layer kinds from the outside in, e.g. ['enveloped', 'signed']. */
function layersAre(kinds: string[]): (report: CliReport | undefined) => void {
  return (report) => assert.deepEqual(report?.layers.map((l) => l.kind), kinds);
}

function decryptedWith(kind: string, cipher: RegExp): Expectation['check'] {
  return (report) => {
    const layer = report?.layers.find((l) => l.kind === kind);
    assert.ok(layer, `no ${kind} layer`);
    assert.equal(layer.decrypted, true);
    assert.match(String(layer.contentEncryption), cipher);
  };
}

interface EncryptCase {
  name: string;
  recipient: UserName;
  options: EncryptOptions;
  via?: 'pem' | 'p12' | 'p12-legacy';
  cipher: RegExp;
}

function encryptOnly(c: EncryptCase): ReadSideCase {
  const gcm = c.options.cipher?.endsWith('gcm') ?? false;
  return {
    name: c.name, tool: 'openssl', env: PASS_ENV,
    // CBC without a signature inside is malleable (EFAIL); GCM carries its own integrity (RFC 5083).
    expect: { verdict: 'unsigned', reasons: gcm ? [] : ['not-integrity-protected'],
      check: decryptedWith(gcm ? 'authEnveloped' : 'enveloped', c.cipher) },
    args: (ctx) => keyArgs(ctx.pki.users[c.recipient], c.via ?? 'pem'),
    build: (ctx) => ({ message: mail(ctx.pki.users.alice, opensslEncrypted(ctx.pki, [ctx.pki.users[c.recipient]], TEXT, c.options)) }),
    sanity: (ctx, b) => assert.deepEqual(opensslDecrypts(ctx, b.message, ctx.pki.users[c.recipient]), TEXT),
  };
}

const encryptOnlyCases: ReadSideCase[] = ([
  { name: 'openssl AES-128-CBC, RSA v1.5', recipient: 'bob', options: { cipher: 'aes128' }, cipher: /aes.?128/i },
  { name: 'openssl AES-256-CBC, RSA v1.5, default p12', recipient: 'bob', options: { cipher: 'aes256' }, via: 'p12', cipher: /aes.?256/i },
  { name: 'openssl 3DES, RSA v1.5, legacy p12', recipient: 'bob', options: { cipher: 'des3' }, via: 'p12-legacy', cipher: /des.?ede3|3des|des3/i },
  { name: 'openssl AES-256-CBC, RSA-OAEP SHA-256', recipient: 'bob', options: { cipher: 'aes256', oaep: true }, cipher: /aes.?256/i },
  { name: 'openssl AES-128-GCM AuthEnvelopedData', recipient: 'bob', options: { cipher: 'aes-128-gcm' }, cipher: /aes.?128.?gcm/i },
  { name: 'openssl AES-256-GCM AuthEnvelopedData', recipient: 'bob', options: { cipher: 'aes-256-gcm' }, cipher: /aes.?256.?gcm/i },
  { name: 'openssl AES-128-CBC, ECDH P-256 (SHA-1 KDF)', recipient: 'bobec', options: { cipher: 'aes128' }, cipher: /aes.?128/i },
  { name: 'openssl AES-256-CBC, ECDH P-256 (SHA-256 KDF)', recipient: 'bobec', options: { cipher: 'aes256', ecdhSha256: true }, cipher: /aes.?256/i },
] satisfies EncryptCase[]).map(encryptOnly);

function twoRecipients(ctx: InteropContext): Built {
  const { alice, bob } = ctx.pki.users;
  return { message: mail(alice, opensslEncrypted(ctx.pki, [alice, bob], TEXT, { cipher: 'aes256' })) };
}

/** Sign (detached), then encrypt the multipart/signed entity for bob. */
function signThenEncrypt(ctx: InteropContext): Built {
  const { alice, bob } = ctx.pki.users;
  const signed = opensslSigned(ctx.pki, alice, TEXT);
  return { message: mail(alice, opensslEncrypted(ctx.pki, [bob], signed)), inner: signed };
}

/** RFC 2634 §1.1 triple wrapping: sign, encrypt, sign the application/pkcs7-mime entity again. */
function tripleWrapped(ctx: InteropContext): Built {
  const { alice, bob } = ctx.pki.users;
  const signed = opensslSigned(ctx.pki, alice, TEXT);
  const enveloped = opensslEncrypted(ctx.pki, [bob], signed);
  return { message: mail(alice, opensslSigned(ctx.pki, alice, enveloped)), inner: signed, content: enveloped };
}

const DECRYPT_OUT = 'decrypt-command.out';

const nestedCases: ReadSideCase[] = [
  {
    name: 'openssl two recipients, decrypted by the second', tool: 'openssl', expect: { verdict: 'unsigned', check: decryptedWith('enveloped', /aes.?256/i) },
    args: (ctx) => keyArgs(ctx.pki.users.bob, 'pem'),
    build: twoRecipients,
    sanity: (ctx, b) => assert.deepEqual(opensslDecrypts(ctx, b.message, ctx.pki.users.bob), TEXT),
  },
  {
    name: 'encrypted, no key given', tool: 'openssl', expect: { verdict: 'error', reasons: ['no-recipient-key'], exit: 1 },
    build: (ctx) => ({ message: mail(ctx.pki.users.alice, opensslEncrypted(ctx.pki, [ctx.pki.users.bob], TEXT)) }),
    sanity: (ctx, b) => assert.deepEqual(opensslDecrypts(ctx, b.message, ctx.pki.users.bob), TEXT),
  },
  {
    name: 'encrypted for bob, only alice\'s key given', tool: 'openssl', expect: { verdict: 'error', reasons: ['no-recipient-key'], exit: 1 },
    args: (ctx) => keyArgs(ctx.pki.users.alice, 'pem'),
    build: (ctx) => ({ message: mail(ctx.pki.users.alice, opensslEncrypted(ctx.pki, [ctx.pki.users.bob], TEXT)) }),
    sanity: (ctx, b) => assert.equal(opensslDecryptFails(ctx, b.message, ctx.pki.users.alice), true),
  },
  {
    name: 'AES-GCM with a corrupted authentication tag', tool: 'openssl', expect: { reasons: ['auth-tag-mismatch'], exit: 1 },
    args: (ctx) => keyArgs(ctx.pki.users.bob, 'pem'),
    build: (ctx) => {
      // The MAC is the last field of AuthEnvelopedData (RFC 5083 §2.1), so the last byte belongs to the tag.
      const der = flipByte(opensslEncryptDer(ctx.pki, [ctx.pki.users.bob], TEXT, { cipher: 'aes-256-gcm' }), -1);
      return { message: mail(ctx.pki.users.alice, pkcs7Mime(der, 'authEnveloped-data')) };
    },
    sanity: (ctx, b) => assert.equal(opensslDecryptFails(ctx, b.message, ctx.pki.users.bob), true),
  },
  {
    name: 'openssl sign then encrypt', tool: 'openssl', expect: { verdict: 'valid', check: layersAre(['enveloped', 'signed']) },
    args: (ctx) => keyArgs(ctx.pki.users.bob, 'pem'),
    build: signThenEncrypt,
    sanity: (ctx, b) => {
      assert.deepEqual(opensslDecrypts(ctx, b.message, ctx.pki.users.bob), b.inner);
      assert.deepEqual(opensslAccepts(ctx, b.inner ?? Buffer.alloc(0)), TEXT);
    },
  },
  {
    name: 'openssl triple wrapped (sign, encrypt, sign)', tool: 'openssl',
    expect: { verdict: 'valid', check: layersAre(['signed', 'enveloped', 'signed']) },
    args: (ctx) => keyArgs(ctx.pki.users.bob, 'pem'),
    build: tripleWrapped,
    sanity: (ctx, b) => {
      const enveloped = opensslAccepts(ctx, b.message);
      assert.deepEqual(enveloped, b.content);
      assert.deepEqual(opensslDecrypts(ctx, enveloped, ctx.pki.users.bob), b.inner);
      assert.deepEqual(opensslAccepts(ctx, b.inner ?? Buffer.alloc(0)), TEXT);
    },
  },
  {
    // A signature over ciphertext does not say who wrote the plaintext (RFC 8551 §3.7).
    name: 'openssl encrypt then sign', tool: 'openssl', expect: { verdict: 'unsigned', reasons: ['signed-ciphertext', 'not-integrity-protected'] },
    args: (ctx) => keyArgs(ctx.pki.users.bob, 'pem'),
    build: (ctx) => {
      const { alice, bob } = ctx.pki.users;
      const enveloped = opensslEncrypted(ctx.pki, [bob], TEXT);
      return { message: mail(alice, opensslSigned(ctx.pki, alice, enveloped)), content: enveloped };
    },
    sanity: (ctx, b) => assert.deepEqual(opensslDecrypts(ctx, opensslAccepts(ctx, b.message), ctx.pki.users.bob), TEXT),
  },
  {
    name: 'decrypt command writes the inner entity', tool: 'openssl', command: 'decrypt',
    expect: { exit: 0, check: (_report, ctx) => assert.deepEqual(readFileSync(join(ctx.pki.work, DECRYPT_OUT)), TEXT) },
    args: (ctx) => [...keyArgs(ctx.pki.users.bob, 'pem'), '-o', join(ctx.pki.work, DECRYPT_OUT)],
    build: (ctx) => ({ message: mail(ctx.pki.users.alice, opensslEncrypted(ctx.pki, [ctx.pki.users.bob], TEXT)) }),
    sanity: (ctx, b) => assert.deepEqual(opensslDecrypts(ctx, b.message, ctx.pki.users.bob), TEXT),
  },
];

function opensslDecryptFails(ctx: InteropContext, message: Buffer, recipient: TestIdentity): boolean {
  try {
    opensslDecrypts(ctx, message, recipient);
    return false;
  } catch {
    return true;
  }
}

export const OPENSSL_ENVELOPED_CASES: ReadSideCase[] = [...encryptOnlyCases, ...nestedCases];
