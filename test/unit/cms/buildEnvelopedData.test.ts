// EnvelopedData / AuthEnvelopedData made by buildEnvelopedData decrypt with `openssl cms -decrypt` and with our
// decryptEnveloped for every recipient type and cipher; RSA PKCS#1 v1.5 + AES-CBC also with NSS (`cmsutil -D`) and
// gpgsm, which read nothing else (interop.md). Keys are generated at test time.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildEnvelopedData, type ContentCipherName } from '../../../src/core/cms/build/envelopedDataBuilder';
import { parseContentInfo } from '../../../src/core/cms/contentInfo';
import { decryptEnveloped } from '../../../src/core/cms/enveloped';
import { decodeOid, type Asn1Node } from '../../../src/core/asn1/der';
import { OID } from '../../../src/core/asn1/oids';
import { createNssDb, nssAvailable, nssDecryptDer } from '../../helpers/nss';
import { createGpgsmHome, gpgsmAvailable, gpgsmDecryptDer } from '../../helpers/gpgsm';
import { sampleMixedEntity } from '../../helpers/mime';
import { runOpenssl } from '../../helpers/openssl';
import { sharedTestPki, workFile, type TestPki } from '../../helpers/pki';
import { gpgsmDecryptStatus, identityOf, issueUser, opensslDecryptDer, type BuildIdentity } from './buildFixtures';

type RecipientKind = 'rsa' | 'rsa-oaep' | 'p256' | 'p384';
const CIPHERS: ContentCipherName[] = ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'aes-128-gcm', 'aes-256-gcm'];
const CIPHER_NAME: Record<ContentCipherName, string> = {
  'aes-128-cbc': 'AES-128-CBC', 'aes-192-cbc': 'AES-192-CBC', 'aes-256-cbc': 'AES-256-CBC', 'aes-128-gcm': 'AES-128-GCM', 'aes-256-gcm': 'AES-256-GCM',
};
const CONTENT = sampleMixedEntity();

let pki: TestPki;
let people: Record<'alice' | 'bob' | 'bobec' | 'ecuser' | 'ec384' | 'x25519' | 'ed25519', BuildIdentity>;

before(async () => {
  pki = await sharedTestPki();
  people = {
    alice: identityOf(pki, pki.users.alice),
    bob: identityOf(pki, pki.users.bob),
    bobec: identityOf(pki, pki.users.bobec),
    ecuser: identityOf(pki, pki.users.ecuser),
    ec384: identityOf(pki, pki.users.ec384),
    x25519: issueUser(pki, 'X25519', 'X25519 User', 'x25519@example.com', 'keyAgreement'),
    ed25519: issueUser(pki, 'ED25519', 'Ed Recipient', 'edr@example.com', 'digitalSignature'),
  };
});

function recipientOf(kind: RecipientKind): BuildIdentity {
  return { rsa: people.alice, 'rsa-oaep': people.alice, p256: people.bobec, p384: people.ec384 }[kind];
}

function envelopeFields(der: Buffer): { type: string; fields: Asn1Node[] } {
  const info = parseContentInfo(der);
  return { type: info.contentType, fields: info.content.children };
}

function assertOursDecrypts(der: Buffer, who: BuildIdentity, cipher: ContentCipherName): void {
  const result = decryptEnveloped(der, [{ privateKey: who.privateKey, certificate: who.certificate }]);
  assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
  assert.deepEqual(result.content, CONTENT);
  assert.equal(result.contentEncryption.name, CIPHER_NAME[cipher]);
  assert.deepEqual(result.reasons, []);
}

function assertOpensslDecrypts(der: Buffer, who: BuildIdentity): void {
  const r = opensslDecryptDer(pki, der, who);
  assert.ok(r.ok, r.stderr);
  assert.deepEqual(r.output, CONTENT);
}

for (const kind of ['rsa', 'rsa-oaep', 'p256', 'p384'] as RecipientKind[]) {
  describe(`${kind} recipient`, () => {
    for (const cipher of CIPHERS) {
      test(`${cipher}: OpenSSL and our read side decrypt`, () => {
        const { der, smimeType } = buildEnvelopedData(CONTENT, [recipientOf(kind).certificate], { cipher, oaep: kind === 'rsa-oaep' });
        assert.equal(smimeType, cipher.endsWith('gcm') ? 'authEnveloped-data' : 'enveloped-data');
        assertOursDecrypts(der, recipientOf(kind), cipher);
        assertOpensslDecrypts(der, recipientOf(kind));
      });
    }
  });
}

/** Runs openssl, failing the test on a non-zero exit; returns its standard output. */
function mustOpenssl(args: string[]): string {
  const r = runOpenssl(args);
  assert.ok(r.ok, r.stderr);
  return r.stdout;
}

// OpenSSL 3.0's CMS code has no X25519 key agreement ("operation not supported for this keytype"), so each step
// of RFC 8418 / RFC 5753 is redone with OpenSSL's primitives: X25519 (pkeyutl -derive), the X9.63 KDF
// (kdf X963KDF), the AES key unwrap and the content decryption (enc).
describe('x25519 recipient', () => {
  for (const cipher of CIPHERS) {
    test(`${cipher}: our read side decrypts`, () => {
      const { der } = buildEnvelopedData(CONTENT, [people.x25519.certificate], { cipher });
      assertOursDecrypts(der, people.x25519, cipher);
    });
  }
  test('aes-256-cbc: every step agrees with OpenSSL\'s primitives', () => {
    const { der } = buildEnvelopedData(CONTENT, [people.x25519.certificate], { cipher: 'aes-256-cbc' });
    const { fields } = envelopeFields(der);
    const kari = fields[1].child(0);
    const originator = kari.child(1).child(0);
    assert.equal(decodeOid(originator.child(0).child(0)), OID.x25519);
    // SubjectPublicKeyInfo of the ephemeral key: id-X25519 without parameters, then the BIT STRING as sent.
    const spki = Buffer.concat([Buffer.from('302a300506032b656e', 'hex'), originator.child(1).raw]);
    const zFile = workFile(pki, 'x25519-z.bin');
    mustOpenssl(['pkeyutl', '-derive', '-inkey', people.x25519.keyPath, '-peerkey', workFile(pki, 'eph.der', spki), '-peerform', 'DER', '-out', zFile]);
    const z = readFileSync(zFile).toString('hex');
    // ECC-CMS-SharedInfo for aes256-wrap, no ukm, 256-bit KEK, encoded here by hand (RFC 5753 §7.2).
    const sharedInfo = '3015300b060960864801650304012da2060404' + '00000100';
    const kdfArgs = ['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA256', '-kdfopt', `hexsecret:${z}`, '-kdfopt', `hexinfo:${sharedInfo}`, 'X963KDF'];
    const kek = mustOpenssl(kdfArgs).trim().replace(/:/g, '');
    const cekFile = workFile(pki, 'x25519-cek.bin');
    const wrapped = workFile(pki, 'x25519-wrapped.bin', kari.child(3).child(0).child(1).value);
    mustOpenssl(['enc', '-d', '-id-aes256-wrap', '-K', kek, '-iv', 'A6A6A6A6A6A6A6A6', '-in', wrapped, '-out', cekFile]);
    const eci = fields[2];
    const plainFile = workFile(pki, 'x25519-plain.bin');
    mustOpenssl(['enc', '-d', '-aes-256-cbc', '-K', readFileSync(cekFile).toString('hex'), '-iv', eci.child(1).child(1).value.toString('hex'),
      '-in', workFile(pki, 'x25519-cipher.bin', eci.child(2).value), '-out', plainFile]);
    assert.deepEqual(readFileSync(plainFile), CONTENT);
  });
});

describe('NSS and gpgsm (RSA PKCS#1 v1.5 + AES-CBC)', () => {
  for (const cipher of ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc'] as ContentCipherName[]) {
    test(`${cipher}: cmsutil -D decrypts`, (t) => {
      if (!nssAvailable()) return t.skip('NSS tools not installed');
      const db = createNssDb(pki, [pki.users.alice]);
      assert.deepEqual(nssDecryptDer(pki, db, buildEnvelopedData(CONTENT, [people.alice.certificate], { cipher }).der), CONTENT);
    });
    test(`${cipher}: gpgsm --decrypt decrypts`, (t) => {
      if (!gpgsmAvailable()) return t.skip('gpgsm not installed');
      const home = createGpgsmHome(pki, [pki.users.alice]);
      assert.deepEqual(gpgsmDecryptDer(pki, home, buildEnvelopedData(CONTENT, [people.alice.certificate], { cipher }).der), CONTENT);
    });
  }
  test('two RSA recipients: each one alone decrypts with NSS and with gpgsm', (t) => {
    if (!nssAvailable() || !gpgsmAvailable()) return t.skip('NSS or gpgsm not installed');
    const { der } = buildEnvelopedData(CONTENT, [people.alice.certificate, people.bob.certificate]);
    for (const user of [pki.users.alice, pki.users.bob]) {
      assert.deepEqual(nssDecryptDer(pki, createNssDb(pki, [user]), der), CONTENT, `NSS as ${user.name}`);
      const g = gpgsmDecryptStatus(pki, createGpgsmHome(pki, [user]), der);
      assert.ok(g.ok, g.status);
      assert.deepEqual(g.output, CONTENT, `gpgsm as ${user.name}`);
    }
  });
  test('a recipient whose key is not in the store cannot decrypt (the checks above can fail)', (t) => {
    if (!nssAvailable()) return t.skip('NSS tools not installed');
    const { der } = buildEnvelopedData(CONTENT, [people.alice.certificate]);
    assert.throws(() => nssDecryptDer(pki, createNssDb(pki, [pki.users.bob]), der));
  });
});

describe('several recipients', () => {
  for (const cipher of ['aes-256-cbc', 'aes-256-gcm'] as ContentCipherName[]) {
    test(`${cipher}: RSA, P-256 and P-384 recipients each decrypt with OpenSSL and our read side`, () => {
      const who = [people.alice, people.bobec, people.ec384];
      const { der } = buildEnvelopedData(CONTENT, who.map((p) => p.certificate), { cipher });
      for (const p of who) {
        assertOursDecrypts(der, p, cipher);
        assertOpensslDecrypts(der, p);
      }
      assert.equal(opensslDecryptDer(pki, der, people.bob).ok, false, 'a non-recipient cannot decrypt');
    });
  }
  test('a certificate given twice makes one RecipientInfo', () => {
    const { der } = buildEnvelopedData(CONTENT, [people.alice.certificate, people.alice.certificate]);
    assert.equal(envelopeFields(der).fields[1].children.length, 1);
  });
});

describe('structure', () => {
  test('EnvelopedData version 0 with key transport only, 2 with key agreement; AuthEnvelopedData version 0', () => {
    const version = (der: Buffer) => envelopeFields(der).fields[0].value[0];
    assert.equal(version(buildEnvelopedData(CONTENT, [people.alice.certificate]).der), 0);
    assert.equal(version(buildEnvelopedData(CONTENT, [people.alice.certificate, people.bobec.certificate]).der), 2);
    const gcm = buildEnvelopedData(CONTENT, [people.bobec.certificate], { cipher: 'aes-128-gcm' }).der;
    assert.equal(envelopeFields(gcm).type, OID.authEnvelopedData);
    assert.equal(version(gcm), 0);
  });

  test('AES-CBC parameters are a 16-byte IV; GCMParameters hold a 12-byte nonce and ICVlen 16 written out', () => {
    const cbc = envelopeFields(buildEnvelopedData(CONTENT, [people.alice.certificate]).der).fields[2].child(1);
    assert.equal(decodeOid(cbc.child(0)), OID.aes256Cbc);
    assert.equal(cbc.child(1).value.length, 16);
    const gcm = envelopeFields(buildEnvelopedData(CONTENT, [people.alice.certificate], { cipher: 'aes-256-gcm' }).der);
    const params = gcm.fields[2].child(1).child(1);
    assert.equal(params.child(0).value.length, 12);
    assert.equal(params.child(1).value[0], 16);
    assert.equal(gcm.fields[3].value.length, 16, 'mac = the 16-byte tag');
    assert.equal(gcm.fields.length, 4, 'no authAttrs');
  });

  test('every message draws a fresh key, IV and ephemeral key', () => {
    const a = envelopeFields(buildEnvelopedData(CONTENT, [people.alice.certificate, people.bobec.certificate, people.ecuser.certificate]).der);
    const b = envelopeFields(buildEnvelopedData(CONTENT, [people.alice.certificate, people.bobec.certificate, people.ecuser.certificate]).der);
    assert.notDeepEqual(a.fields[2].child(1).child(1).value, b.fields[2].child(1).child(1).value, 'IV');
    assert.notDeepEqual(a.fields[2].child(2).value, b.fields[2].child(2).value, 'ciphertext');
    const originators = (f: Asn1Node[]) => f[1].children.filter((ri) => ri.isContext(1)).map((kari) => kari.child(1).child(0).child(1).value.toString('hex'));
    const all = [...originators(a.fields), ...originators(b.fields)];
    assert.equal(all.length, 4);
    assert.equal(new Set(all).size, 4, 'one ephemeral key per recipient and message');
  });

  test('KeyAgreeRecipientInfo as RFC 5753 and OpenSSL: version 3, bare id-ecPublicKey, no ukm, SHA-256 KDF, matching key wrap', () => {
    for (const [cipher, wrap] of [['aes-128-cbc', OID.aes128Wrap], ['aes-256-gcm', OID.aes256Wrap]] as const) {
      const kari = envelopeFields(buildEnvelopedData(CONTENT, [people.ec384.certificate], { cipher }).der).fields[1].child(0);
      assert.equal(kari.tagByte, 0xa1);
      assert.equal(kari.child(0).value[0], 3);
      const originatorAlg = kari.child(1).child(0).child(0);
      assert.equal(decodeOid(originatorAlg.child(0)), OID.ecPublicKey);
      assert.equal(originatorAlg.children.length, 1, 'curve parameters absent');
      assert.equal(kari.child(1).child(0).child(1).value.length, 1 + 1 + 2 * 48, 'uncompressed P-384 point');
      const keyEncryption = kari.child(2);
      assert.equal(decodeOid(keyEncryption.child(0)), OID.dhSinglePassStdDhSha256Kdf, 'no ukm: the algorithm follows the originator');
      assert.equal(decodeOid(keyEncryption.child(1).child(0)), wrap);
      assert.equal(keyEncryption.child(1).children.length, 1, 'key wrap parameters absent');
    }
  });

  test('RSA-OAEP parameters name SHA-256 and MGF1-SHA-256', () => {
    const ktri = envelopeFields(buildEnvelopedData(CONTENT, [people.alice.certificate], { oaep: true }).der).fields[1].child(0);
    const alg = ktri.child(2);
    assert.equal(decodeOid(alg.child(0)), OID.rsaOaep);
    assert.equal(decodeOid(alg.child(1).child(0).child(0).child(0)), OID.sha256);
    assert.equal(decodeOid(alg.child(1).child(1).child(0).child(0)), OID.mgf1);
    assert.equal(decodeOid(alg.child(1).child(1).child(0).child(1).child(0)), OID.sha256);
  });

  test('a changed GCM ciphertext byte is refused by OpenSSL and by our read side', () => {
    const { der } = buildEnvelopedData(CONTENT, [people.alice.certificate], { cipher: 'aes-256-gcm' });
    const at = envelopeFields(der).fields[2].child(2).valueStart + 100;
    const changed = Buffer.from(der);
    changed[at] ^= 1;
    assert.equal(opensslDecryptDer(pki, changed, people.alice).ok, false);
    const ours = decryptEnveloped(changed, [{ privateKey: people.alice.privateKey, certificate: people.alice.certificate }]);
    assert.equal(ours.decrypted, false);
    assert.equal(ours.reasons[0]?.code, 'auth-tag-mismatch');
  });
});

describe('refusals', () => {
  test('no recipient', () => {
    assert.throws(() => buildEnvelopedData(CONTENT, []), { name: 'BuildError', code: 'no-recipients' });
  });
  test('an Ed25519 certificate cannot be a recipient', () => {
    assert.throws(() => buildEnvelopedData(CONTENT, [people.ed25519.certificate]), { code: 'unsupported-key' });
  });
  test('an unknown cipher name', () => {
    assert.throws(() => buildEnvelopedData(CONTENT, [people.alice.certificate], { cipher: 'des-ede3-cbc' as ContentCipherName }), { code: 'unsupported-cipher' });
  });
});
