import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { certificateDetails, certificateEmails, parseBasicConstraints, parseExtKeyUsage, parseKeyUsage } from '../../../src/core/x509/details';
import { formatCertificateText } from '../../../src/core/x509/format';
import { Certificate } from '../../../src/core/x509/certificate';
import { certificatesFromBytes } from '../../../src/core/x509/trustStore';
import { CA_EXT, TestPki, hasOpenssl, openssl, type Issued } from './testPki';

const KEY_USAGE_TEXT: Record<string, string> = {
  'Digital Signature': 'digitalSignature',
  'Non Repudiation': 'nonRepudiation',
  'Key Encipherment': 'keyEncipherment',
  'Data Encipherment': 'dataEncipherment',
  'Key Agreement': 'keyAgreement',
  'Certificate Sign': 'keyCertSign',
  'CRL Sign': 'cRLSign',
  'Encipher Only': 'encipherOnly',
  'Decipher Only': 'decipherOnly',
};
const EKU_TEXT: Record<string, string> = {
  'E-mail Protection': '1.3.6.1.5.5.7.3.4',
  'TLS Web Client Authentication': '1.3.6.1.5.5.7.3.2',
  'TLS Web Server Authentication': '1.3.6.1.5.5.7.3.1',
  'Code Signing': '1.3.6.1.5.5.7.3.3',
  'Any Extended Key Usage': '2.5.29.37.0',
};

/** The indented lines below an `X509v3 ...:` heading of `openssl x509 -text`. */
function section(text: string, heading: string): string | undefined {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trim().startsWith(heading));
  if (i < 0) return undefined;
  const indent = lines[i].search(/\S/);
  const out: string[] = [];
  for (const l of lines.slice(i + 1)) {
    if (l.search(/\S/) <= indent) break;
    out.push(l.trim());
  }
  return out.join('\n');
}

const ipv6 = (s: string) => new URL(`http://[${s}]/`).hostname;

/** Every field openssl prints that certificateDetails also reports, compared one by one. */
function compareWithOpenssl(issued: Issued): void {
  const d = certificateDetails(issued.cert);
  const text = openssl(['x509', '-in', issued.certPath, '-noout', '-text']).toString();
  const field = (args: string[]) => openssl(['x509', '-in', issued.certPath, '-noout', ...args]).toString().trim().replace(/^[^=]*=/, '');
  assert.equal(d.serial, field(['-serial']));
  assert.equal(d.fingerprints.sha1, field(['-fingerprint', '-sha1']));
  assert.equal(d.fingerprints.sha256, field(['-fingerprint', '-sha256']));
  assert.equal(d.notBefore, field(['-startdate', '-dateopt', 'iso_8601']).replace(' ', 'T').replace('Z', '.000Z'));
  assert.equal(d.notAfter, field(['-enddate', '-dateopt', 'iso_8601']).replace(' ', 'T').replace('Z', '.000Z'));
  const rfc2253 = (name: Certificate['subject']) =>
    // openssl prints every attribute in reverse encoding order, inside multi-valued RDNs too.
    [...name.rdns].reverse().map((rdn) => [...rdn].reverse().map((a) => `${a.name === 'E' ? 'emailAddress' : a.name}=${a.value.replace(/([,+])/g, '\\$1')}`).join('+')).join(',');
  assert.equal(rfc2253(issued.cert.subject), field(['-subject', '-nameopt', 'RFC2253']));
  assert.equal(rfc2253(issued.cert.issuer), field(['-issuer', '-nameopt', 'RFC2253']));
  const sigAlg = text.match(/Signature Algorithm: (\S+)/)![1];
  if (sigAlg === 'rsassaPss') assert.match(d.signatureAlgorithm, new RegExp(`^RSASSA-PSS \\(${text.match(/Hash Algorithm: sha(\d+)/)![1] === '256' ? 'SHA-256' : 'x'}\\)$`));
  else assert.equal(d.signatureAlgorithm, sigAlg);
  const bits = text.match(/Public-Key: \((\d+) bit\)/);
  if (bits) assert.equal(d.key.bits, Number(bits[1]));
  const curve = text.match(/NIST CURVE: (\S+)/);
  if (curve) assert.equal(d.key.curve, curve[1]);
  const ku = section(text, 'X509v3 Key Usage');
  assert.deepEqual(d.keyUsage, ku?.split(', ').map((n) => KEY_USAGE_TEXT[n]));
  const eku = section(text, 'X509v3 Extended Key Usage');
  assert.deepEqual(d.extKeyUsage?.map((e) => e.oid), eku?.split(', ').map((n) => EKU_TEXT[n] ?? n));
  const bc = section(text, 'X509v3 Basic Constraints');
  if (bc) {
    assert.equal(d.basicConstraints?.ca, bc.startsWith('CA:TRUE'));
    const pathLen = bc.match(/pathlen:(\d+)/);
    assert.equal(d.basicConstraints?.pathLen, pathLen ? Number(pathLen[1]) : undefined);
  } else assert.equal(d.basicConstraints, undefined);
  assert.equal(d.subjectKeyIdentifier, section(text, 'X509v3 Subject Key Identifier'));
  assert.equal(d.authorityKeyIdentifier, section(text, 'X509v3 Authority Key Identifier')?.replace(/^keyid:/, ''));
  const san = section(text, 'X509v3 Subject Alternative Name');
  const theirs = san ? san.split(', ') : [];
  assert.equal(d.subjectAltNames.length, theirs.length);
  d.subjectAltNames.forEach((n, i) => {
    const t = theirs[i];
    if (n.type === 'email') assert.equal(`email:${n.value}`, t);
    else if (n.type === 'dns') assert.equal(`DNS:${n.value}`, t);
    else if (n.type === 'uri') assert.equal(`URI:${n.value}`, t);
    else if (n.type === 'ip') assert.equal(n.value.includes(':') ? ipv6(n.value) : n.value, n.value.includes(':') ? ipv6(t.slice(11)) : t.slice(11));
    else if (n.type === 'dirName') assert.match(t, /^DirName:/);
    else assert.ok(t.endsWith(n.value.split(':').pop()!), `${t} vs ${n.value}`);
  });
  const crldp = section(text, 'X509v3 CRL Distribution Points');
  assert.deepEqual(d.crlDistributionPoints, crldp ? [...crldp.matchAll(/URI:(\S+)/g)].map((m) => m[1]) : []);
  const aia = section(text, 'Authority Information Access') ?? '';
  assert.deepEqual(d.authorityInfoAccess.ocsp, [...aia.matchAll(/OCSP - URI:(\S+)/g)].map((m) => m[1]));
  assert.deepEqual(d.authorityInfoAccess.caIssuers, [...aia.matchAll(/CA Issuers - URI:(\S+)/g)].map((m) => m[1]));
  const policies = section(text, 'X509v3 Certificate Policies') ?? '';
  assert.deepEqual(d.certificatePolicies.map((p) => p.oid), [...policies.matchAll(/Policy: (\S+)/g)].map((m) => m[1]));
  assert.deepEqual(d.certificatePolicies.flatMap((p) => p.cpsUris), [...policies.matchAll(/CPS: (\S+)/g)].map((m) => m[1]));
  assert.deepEqual(d.criticalExtensions.length, (text.match(/: critical/g) ?? []).length);
  assert.deepEqual(JSON.parse(JSON.stringify(d)), d, 'details are plain JSON');
  assert.deepEqual(d.warnings, []);
}

describe('certificateDetails against openssl x509 -text', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  let pki: TestPki;
  let root: Issued;
  before(() => {
    pki = new TestPki();
    root = pki.root('root', { subject: '/C=DE/O=Test Root Org/CN=Test Root' });
  });
  after(() => pki.cleanup());

  test('RSA root (self-signed CA)', () => {
    compareWithOpenssl(root);
    const d = certificateDetails(root.cert);
    assert.equal(d.selfSigned, true);
    assert.equal(d.key.type, 'RSA');
    assert.deepEqual(parseKeyUsage(root.cert), ['keyCertSign', 'cRLSign']);
    assert.deepEqual(parseBasicConstraints(root.cert), { ca: true });
  });

  test('EC P-384 leaf with every extension kind', () => {
    const leaf = pki.issue('rich', root, {
      alg: 'ec384',
      subject: '/C=US/O=Example Org/OU=Unit+OU=Second/CN=Alice \\, Smith/emailAddress=alice@example.com',
      ext: [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, encipherOnly, decipherOnly',
        'extendedKeyUsage = emailProtection, clientAuth, 1.2.3.4.5',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
        'subjectAltName = email:Alice@Example.com, email:alice2@example.org, DNS:mail.example.com, URI:https://example.com/a, IP:192.0.2.1, IP:2001:db8::1, dirName:dir_sect, otherName:1.3.6.1.4.1.311.20.2.3;UTF8:alice@corp.example',
        'certificatePolicies = 1.2.3.4, @pol_sect',
        'crlDistributionPoints = URI:http://crl.example.com/root.crl, URI:ldap://ldap.example.com/cn=root',
        'authorityInfoAccess = OCSP;URI:http://ocsp.example.com/, caIssuers;URI:http://ca.example.com/root.crt',
        '1.2.3.4.5.6 = ASN1:UTF8String:hello',
        '[ dir_sect ]',
        'CN = Alice Dir',
        'O = Dir Org',
        '[ pol_sect ]',
        'policyIdentifier = 2.23.140.1.5.1.1',
        'CPS.1 = "https://cps.example.com/"',
      ],
    });
    compareWithOpenssl(leaf);
    const d = certificateDetails(leaf.cert, { smimeCapabilities: ['aes256-CBC'] });
    assert.deepEqual(d.key, { type: 'EC', algorithmOid: '1.2.840.10045.2.1', curve: 'P-384', bits: 384 });
    assert.deepEqual(d.emails, ['alice@example.com', 'alice2@example.org']);
    assert.deepEqual(certificateEmails(leaf.cert), d.emails);
    assert.equal(d.subjectAltNames.find((n) => n.type === 'dirName')?.value, 'O=Dir Org, CN=Alice Dir');
    assert.equal(d.subjectAltNames.find((n) => n.type === 'other')?.value, 'msUserPrincipalName:alice@corp.example');
    assert.deepEqual(d.smimeCapabilities, ['aes256-CBC']);
    assert.equal(d.selfSigned, false);
    assert.deepEqual(d.extensions.at(-1), { oid: '1.2.3.4.5.6', name: '1.2.3.4.5.6', critical: false });
    assert.deepEqual(parseExtKeyUsage(leaf.cert)?.map((e) => e.name), ['emailProtection', 'clientAuth', '1.2.3.4.5']);
    const text = formatCertificateText(d);
    assert.match(text, /Key usage \(critical\): +digitalSignature, nonRepudiation/);
    assert.match(text, /Public key: +EC 384 bit \(P-384\)/);
    assert.match(text, /S\/MIME capabilities: +aes256-CBC/);
  });

  test('Ed25519 leaf, P-256 CA with pathLen, ecdsa-with-SHA384 and RSASSA-PSS signatures', () => {
    const ecCa = pki.root('ecca', { alg: 'ec', md: 'sha384', ext: ['basicConstraints = critical, CA:TRUE, pathlen:1', ...CA_EXT.slice(1)] });
    compareWithOpenssl(ecCa);
    assert.equal(certificateDetails(ecCa.cert).signatureAlgorithm, 'ecdsa-with-SHA384');
    const ed = pki.issue('ed', ecCa, { alg: 'ed25519' });
    compareWithOpenssl(ed);
    assert.deepEqual(certificateDetails(ed.cert).key, { type: 'Ed25519', algorithmOid: '1.3.101.112', bits: 256 });
    const pss = pki.issue('pss', root, { caArgs: ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'] });
    compareWithOpenssl(pss);
    assert.equal(certificateDetails(pss.cert).signatureAlgorithm, 'RSASSA-PSS (SHA-256)');
    const edRoot = pki.root('edroot', { alg: 'ed25519' });
    assert.equal(certificateDetails(edRoot.cert).signatureAlgorithm, 'ED25519');
    assert.equal(certificateDetails(edRoot.cert).selfSigned, true);
  });

  test('a malformed extension becomes a warning, not an exception', () => {
    const bad = pki.issue('badku', root, { ext: ['keyUsage = DER:0500', 'subjectAltName = DER:3003810161'] });
    const d = certificateDetails(bad.cert);
    assert.equal(d.keyUsage, undefined);
    assert.equal(parseKeyUsage(bad.cert), undefined);
    assert.match(d.warnings.join('\n'), /malformed keyUsage/);
  });
});

const corpus = process.env.SMIME_CORPUS ?? join(process.cwd(), '../shared/corpus');

function corpusCertificateFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) corpusCertificateFiles(path, out);
    else if (/\.(pem|crt|cer)$/.test(name) && readFileSync(path, 'latin1').includes('BEGIN CERTIFICATE')) out.push(path);
  }
  return out;
}

test('every corpus certificate: details agree with openssl on fingerprint, serial and key size', (t) => {
  if (!existsSync(corpus)) return t.skip('corpus not present');
  if (!hasOpenssl()) return t.skip('openssl not installed');
  let checked = 0;
  let sized = 0;
  for (const file of corpusCertificateFiles(corpus)) {
    const { certs } = certificatesFromBytes(readFileSync(file), file);
    const first = certs[0];
    if (!first) continue;
    const d = certificateDetails(first);
    const fp = openssl(['x509', '-in', file, '-noout', '-fingerprint', '-sha256']).toString().trim().split('=')[1];
    assert.equal(d.fingerprints.sha256, fp, file);
    assert.equal(d.serial, openssl(['x509', '-in', file, '-noout', '-serial']).toString().trim().split('=')[1], file);
    const text = openssl(['x509', '-in', file, '-noout', '-text']).toString();
    const bits = text.match(/Public-Key: \((\d+) bit\)/);
    // Curves outside our table (binary curves in the OpenSSL test set) have no size; the rest must agree.
    if (bits && d.key.bits !== undefined) {
      assert.equal(d.key.bits, Number(bits[1]), file);
      sized++;
    }
    checked++;
  }
  assert.ok(checked > 20 && sized > 20, `checked ${checked} corpus certificates, ${sized} key sizes`);
});
