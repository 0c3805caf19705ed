// SignedData made by buildSignedData is verified by independent implementations: OpenSSL (`cms -verify`), NSS
// (`cmsutil -D`, Thunderbird's library), gpgsm, and our own read side through a whole S/MIME message. Ed25519,
// which OpenSSL 3.0's CMS code refuses ("invalid digest"), is checked with `openssl pkeyutl -rawin` over the
// signed attributes and `openssl dgst -sha512` over the content. Keys are generated at test time.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildSignedData, micalgFor, type SignerSpec } from '../../../src/core/cms/build/signedDataBuilder';
import { parseContentInfo } from '../../../src/core/cms/contentInfo';
import { parseSignedData, type SignedData } from '../../../src/core/cms/signedData';
import { OID } from '../../../src/core/asn1/oids';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import { runOpenssl } from '../../helpers/openssl';
import { createNssDb, nssAvailable, nssVerifyDer, type NssDb } from '../../helpers/nss';
import { createGpgsmHome, gpgsmAvailable, gpgsmVerifyDer, type GpgsmHome } from '../../helpers/gpgsm';
import { multipartSigned, pkcs7Mime, sampleMixedEntity, wrapMessage } from '../../helpers/mime';
import { sharedTestPki, workFile, type TestPki } from '../../helpers/pki';
import { identityOf, issueUser, loadCert, opensslVerifyDer, type BuildIdentity } from './buildFixtures';
import { asSigned, signersOf } from '../../helpers/report';

type Digest = 'sha256' | 'sha384' | 'sha512';
type Kind = 'rsa' | 'rsa-pss' | 'p256' | 'p384' | 'ed25519';
const KINDS: Kind[] = ['rsa', 'rsa-pss', 'p256', 'p384', 'ed25519'];
const DIGESTS: Digest[] = ['sha256', 'sha384', 'sha512'];
const MODES = ['detached', 'opaque'] as const;
/** Peers that read each kind (interop.md: NSS and gpgsm have no Ed25519). */
const PEER_READABLE: Record<Kind, boolean> = { rsa: true, 'rsa-pss': true, p256: true, p384: true, ed25519: false };

// A multipart/mixed entity with a base64 attachment, CRLF throughout: what a mail client signs.
const CONTENT = sampleMixedEntity();

let pki: TestPki;
let signers: Record<Kind, BuildIdentity>;
let nss: NssDb | undefined;
let gpgsm: GpgsmHome | undefined;
const built = new Map<string, Buffer>();

before(async () => {
  pki = await sharedTestPki();
  signers = {
    rsa: identityOf(pki, pki.users.alice),
    'rsa-pss': identityOf(pki, pki.users.pssuser),
    p256: identityOf(pki, pki.users.ecuser),
    p384: identityOf(pki, pki.users.ec384),
    ed25519: issueUser(pki, 'ED25519', 'Ed User', 'ed@example.com', 'digitalSignature,nonRepudiation'),
  };
  if (nssAvailable()) nss = createNssDb(pki, []);
  if (gpgsmAvailable()) gpgsm = createGpgsmHome(pki, []);
});

function specOf(kind: Kind, digest?: Digest): SignerSpec {
  const s = signers[kind];
  return { privateKey: s.privateKey, certificate: s.certificate, chain: s.chain, digest, pss: kind === 'rsa-pss' };
}

/** One signature per case, built once and shared by every verifier. */
function signed(kind: Kind, digest: Digest, mode: (typeof MODES)[number]): Buffer {
  const key = `${kind}/${digest}/${mode}`;
  let der = built.get(key);
  if (!der) {
    der = buildSignedData(CONTENT, [specOf(kind, digest)], { detached: mode === 'detached' });
    built.set(key, der);
  }
  return der;
}

function readSignedData(der: Buffer): SignedData {
  const info = parseContentInfo(der);
  assert.equal(info.contentType, OID.signedData);
  return parseSignedData(info.content);
}

/** Our read side, end to end: the signature inside a whole message from the signer's address. */
function analyzeSigned(der: Buffer, digest: Digest, mode: (typeof MODES)[number], from: string) {
  const entity = mode === 'detached' ? multipartSigned(CONTENT, der, digest) : pkcs7Mime(der, 'signed-data');
  const message = wrapMessage({ from, to: 'bob@example.com', subject: 'build test' }, entity);
  return analyzeMessage(message, { anchors: [loadCert(pki.root.cert)] }).report;
}

/** Ed25519 without OpenSSL's CMS code: pure EdDSA over the DER SET of signed attributes (RFC 8419 §3.1). */
function opensslCheckEd25519(der: Buffer, signer: BuildIdentity): void {
  const signerInfo = readSignedData(der).signerInfos[0];
  const attrsNode = parseContentInfo(der).content.children.at(-1)?.child(0).child(3);
  if (!attrsNode?.isContext(0)) throw new Error('no signed attributes at [0]');
  assert.equal(attrsNode.raw[0], 0xa0);
  const setDer = Buffer.concat([Buffer.from([0x31]), attrsNode.raw.subarray(1)]);
  const pub = workFile(pki, 'ed-pub.pem');
  assert.ok(runOpenssl(['x509', '-in', signer.certPath, '-pubkey', '-noout', '-out', pub]).ok);
  const verify = runOpenssl(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', workFile(pki, 'ed-attrs.der', setDer),
    '-sigfile', workFile(pki, 'ed-sig.bin', signerInfo.signature)]);
  assert.ok(verify.ok && /Signature Verified Successfully/.test(verify.stdout), verify.stderr + verify.stdout);
  const digest = runOpenssl(['dgst', '-sha512', '-r', workFile(pki, 'ed-content.bin', CONTENT)]).stdout.split(' ')[0];
  assert.equal(signerInfo.signedAttrs?.get(OID.messageDigest)?.[0].value.toString('hex'), digest);
  const chain = runOpenssl(['verify', '-CAfile', pki.root.cert, '-untrusted', pki.inter.cert, signer.certPath]);
  assert.ok(chain.ok, chain.stderr);
}

for (const kind of KINDS) {
  describe(`${kind} signatures`, () => {
    for (const digest of kind === 'ed25519' ? (['sha512'] as Digest[]) : DIGESTS) {
      for (const mode of MODES) {
        const name = `${digest} ${mode}`;
        test(`${name}: OpenSSL verifies`, () => {
          const der = signed(kind, digest, mode);
          if (kind === 'ed25519') return opensslCheckEd25519(der, signers[kind]);
          const r = opensslVerifyDer(pki, der, mode === 'detached' ? CONTENT : undefined);
          assert.ok(r.ok, r.stderr);
          if (mode === 'opaque') assert.deepEqual(r.output, CONTENT);
        });
        test(`${name}: our read side finds it valid`, () => {
          const report = analyzeSigned(signed(kind, digest, mode), digest, mode, signers[kind].email);
          assert.equal(report.verdict, 'valid', JSON.stringify(report.reasons));
          const signer = signersOf(report.layers[0])[0];
          assert.equal(signer?.status, 'valid');
          assert.equal(asSigned(report.layers[0]).form, mode);
          assert.match(signer?.digestAlgorithm ?? '', new RegExp(digest.replace('sha', 'SHA-')));
        });
        if (!PEER_READABLE[kind]) continue;
        test(`${name}: NSS verifies`, (t) => {
          if (!nss) return t.skip('NSS tools not installed');
          const r = nssVerifyDer(pki, nss, signed(kind, digest, mode), mode === 'detached' ? CONTENT : undefined);
          assert.ok(r.ok, r.report);
        });
        test(`${name}: gpgsm verifies`, (t) => {
          if (!gpgsm) return t.skip('gpgsm not installed');
          const der = signed(kind, digest, mode);
          const r = gpgsmVerifyDer(pki, gpgsm, der, mode === 'detached' ? CONTENT : undefined);
          assert.ok(r.ok, r.status);
          if (mode === 'opaque') assert.deepEqual(r.output, CONTENT);
        });
      }
    }
  });
}

describe('structure', () => {
  test('SignedData v1, content only when opaque, each certificate once, DER-sorted signed attributes', () => {
    for (const mode of MODES) {
      const sd = readSignedData(signed('rsa', 'sha256', mode));
      assert.equal(sd.version, 1);
      assert.equal(sd.eContentType, OID.data);
      assert.equal(sd.eContent?.octets().equals(CONTENT) ?? false, mode === 'opaque');
      assert.deepEqual(sd.certificates.map((c) => c.subject.text).sort(), [signers.rsa.certificate.subject.text, signers.rsa.chain[0].subject.text].sort());
      const si = sd.signerInfos[0];
      assert.equal(si.version, 1);
      assert.equal(si.sid.type, 'issuerAndSerialNumber');
      assert.deepEqual([...(si.signedAttrs?.keys() ?? [])].sort(),
        [OID.contentType, OID.signingTime, OID.messageDigest, OID.smimeCapabilities, OID.signingCertificateV2].sort());
      // X.690 §11.6: ascending order of the attribute encodings.
      const encodings = parseContentInfo(signed('rsa', 'sha256', mode)).content.children.at(-1)?.child(0).child(3).children.map((c) => c.raw) ?? [];
      assert.equal(encodings.length, 5);
      for (let i = 1; i < encodings.length; i++) assert.ok(Buffer.compare(encodings[i - 1], encodings[i]) < 0, `attribute ${i} out of DER order`);
    }
  });

  test('signingCertificateV2 holds the SHA-256 of the signer certificate, no hashAlgorithm, and its issuer and serial', () => {
    const si = readSignedData(signed('p256', 'sha256', 'detached')).signerInfos[0];
    const value = si.signedAttrs?.get(OID.signingCertificateV2)?.[0];
    const essCertIdV2 = value?.child(0).child(0);
    assert.ok(essCertIdV2);
    assert.equal(essCertIdV2.child(0).tagByte, 0x04, 'certHash first: hashAlgorithm DEFAULT sha256 left out');
    assert.deepEqual(essCertIdV2.child(0).value, createHash('sha256').update(signers.p256.certificate.der).digest());
    const issuerSerial = essCertIdV2.child(1);
    assert.deepEqual(issuerSerial.child(0).child(0).child(0).raw, signers.p256.certificate.issuerDer);
    assert.deepEqual(issuerSerial.child(1).value, signers.p256.certificate.serialBytes);
  });

  test('algorithm identifiers as peers write them', () => {
    const rsa = readSignedData(signed('rsa', 'sha384', 'detached')).signerInfos[0];
    assert.equal(rsa.signatureAlgorithm.oid, OID.rsaEncryption);
    assert.equal(rsa.digestAlgorithm.oid, OID.sha384);
    assert.equal(rsa.digestAlgorithm.params, undefined, 'digest parameters absent (RFC 5754 §2)');
    const pss = readSignedData(signed('rsa-pss', 'sha512', 'detached')).signerInfos[0];
    assert.equal(pss.signatureAlgorithm.oid, OID.rsaPss);
    const params = pss.signatureAlgorithm.params;
    assert.equal(params?.children.length, 3);
    assert.equal(params?.child(2).child(0).value.readUInt8(0), 64, 'salt = SHA-512 length');
    const ec = readSignedData(signed('p384', 'sha384', 'detached')).signerInfos[0];
    assert.equal(ec.signatureAlgorithm.oid, OID.ecdsaWithSha384);
    assert.equal(ec.signatureAlgorithm.params, undefined);
    const ed = readSignedData(signed('ed25519', 'sha512', 'detached')).signerInfos[0];
    assert.equal(ed.signatureAlgorithm.oid, OID.ed25519);
    assert.equal(ed.digestAlgorithm.oid, OID.sha512);
  });

  test('signing time and capabilities follow the options; id-data is the default content type', () => {
    const when = new Date('2051-03-04T05:06:07.890Z');
    const der = buildSignedData(CONTENT, [specOf('rsa')], { detached: true, signingTime: when, smimeCapabilities: [] });
    const si = readSignedData(der).signerInfos[0];
    const time = si.signedAttrs?.get(OID.signingTime)?.[0];
    assert.equal(time?.tagByte, 0x18, 'GeneralizedTime after 2049 (RFC 5652 §11.3)');
    assert.equal(time?.value.toString('latin1'), '20510304050607Z');
    assert.equal(si.signedAttrs?.has(OID.smimeCapabilities), false);
    const caps = readSignedData(buildSignedData(CONTENT, [specOf('rsa')], { detached: true, smimeCapabilities: [OID.aes128Cbc, OID.aes256Gcm] })).signerInfos[0];
    const listed = caps.signedAttrs?.get(OID.smimeCapabilities)?.[0].children.map((c) => c.child(0).raw.toString('hex'));
    assert.equal(listed?.length, 2, 'the order given is kept (a SEQUENCE OF)');
  });

  test('another eContentType makes version 3 and is what contentType says; OpenSSL verifies it', () => {
    const tstInfo = '1.2.840.113549.1.9.16.1.4';
    const der = buildSignedData(CONTENT, [specOf('p256')], { detached: false, eContentType: tstInfo });
    const sd = readSignedData(der);
    assert.equal(sd.version, 3);
    assert.equal(sd.eContentType, tstInfo);
    const ct = sd.signerInfos[0].signedAttrs?.get(OID.contentType)?.[0];
    assert.equal(ct?.raw.toString('hex'), '060b2a864886f70d0109100104');
    const r = opensslVerifyDer(pki, der);
    assert.ok(r.ok, r.stderr);
  });

  test('two signers with different digests: both SignerInfos, both digests, shared intermediate once; every peer verifies', (t) => {
    const der = buildSignedData(CONTENT, [specOf('rsa', 'sha256'), specOf('p384', 'sha384')], { detached: true });
    const sd = readSignedData(der);
    assert.equal(sd.signerInfos.length, 2);
    assert.deepEqual(sd.digestAlgorithms.sort(), [OID.sha256, OID.sha384].sort());
    assert.equal(sd.certificates.length, 3);
    const r = opensslVerifyDer(pki, der, CONTENT);
    assert.ok(r.ok, r.stderr);
    if (nss) {
      const n = nssVerifyDer(pki, nss, der, CONTENT);
      assert.deepEqual(n.statuses, ['GoodSignature', 'GoodSignature'], n.report);
    }
    if (gpgsm) assert.ok(gpgsmVerifyDer(pki, gpgsm, der, CONTENT).ok);
    if (!nss || !gpgsm) t.diagnostic('NSS or gpgsm missing: only OpenSSL checked');
  });

  test('a changed content byte fails every verifier (the tests above can fail)', () => {
    const der = signed('rsa', 'sha256', 'detached');
    const changed = Buffer.from(CONTENT);
    changed[changed.length - 10] ^= 1;
    assert.equal(opensslVerifyDer(pki, der, changed).ok, false);
    if (nss) assert.equal(nssVerifyDer(pki, nss, der, changed).ok, false);
    if (gpgsm) assert.equal(gpgsmVerifyDer(pki, gpgsm, der, changed).ok, false);
  });

  test('micalg names (RFC 5751 §3.4.3.2)', () => {
    assert.deepEqual(DIGESTS.map(micalgFor), ['sha-256', 'sha-384', 'sha-512']);
  });
});

describe('id-RSASSA-PSS keys', () => {
  test('sign with PSS even when pss is not asked for; OpenSSL and our read side verify; they cannot be recipients', async () => {
    const user = issueUser(pki, 'RSA-PSS', 'PSS Key User', 'psskey@example.com', 'digitalSignature');
    assert.equal(user.privateKey.asymmetricKeyType, 'rsa-pss');
    const der = buildSignedData(CONTENT, [{ privateKey: user.privateKey, certificate: user.certificate, chain: user.chain }], { detached: true });
    assert.equal(readSignedData(der).signerInfos[0].signatureAlgorithm.oid, OID.rsaPss);
    const r = opensslVerifyDer(pki, der, CONTENT);
    assert.ok(r.ok, r.stderr);
    assert.equal(analyzeSigned(der, 'sha256', 'detached', user.email).verdict, 'valid');
    const { buildEnvelopedData } = await import('../../../src/core/cms/build/envelopedDataBuilder');
    assert.throws(() => buildEnvelopedData(CONTENT, [user.certificate]), { code: 'unsupported-key' });
  });
});

describe('refusals', () => {
  test('a key that does not belong to the certificate', () => {
    const spec = { ...specOf('rsa'), certificate: signers['rsa-pss'].certificate };
    assert.throws(() => buildSignedData(CONTENT, [spec], { detached: true }), { name: 'BuildError', code: 'key-cert-mismatch' });
  });
  test('no signer', () => {
    assert.throws(() => buildSignedData(CONTENT, [], { detached: true }), { code: 'no-signers' });
  });
  test('Ed25519 with anything but SHA-512, PSS with an EC key', () => {
    assert.throws(() => buildSignedData(CONTENT, [specOf('ed25519', 'sha256')], { detached: true }), { code: 'unsupported-digest' });
    assert.throws(() => buildSignedData(CONTENT, [{ ...specOf('p256'), pss: true }], { detached: true }), { code: 'unsupported-key' });
  });
  test('an Ed448 key is not supported', () => {
    const ed448 = issueUser(pki, 'ED448', 'Ed448 User', 'ed448@example.com', 'digitalSignature');
    assert.throws(() => buildSignedData(CONTENT, [{ privateKey: ed448.privateKey, certificate: ed448.certificate }], { detached: true }), { code: 'unsupported-key' });
  });
});
