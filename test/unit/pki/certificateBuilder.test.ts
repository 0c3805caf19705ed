/**
 * Certificates from issueCertificate, checked by OpenSSL (an independent parser and path validator):
 * `openssl x509 -text` for the fields and extensions, `openssl verify` for signatures, purposes and dates.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../../src/core/asn1/oids';
import { encodeKeyUsage, issueCertificate, type CertificateIssuer, type CertificateRequest } from '../../../src/core/pki/certificateBuilder';
import { certificatesToPem } from '../../../src/core/pki/pemWriter';
import { Certificate } from '../../../src/core/x509/certificate';
import { DAY, HAS_OPENSSL, HOUR, TempDir, generateKey, makeCa, openssl, type KeyKind } from './pkiTestUtil';

let tmp: TempDir;
let rsaCa: CertificateIssuer;
let caPath: string;

function leafRequest(kind: KeyKind, issuer: CertificateIssuer, extra: Partial<CertificateRequest> = {}): CertificateRequest {
  const now = Date.now();
  return {
    subject: { CN: `${kind} leaf`, emailAddress: `${kind}@example.com` },
    emails: [`${kind}@example.com`],
    publicKey: generateKey(kind).publicKey,
    issuer,
    notBefore: new Date(now - HOUR),
    notAfter: new Date(now + 10 * DAY),
    ...extra,
  };
}

let count = 0;
function save(cert: Certificate): string {
  return tmp.write(`cert${++count}.pem`, certificatesToPem([cert]));
}

function text(cert: Certificate): string {
  const r = openssl(['x509', '-in', save(cert), '-noout', '-text']);
  assert.ok(r.ok, r.stderr);
  return r.stdout;
}

function verify(cert: Certificate, ca = caPath, extra: string[] = []): { ok: boolean; output: string } {
  const r = openssl(['verify', '-CAfile', ca, ...extra, save(cert)]);
  return { ok: r.ok, output: r.stdout + r.stderr };
}

describe('issueCertificate', { skip: !HAS_OPENSSL && 'openssl not installed' }, () => {
  before(() => {
    tmp = new TempDir();
    rsaCa = makeCa('rsa');
    caPath = tmp.write('ca.pem', certificatesToPem([rsaCa.certificate]));
  });
  after(() => tmp.cleanup());

  test('a self-signed RSA CA: v3, critical CA basicConstraints and keyUsage, SKI = AKI, verifies as its own anchor', () => {
    const t = text(rsaCa.certificate);
    assert.match(t, /Version: 3 \(0x2\)/);
    assert.match(t, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(t, /Basic Constraints: critical\s+CA:TRUE/);
    assert.match(t, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    assert.doesNotMatch(t, /Extended Key Usage/);
    const ski = t.match(/Subject Key Identifier:\s+([0-9A-F:]+)/)?.[1];
    const aki = t.match(/Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/)?.[1];
    assert.ok(ski && ski === aki, `SKI ${ski} AKI ${aki}`);
    assert.ok(verify(rsaCa.certificate).ok);
  });

  test('the SKI is RFC 5280 method 1, as OpenSSL computes it for the same key', () => {
    const key = generateKey('rsa');
    const keyPath = tmp.write('ski.key.pem', key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const theirs = openssl(['req', '-new', '-x509', '-key', keyPath, '-subj', '/CN=ski', '-days', '1', '-addext', 'subjectKeyIdentifier=hash']);
    assert.ok(theirs.ok, theirs.stderr);
    const theirSki = new Certificate(Buffer.from(theirs.stdout.replace(/-----[^-]+-----|\s/g, ''), 'base64')).subjectKeyIdentifier;
    const ours = issueCertificate(leafRequest('rsa', rsaCa, { publicKey: key.publicKey }));
    assert.deepEqual(ours.subjectKeyIdentifier, theirSki);
  });

  test('an RSA S/MIME leaf chains to the CA for smimesign and smimeencrypt and carries SAN, EKU, AKI', () => {
    const cert = issueCertificate(leafRequest('rsa', rsaCa));
    const t = text(cert);
    assert.match(t, /Basic Constraints: \n\s+CA:FALSE/);
    assert.match(t, /Key Usage: critical\s+Digital Signature, Key Encipherment/);
    assert.match(t, /Extended Key Usage: \n\s+E-mail Protection/);
    assert.match(t, /Subject Alternative Name: \n\s+email:rsa@example.com/);
    assert.match(t, /Subject: CN = rsa leaf, emailAddress = rsa@example.com/);
    assert.match(t, /Issuer: O = smime tests, CN = Writer Test Root CA/);
    assert.deepEqual(cert.issuerDer, rsaCa.certificate.subjectDer);
    const aki = t.match(/Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/)?.[1]?.replace(/:/g, '');
    assert.equal(aki, rsaCa.certificate.subjectKeyIdentifier?.toString('hex').toUpperCase());
    for (const purpose of ['smimesign', 'smimeencrypt']) assert.ok(verify(cert, caPath, ['-purpose', purpose]).ok, purpose);
    assert.ok(cert.verifySignatureBy(rsaCa.certificate));
  });

  test('an Ed25519 leaf under the RSA CA', () => {
    const cert = issueCertificate(leafRequest('ed25519', rsaCa));
    const t = text(cert);
    assert.match(t, /Public Key Algorithm: ED25519/);
    assert.match(t, /Key Usage: critical\s+Digital Signature\n/);
    const r = verify(cert, caPath, ['-purpose', 'smimesign']);
    assert.ok(r.ok, r.output);
  });

  test('an EC P-256 leaf under the RSA CA', () => {
    const cert = issueCertificate(leafRequest('ec', rsaCa));
    const t = text(cert);
    assert.match(t, /ASN1 OID: prime256v1/);
    assert.match(t, /Key Usage: critical\s+Digital Signature, Key Agreement\n/);
    const r = verify(cert, caPath, ['-purpose', 'smimesign']);
    assert.ok(r.ok, r.output);
  });

  test('EC and Ed25519 CAs sign with ecdsa-with-SHA256 and ED25519, and OpenSSL accepts both', () => {
    for (const [kind, algorithm] of [['ec', 'ecdsa-with-SHA256'], ['ed25519', 'ED25519']] as const) {
      const ca = makeCa(kind, `${kind} CA`);
      const path = tmp.write(`${kind}-ca.pem`, certificatesToPem([ca.certificate]));
      assert.match(text(ca.certificate), new RegExp(`Signature Algorithm: ${algorithm}`));
      const leaf = issueCertificate(leafRequest('rsa', ca));
      assert.match(text(leaf), new RegExp(`Signature Algorithm: ${algorithm}`));
      for (const cert of [ca.certificate, leaf]) {
        const r = verify(cert, path);
        assert.ok(r.ok, `${kind}: ${r.output}`);
      }
    }
  });

  test('a tampered certificate fails OpenSSL\'s signature check', () => {
    const cert = issueCertificate(leafRequest('rsa', rsaCa));
    const der = Buffer.from(cert.der);
    const at = der.indexOf(Buffer.from('rsa@example.com'));
    der[at] ^= 0x01;
    const r = verify(new Certificate(der));
    assert.equal(r.ok, false);
    assert.match(r.output, /signature failure/);
  });

  test('an expired leaf fails for its dates only (it verifies when time is not checked)', () => {
    const now = Date.now();
    const cert = issueCertificate(leafRequest('rsa', rsaCa, { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 30 * DAY) }));
    const r = verify(cert);
    assert.equal(r.ok, false);
    assert.match(r.output, /certificate has expired/);
    // The CA is only an hour old, so no single time fits both; ignoring time shows the dates are the only problem.
    const noCheck = verify(cert, caPath, ['-no_check_time']);
    assert.ok(noCheck.ok, noCheck.output);
  });

  test('an EKU of serverAuth only is refused for S/MIME and accepted for TLS servers', () => {
    const cert = issueCertificate(leafRequest('rsa', rsaCa, { extKeyUsage: [OID.serverAuth] }));
    assert.match(verify(cert, caPath, ['-purpose', 'smimesign']).output, /unsuitable certificate purpose/);
    assert.ok(verify(cert, caPath, ['-purpose', 'sslserver']).ok);
  });

  test('pathLen and explicit key usages are written as given', () => {
    const key = generateKey('rsa');
    const now = Date.now();
    const cert = issueCertificate({
      subject: { CN: 'Sub CA' },
      emails: [],
      publicKey: key.publicKey,
      issuer: rsaCa,
      notBefore: new Date(now),
      notAfter: new Date(now + DAY),
      ca: true,
      pathLen: 0,
      keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'],
    });
    assert.match(text(cert), /CA:TRUE, pathlen:0/);
    assert.match(text(cert), /Digital Signature, Certificate Sign, CRL Sign/);
    assert.ok(verify(cert).ok);
  });

  test('default serials are 16 bytes and positive; given serials are kept; dates from 2050 use GeneralizedTime', () => {
    for (let i = 0; i < 20; i++) {
      const cert = issueCertificate(leafRequest('ed25519', rsaCa));
      assert.equal(cert.serialBytes.length, 16);
      assert.equal(cert.serialBytes[0] & 0x80, 0);
      assert.notEqual(cert.serialBytes[0], 0);
    }
    const serial = Buffer.from('ff00000000000001', 'hex');
    const cert = issueCertificate(leafRequest('rsa', rsaCa, { serial, notAfter: new Date(Date.UTC(2051, 0, 2, 3, 4, 5)) }));
    const t = text(cert);
    assert.match(t, /Serial Number:\s+ff:00:00:00:00:00:00:01\n/);
    // The top bit is set, so DER needs a leading zero octet to keep the INTEGER positive (X.690 §8.3.2).
    assert.equal(cert.serialBytes.toString('hex'), '00ff00000000000001');
    assert.match(t, /Not After : Jan {2}2 03:04:05 2051 GMT/);
    assert.equal(cert.notAfter.toISOString(), '2051-01-02T03:04:05.000Z');
    assert.equal(cert.tbs.child(4).child(1).tagByte, 0x18);
    assert.equal(cert.tbs.child(4).child(0).tagByte, 0x17);
  });

  test('keyUsage BIT STRINGs are DER (trailing zero bits counted as unused)', () => {
    assert.equal(encodeKeyUsage(['digitalSignature']).toBuffer().toString('hex'), '03020780');
    assert.equal(encodeKeyUsage(['keyCertSign', 'cRLSign']).toBuffer().toString('hex'), '03020106');
    assert.equal(encodeKeyUsage(['digitalSignature', 'keyEncipherment']).toBuffer().toString('hex'), '030205a0');
    assert.equal(encodeKeyUsage(['digitalSignature', 'decipherOnly']).toBuffer().toString('hex'), '0303078080');
  });

  test('wrong requests throw instead of producing a broken certificate', () => {
    const { publicKey } = generateKey('ec');
    const now = new Date();
    assert.throws(() => issueCertificate({ subject: { CN: 'x' }, emails: [], publicKey, notBefore: now, notAfter: new Date(now.getTime() + DAY) }), /private key/);
    assert.throws(() => issueCertificate(leafRequest('ec', rsaCa, { notAfter: new Date(0) })), /notBefore/);
    assert.throws(() => issueCertificate(leafRequest('ec', rsaCa, { emails: ['not an address'] })), /mail address/);
    assert.throws(() => issueCertificate(leafRequest('ec', rsaCa, { pathLen: 1 })), /pathLen/);
  });
});
