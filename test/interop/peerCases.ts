// Read-side cases for messages written by NSS (Thunderbird's library) and gpgsm (KMail, Kleopatra). Both tools
// write raw CMS; the MIME around it is ours. Each generator is checked by its own tool and by OpenSSL.
import assert from 'node:assert/strict';
import { multipartSigned, pkcs7Mime, replaceOnce } from '../helpers/mime';
import { gpgsmDecryptDer, gpgsmEncryptDer, gpgsmSignDer, gpgsmVerifyDer } from '../helpers/gpgsm';
import { nssDecryptDer, nssEncryptDer, nssSignDer, nssVerifyDer } from '../helpers/nss';
import { Built, InteropContext, mail, opensslAccepts, opensslDecrypts, ReadSideCase, TAMPER_FROM, TAMPER_TO, TEXT } from './caseTypes';

const BOB_KEY = (ctx: InteropContext) => ['--key', ctx.pki.users.bob.key, '--cert', ctx.pki.users.bob.cert];

function nssDetached(ctx: InteropContext, digest: 'sha256' | 'sha512' = 'sha256'): Built {
  const der = nssSignDer(ctx.pki, ctx.nss(), ctx.pki.users.alice, TEXT, { digest });
  return { message: mail(ctx.pki.users.alice, multipartSigned(TEXT, der, digest)), der, content: TEXT };
}

function gpgsmSigned(ctx: InteropContext, opaque: boolean): Built {
  const der = gpgsmSignDer(ctx.pki, ctx.gpgsm(), ctx.pki.users.alice, TEXT, { opaque });
  const entity = opaque ? pkcs7Mime(der, 'signed-data') : multipartSigned(TEXT, der, 'sha256');
  return { message: mail(ctx.pki.users.alice, entity), der, content: TEXT };
}

const nssCases: ReadSideCase[] = [
  {
    name: 'nss RSA detached SHA-256', tool: 'nss', expect: { verdict: 'valid' },
    build: (ctx) => nssDetached(ctx),
    sanity: (ctx, b) => {
      assert.ok(nssVerifyDer(ctx.pki, ctx.nss(), b.der ?? Buffer.alloc(0), b.content).ok);
      opensslAccepts(ctx, b.message);
    },
  },
  {
    name: 'nss RSA detached SHA-512', tool: 'nss', expect: { verdict: 'valid' },
    build: (ctx) => nssDetached(ctx, 'sha512'),
    sanity: (ctx, b) => {
      assert.ok(nssVerifyDer(ctx.pki, ctx.nss(), b.der ?? Buffer.alloc(0), b.content).ok);
      opensslAccepts(ctx, b.message);
    },
  },
  {
    name: 'nss ECDSA P-256 opaque SHA-384', tool: 'nss', expect: { verdict: 'valid' },
    build: (ctx) => {
      const der = nssSignDer(ctx.pki, ctx.nss(), ctx.pki.users.ecuser, TEXT, { opaque: true, digest: 'sha384' });
      return { message: mail(ctx.pki.users.ecuser, pkcs7Mime(der, 'signed-data')), der };
    },
    sanity: (ctx, b) => {
      assert.ok(nssVerifyDer(ctx.pki, ctx.nss(), b.der ?? Buffer.alloc(0)).ok);
      assert.deepEqual(opensslAccepts(ctx, b.message), TEXT);
    },
  },
  {
    name: 'nss tampered body, detached', tool: 'nss', expect: { verdict: 'invalid', reasons: ['digest-mismatch'] },
    build: (ctx) => {
      const good = nssDetached(ctx);
      return { ...good, message: replaceOnce(good.message, TAMPER_FROM, TAMPER_TO), content: replaceOnce(TEXT, TAMPER_FROM, TAMPER_TO) };
    },
    sanity: (ctx, b) => assert.deepEqual(nssVerifyDer(ctx.pki, ctx.nss(), b.der ?? Buffer.alloc(0), b.content).statuses, ['DigestMismatch']),
  },
  {
    name: 'nss AES-128-CBC to bob', tool: 'nss', expect: { verdict: 'unsigned', reasons: ['not-integrity-protected'] }, args: BOB_KEY,
    build: (ctx) => {
      const der = nssEncryptDer(ctx.pki, ctx.nss(), [ctx.pki.users.bob], TEXT);
      return { message: mail(ctx.pki.users.alice, pkcs7Mime(der, 'enveloped-data')), der };
    },
    sanity: (ctx, b) => {
      assert.deepEqual(nssDecryptDer(ctx.pki, ctx.nss(), b.der ?? Buffer.alloc(0)), TEXT);
      assert.deepEqual(opensslDecrypts(ctx, b.message, ctx.pki.users.bob), TEXT);
    },
  },
  {
    name: 'nss sign then encrypt', tool: 'nss', expect: { verdict: 'valid' }, args: BOB_KEY,
    build: (ctx) => {
      const signed = nssDetached(ctx);
      const inner = multipartSigned(TEXT, signed.der ?? Buffer.alloc(0), 'sha256');
      const der = nssEncryptDer(ctx.pki, ctx.nss(), [ctx.pki.users.bob], inner);
      return { message: mail(ctx.pki.users.alice, pkcs7Mime(der, 'enveloped-data')), der, inner };
    },
    sanity: (ctx, b) => {
      assert.deepEqual(nssDecryptDer(ctx.pki, ctx.nss(), b.der ?? Buffer.alloc(0)), b.inner);
      assert.deepEqual(opensslAccepts(ctx, opensslDecrypts(ctx, b.message, ctx.pki.users.bob)), TEXT);
    },
  },
];

const gpgsmCases: ReadSideCase[] = [
  {
    name: 'gpgsm RSA detached SHA-256', tool: 'gpgsm', expect: { verdict: 'valid' },
    build: (ctx) => gpgsmSigned(ctx, false),
    sanity: (ctx, b) => {
      assert.ok(gpgsmVerifyDer(ctx.pki, ctx.gpgsm(), b.der ?? Buffer.alloc(0), b.content).ok);
      opensslAccepts(ctx, b.message);
    },
  },
  {
    name: 'gpgsm RSA opaque', tool: 'gpgsm', expect: { verdict: 'valid' },
    build: (ctx) => gpgsmSigned(ctx, true),
    sanity: (ctx, b) => {
      const r = gpgsmVerifyDer(ctx.pki, ctx.gpgsm(), b.der ?? Buffer.alloc(0));
      assert.ok(r.ok, r.status);
      assert.deepEqual(r.output, TEXT);
      assert.deepEqual(opensslAccepts(ctx, b.message), TEXT);
    },
  },
  ...(['AES256', '3DES'] as const).map((cipher): ReadSideCase => ({
    name: `gpgsm ${cipher} to bob`, tool: 'gpgsm', expect: { verdict: 'unsigned', reasons: ['not-integrity-protected'] }, args: BOB_KEY,
    build: (ctx) => {
      const der = gpgsmEncryptDer(ctx.pki, ctx.gpgsm(), [ctx.pki.users.bob], TEXT, cipher);
      return { message: mail(ctx.pki.users.alice, pkcs7Mime(der, 'enveloped-data')), der };
    },
    sanity: (ctx, b) => {
      assert.deepEqual(gpgsmDecryptDer(ctx.pki, ctx.gpgsm(), b.der ?? Buffer.alloc(0)), TEXT);
      assert.deepEqual(opensslDecrypts(ctx, b.message, ctx.pki.users.bob), TEXT);
    },
  })),
  {
    name: 'gpgsm sign then encrypt', tool: 'gpgsm', expect: { verdict: 'valid' }, args: BOB_KEY,
    build: (ctx) => {
      const signed = multipartSigned(TEXT, gpgsmSignDer(ctx.pki, ctx.gpgsm(), ctx.pki.users.alice, TEXT), 'sha256');
      const der = gpgsmEncryptDer(ctx.pki, ctx.gpgsm(), [ctx.pki.users.bob], signed);
      return { message: mail(ctx.pki.users.alice, pkcs7Mime(der, 'enveloped-data')), der, inner: signed };
    },
    sanity: (ctx, b) => {
      assert.deepEqual(gpgsmDecryptDer(ctx.pki, ctx.gpgsm(), b.der ?? Buffer.alloc(0)), b.inner);
      assert.deepEqual(opensslAccepts(ctx, opensslDecrypts(ctx, b.message, ctx.pki.users.bob)), TEXT);
    },
  },
];

export const PEER_CASES: ReadSideCase[] = [...nssCases, ...gpgsmCases];
