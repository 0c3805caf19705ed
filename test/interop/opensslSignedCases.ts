// Read-side cases for messages signed by OpenSSL: algorithms that must verify, and each way a signature or its
// signer can be wrong, with the reason code the report must carry.
import assert from 'node:assert/strict';
import { flipByte, mixedOf, multipartSigned, pkcs7Mime, replaceOnce, sampleMixedEntity, toLf } from '../helpers/mime';
import {
  opensslCertsOnlyDer, opensslNativeSignedMessage, opensslSignDer, opensslSigned, opensslVerifyDetached, SignOptions,
} from '../helpers/openssl';
import { UserName } from '../helpers/pki';
import {
  Built, Expectation, InteropContext, mail, opensslAccepts, opensslRejects, ReadSideCase, TAMPER_FROM, TAMPER_TO, TEXT,
} from './caseTypes';

const VALID: Expectation = { verdict: 'valid' };
/** OpenSSL 3.0's words for "the content does not match the messageDigest attribute". */
const DIGEST_FAILURE = /CMS_SignerInfo_verify_content:verification failure/;

function signedBy(ctx: InteropContext, signer: UserName, options: SignOptions = {}, from: UserName = signer, content = TEXT): Built {
  const der = opensslSignDer(ctx.pki, ctx.pki.users[signer], content, options);
  const entity = options.opaque ? pkcs7Mime(der, 'signed-data', options) : multipartSigned(content, der, options.digest ?? 'sha256', options);
  return { message: mail(ctx.pki.users[from], entity), der, content };
}

/** OpenSSL must accept the message and, for a detached signature, the exact bytes of its first part. */
function acceptsExactly(ctx: InteropContext, b: Built): void {
  assert.deepEqual(opensslAccepts(ctx, b.message), b.content);
  if (b.der && b.content && !b.message.includes('smime-type=signed-data')) {
    const exact = opensslVerifyDetached(ctx.pki, b.der, b.content);
    assert.ok(exact.ok, exact.stderr);
  }
}

/** A good signature by `signer` with `options`: OpenSSL verifies it and the CLI must say valid. */
function goodSignature(name: string, signer: UserName, options: SignOptions, check?: Expectation['check']): ReadSideCase {
  return {
    name, tool: 'openssl', expect: { ...VALID, check },
    build: (ctx) => signedBy(ctx, signer, options),
    sanity: acceptsExactly,
  };
}

function signerField(field: 'digestAlgorithm' | 'signatureAlgorithm', pattern: RegExp): Expectation['check'] {
  return (report) => assert.match(String(report?.layers.find((l) => l.kind === 'signed')?.signers?.[0]?.[field]), pattern);
}

const algorithms: ReadSideCase[] = [
  goodSignature('openssl RSA detached SHA-256', 'alice', {}),
  goodSignature('openssl RSA opaque SHA-256', 'alice', { opaque: true }),
  goodSignature('openssl RSA detached SHA-384', 'alice', { digest: 'sha384' }, signerField('digestAlgorithm', /sha-?384/i)),
  goodSignature('openssl RSA detached SHA-512', 'alice', { digest: 'sha512' }, signerField('digestAlgorithm', /sha-?512/i)),
  goodSignature('openssl ECDSA P-256 detached', 'ecuser', {}, signerField('signatureAlgorithm', /ecdsa/i)),
  goodSignature('openssl ECDSA P-384 opaque SHA-384', 'ec384', { opaque: true, digest: 'sha384' }, signerField('signatureAlgorithm', /ecdsa/i)),
  goodSignature('openssl RSA-PSS salt 32 detached', 'pssuser', { pss: true }, signerField('signatureAlgorithm', /pss/i)),
  goodSignature('x-pkcs7-signature (pre-RFC 5751 types)', 'alice', { legacyTypes: true }),
  goodSignature('x-pkcs7-mime opaque (pre-RFC 5751 types)', 'alice', { opaque: true, legacyTypes: true }),
  {
    name: 'openssl SHA-1 is weak by default', tool: 'openssl', expect: { reasons: ['weak-algorithm'], exit: 1 },
    build: (ctx) => signedBy(ctx, 'alice', { digest: 'sha1' }),
    sanity: acceptsExactly,
  },
  {
    name: 'openssl SHA-1 with --allow-sha1', tool: 'openssl', expect: VALID, args: () => ['--allow-sha1'],
    build: (ctx) => signedBy(ctx, 'alice', { digest: 'sha1' }),
    sanity: acceptsExactly,
  },
  {
    name: 'multipart/mixed with base64 attachment', tool: 'openssl', expect: VALID,
    build: (ctx) => signedBy(ctx, 'alice', {}, 'alice', sampleMixedEntity()),
    sanity: acceptsExactly,
  },
  {
    // Real OpenSSL output: -crlfeol leaves the base64 signature part with LF endings (a known OpenSSL trap).
    name: 'openssl native S/MIME writer (-crlfeol)', tool: 'openssl', expect: VALID, lineEnding: 'mixed',
    build: (ctx) => ({ message: opensslNativeSignedMessage(ctx.pki, ctx.pki.users.alice, TEXT, 'bob@example.com') }),
    sanity: (ctx, b) => opensslAccepts(ctx, b.message),
  },
  {
    name: 'intermediate not in message, given with --ca', tool: 'openssl', expect: VALID,
    trust: (ctx) => [ctx.pki.root.cert, ctx.pki.inter.cert],
    build: (ctx) => signedBy(ctx, 'alice', { includeChain: false }),
    sanity: (ctx, b) => {
      opensslRejects(ctx, b.message, /unable to get local issuer certificate/);
      opensslAccepts(ctx, b.message, { trust: [ctx.pki.root.cert, ctx.pki.inter.cert] });
    },
  },
  {
    // RFC 8551 §3.1.1: the signature covers the CRLF form; a Unix mail store keeps LF.
    name: 'message saved with LF line endings', tool: 'openssl', lineEnding: 'lf', expect: { verdict: 'valid', reasons: ['line-endings-canonicalized'] },
    build: (ctx) => {
      const crlf = signedBy(ctx, 'alice');
      return { ...crlf, message: toLf(crlf.message) };
    },
    sanity: (ctx, b) => {
      // Only the CRLF form verifies; OpenSSL's text mode gets there by canonicalising the LF file.
      assert.equal(opensslVerifyDetached(ctx.pki, b.der ?? Buffer.alloc(0), toLf(TEXT)).ok, false);
      assert.ok(opensslVerifyDetached(ctx.pki, b.der ?? Buffer.alloc(0), TEXT).ok);
      opensslAccepts(ctx, b.message);
    },
  },
];

const broken: ReadSideCase[] = [
  {
    name: 'tampered body, detached', tool: 'openssl', expect: { verdict: 'invalid', reasons: ['digest-mismatch'] },
    build: (ctx) => ({ message: replaceOnce(signedBy(ctx, 'alice').message, TAMPER_FROM, TAMPER_TO) }),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, DIGEST_FAILURE),
  },
  {
    name: 'tampered content, opaque', tool: 'openssl', expect: { verdict: 'invalid', reasons: ['digest-mismatch'] },
    build: (ctx) => {
      const der = replaceOnce(opensslSignDer(ctx.pki, ctx.pki.users.alice, TEXT, { opaque: true }), TAMPER_FROM, TAMPER_TO);
      return { message: mail(ctx.pki.users.alice, pkcs7Mime(der, 'signed-data')) };
    },
    sanity: (ctx, b) => opensslRejects(ctx, b.message, DIGEST_FAILURE),
  },
  {
    // The SignatureValue is the last field of the last SignerInfo, so the DER's last byte is in it (RFC 5652 §5.3).
    name: 'corrupted RSA signature value', tool: 'openssl', expect: { verdict: 'invalid', reasons: ['bad-signature'] },
    build: (ctx) => {
      const der = flipByte(opensslSignDer(ctx.pki, ctx.pki.users.alice, TEXT), -1);
      return { message: mail(ctx.pki.users.alice, multipartSigned(TEXT, der, 'sha256')) };
    },
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /CMS_SignerInfo_verify:verification failure/),
  },
  {
    // The shown part says 900, the content inside the SignedData says 100: which one was signed?
    name: 'detached part differs from content inside SignedData', tool: 'openssl', expect: { reasons: ['ambiguous-content'], exit: 1 },
    build: (ctx) => {
      const der = opensslSignDer(ctx.pki, ctx.pki.users.alice, TEXT, { opaque: true });
      return { message: mail(ctx.pki.users.alice, multipartSigned(replaceOnce(TEXT, TAMPER_FROM, TAMPER_TO), der, 'sha256')), der };
    },
    sanity: (ctx, b) => opensslAccepts(ctx, mail(ctx.pki.users.alice, pkcs7Mime(b.der ?? Buffer.alloc(0), 'signed-data'))),
  },
  {
    name: 'certs-only SignedData in place of a signature', tool: 'openssl', expect: { reasons: ['no-signers'], exit: 1 },
    build: (ctx) => {
      const der = opensslCertsOnlyDer(ctx.pki, [ctx.pki.users.alice.cert, ctx.pki.inter.cert]);
      return { message: mail(ctx.pki.users.alice, multipartSigned(TEXT, der, 'sha256')) };
    },
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /CMS_verify:no signers/),
  },
];

const signers: ReadSideCase[] = [
  {
    name: 'expired signer certificate', tool: 'openssl', expect: { verdict: 'untrusted', reasons: ['cert-expired'] },
    build: (ctx) => signedBy(ctx, 'expired'),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /certificate has expired/),
  },
  {
    name: 'verified at 2100 (--at), after the signer expired', tool: 'openssl', expect: { verdict: 'untrusted', reasons: ['cert-expired'] },
    args: () => ['--at', '2100-01-01T00:00:00Z'],
    build: (ctx) => signedBy(ctx, 'alice'),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /certificate has expired/, { at: new Date('2100-01-01T00:00:00Z') }),
  },
  {
    name: 'verified at 2023 (--at), before the signer was valid', tool: 'openssl', expect: { verdict: 'untrusted', reasons: ['cert-not-yet-valid'] },
    args: () => ['--at', '2023-06-01T00:00:00Z'],
    build: (ctx) => signedBy(ctx, 'alice'),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /not yet valid/, { at: new Date('2023-06-01T00:00:00Z') }),
  },
  {
    name: 'signer EKU serverAuth only', tool: 'openssl', expect: { verdict: 'untrusted', reasons: ['ext-key-usage'] },
    build: (ctx) => signedBy(ctx, 'noeku'),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /unsuitable certificate purpose/),
  },
  {
    name: 'signer key usage keyEncipherment only', tool: 'openssl', expect: { verdict: 'untrusted', reasons: ['key-usage'] },
    build: (ctx) => signedBy(ctx, 'encOnly'),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /unsuitable certificate purpose/),
  },
  {
    name: 'revoked signer, CRLs given', tool: 'openssl', expect: { verdict: 'untrusted', reasons: ['revoked'] },
    args: (ctx) => ['--crl', ctx.pki.inter.crl, '--crl', ctx.pki.root.crl],
    build: (ctx) => signedBy(ctx, 'revoked'),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /certificate revoked/, { crls: [ctx.pki.inter.crl, ctx.pki.root.crl] }),
  },
  {
    name: 'revoked signer, no CRL given', tool: 'openssl', expect: VALID,
    build: (ctx) => signedBy(ctx, 'revoked'),
    sanity: acceptsExactly,
  },
  {
    name: 'chain to a root that is not trusted', tool: 'openssl', expect: { verdict: 'untrusted', reasons: ['untrusted-root'] },
    trust: (ctx) => [ctx.pki.otherRoot.cert],
    build: (ctx) => signedBy(ctx, 'alice'),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /unable to get local issuer certificate/, { trust: [ctx.pki.otherRoot.cert] }),
  },
  {
    name: 'self-signed signer', tool: 'openssl', expect: { verdict: 'untrusted', reasons: ['untrusted-root'] },
    build: (ctx) => signedBy(ctx, 'selfsigned'),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /self.signed certificate/),
  },
  {
    name: 'mallory signs a message From: alice', tool: 'openssl', expect: { verdict: 'mismatch', reasons: ['sender-mismatch'] },
    build: (ctx) => signedBy(ctx, 'mallory', {}, 'alice'),
    sanity: acceptsExactly,
  },
  {
    // OpenSSL sets signingTime to now; the Date header says 2020 (RFC 8551 §2.5.1 signingTime). A warning of its
    // own: the signature and the From binding are proven without it, so the verdict stays valid.
    name: 'Date header years away from signing time', tool: 'openssl', expect: { verdict: 'valid', reasons: ['signing-time-mismatch'] },
    build: (ctx) => ({
      message: mail(ctx.pki.users.alice, opensslSigned(ctx.pki, ctx.pki.users.alice, TEXT), { date: new Date('2020-01-01T12:00:00Z') }),
    }),
    sanity: (ctx, b) => opensslAccepts(ctx, b.message),
  },
  {
    // Signature spoofing: a validly signed part next to an unsigned one (Müller et al., USENIX Security 2019).
    name: 'signed part beside an unsigned part', tool: 'openssl', expect: { verdict: 'unsigned', reasons: ['partial-signature'] },
    build: (ctx) => {
      const signed = opensslSigned(ctx.pki, ctx.pki.users.alice, TEXT);
      const unsigned = replaceOnce(TEXT, TAMPER_FROM, TAMPER_TO);
      return { message: mail(ctx.pki.users.alice, mixedOf([unsigned, signed])), inner: signed };
    },
    sanity: (ctx, b) => opensslAccepts(ctx, b.inner ?? Buffer.alloc(0)),
  },
  {
    name: 'plain unsigned message', tool: 'openssl', expect: { verdict: 'unsigned' },
    build: (ctx) => ({ message: mail(ctx.pki.users.alice, TEXT) }),
    sanity: (ctx, b) => opensslRejects(ctx, b.message, /invalid mime type/),
  },
];

export const OPENSSL_SIGNED_CASES: ReadSideCase[] = [...algorithms, ...broken, ...signers];
