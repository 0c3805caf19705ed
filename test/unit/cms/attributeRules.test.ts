// RFC 5652 §11 attribute rules: contentType, messageDigest and signingTime are signed attributes, present once,
// with one value. Each attack takes a SignedData OpenSSL made, rewrites Alice's signed (or unsigned) attributes
// and signs the new attributes again with her key, so the signature itself verifies and only the rule is broken.
// OpenSSL's `cms -verify` and our verifier must agree on every case: the untouched re-signed one is accepted by
// both, every broken one refused by both, ours with reason ambiguous-attribute.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseDer, type Asn1Node } from '../../../src/core/asn1/der';
import { contextExplicit, contextImplicit, octetString, oid, raw, sequence, setOf, time, type DerElement } from '../../../src/core/asn1/derWriter';
import { OID } from '../../../src/core/asn1/oids';
import { attribute, signingCertificateV2 } from '../../../src/core/cms/build/attributes';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import type { Certificate } from '../../../src/core/x509/certificate';
import { multipartSigned, sampleTextEntity, wrapMessage } from '../../helpers/mime';
import { opensslSignDer, opensslVerifyDetached } from '../../helpers/openssl';
import { sharedTestPki, type TestPki } from '../../helpers/pki';
import { certificatesIn } from '../../helpers/certFiles';
import { signersOf } from '../../helpers/report';

const CONTENT = sampleTextEntity('Amount: 100 EUR');
const COUNTERSIGNATURE = '1.2.840.113549.1.9.6';

let pki: TestPki;
let anchors: Certificate[];
let original: Buffer;

interface Attributes {
  signed: Buffer[];
  unsigned: Buffer[];
}

/** The SignerInfo of a one-signer SignedData ContentInfo and the path to rebuild around it. */
function signerParts(der: Buffer): { ci: Asn1Node; sd: Asn1Node; si: Asn1Node } {
  const ci = parseDer(der);
  const sd = ci.child(1).child(0);
  const si = sd.children[sd.children.length - 1].child(0);
  return { ci, sd, si };
}

function attributesOf(der: Buffer): Attributes {
  const { si } = signerParts(der);
  const signed = si.children.find((c) => c.isContext(0));
  const unsigned = si.children.find((c) => c.isContext(1));
  return { signed: signed ? signed.children.map((a) => Buffer.from(a.raw)) : [], unsigned: unsigned ? unsigned.children.map((a) => Buffer.from(a.raw)) : [] };
}

/** The same SignedData with Alice's attributes replaced and signed again (RFC 5652 §5.4: over the DER SET OF). */
function resigned(der: Buffer, attrs: Attributes): Buffer {
  const { ci, sd, si } = signerParts(der);
  const [version, sid, digestAlgorithm] = si.children;
  const signatureAlgorithm = si.children.find((c, i) => i > 2 && !c.isContext(0) && c.is(0x30)) as Asn1Node;
  const signedSet = setOf(attrs.signed).toBuffer();
  const key = createPrivateKey(readFileSync(pki.users.alice.key));
  const signature = sign('sha256', signedSet, key);
  const fields: DerElement[] = [raw(version.raw), raw(sid.raw), raw(digestAlgorithm.raw), contextImplicit(0, signedSet), raw(signatureAlgorithm.raw), octetString(signature)];
  if (attrs.unsigned.length) fields.push(contextImplicit(1, setOf(attrs.unsigned)));
  const sdFields = sd.children.slice(0, -1).map((c) => raw(c.raw));
  const signedData = sequence(...sdFields, setOf([sequence(...fields)]));
  return sequence(raw(ci.child(0).raw), contextExplicit(0, signedData)).toBuffer();
}

function attributeType(encoded: Buffer): string {
  const node = parseDer(encoded).child(0);
  const known = [OID.contentType, OID.messageDigest, OID.signingTime, OID.signingCertificateV2];
  return known.find((type) => node.raw.equals(oid(type).toBuffer())) ?? 'other';
}

function find(list: Buffer[], type: string): Buffer {
  const found = list.find((a) => attributeType(a) === type);
  if (!found) throw new Error(`attribute ${type} not in OpenSSL's output`);
  return found;
}

/** The values of an encoded attribute, as encodings. */
function valuesOf(encoded: Buffer): Buffer[] {
  return parseDer(encoded).child(1).children.map((v) => Buffer.from(v.raw));
}

function ours(der: Buffer) {
  const message = wrapMessage({ from: `Alice <${pki.users.alice.email}>`, to: pki.users.bob.email, subject: 'attributes' }, multipartSigned(CONTENT, der, 'sha256'));
  return analyzeMessage(message, { anchors }).report;
}

interface Attack {
  name: string;
  attrs: (a: Attributes) => Attributes;
}

const digestOf = () => octetString(createHash('sha256').update(CONTENT).digest());

const ATTACKS: Attack[] = [
  {
    name: 'messageDigest twice',
    attrs: (a) => ({ ...a, signed: [...a.signed, find(a.signed, OID.messageDigest)] }),
  },
  {
    name: 'messageDigest with a second, different value',
    attrs: (a) => ({
      ...a,
      signed: [...a.signed.filter((x) => attributeType(x) !== OID.messageDigest), attribute(OID.messageDigest, [digestOf(), octetString(randomBytes(32))]).toBuffer()],
    }),
  },
  {
    name: 'contentType twice',
    attrs: (a) => ({ ...a, signed: [...a.signed, find(a.signed, OID.contentType)] }),
  },
  {
    name: 'contentType with two values',
    attrs: (a) => ({
      ...a,
      signed: [...a.signed.filter((x) => attributeType(x) !== OID.contentType), attribute(OID.contentType, [oid(OID.data), oid(OID.signedData)]).toBuffer()],
    }),
  },
  {
    name: 'signingTime twice, a day apart',
    attrs: (a) => ({ ...a, signed: [...a.signed, attribute(OID.signingTime, [time(new Date(Date.now() - 86400_000))]).toBuffer()] }),
  },
  {
    name: 'signingTime with two values',
    attrs: (a) => ({
      ...a,
      signed: [...a.signed.filter((x) => attributeType(x) !== OID.signingTime), attribute(OID.signingTime, [time(new Date()), time(new Date(Date.now() - 86400_000))]).toBuffer()],
    }),
  },
  {
    name: 'messageDigest copied into the unsigned attributes',
    attrs: (a) => ({ ...a, unsigned: [...a.unsigned, attribute(OID.messageDigest, valuesOf(find(a.signed, OID.messageDigest))).toBuffer()] }),
  },
  {
    name: 'contentType copied into the unsigned attributes',
    attrs: (a) => ({ ...a, unsigned: [...a.unsigned, find(a.signed, OID.contentType)] }),
  },
  {
    name: 'signingTime moved into the unsigned attributes',
    attrs: (a) => ({ signed: a.signed.filter((x) => attributeType(x) !== OID.signingTime), unsigned: [...a.unsigned, find(a.signed, OID.signingTime)] }),
  },
  {
    name: 'signingCertificateV2 twice (RFC 5035 §5.4)',
    attrs: (a) => {
      const essCertId = attribute(OID.signingCertificateV2, [signingCertificateV2(certificatesIn([pki.users.alice.cert]).certs[0])]).toBuffer();
      return { ...a, signed: [...a.signed, essCertId, essCertId] };
    },
  },
  {
    name: 'a countersignature among the signed attributes (RFC 5652 §11.4)',
    attrs: (a) => ({ ...a, signed: [...a.signed, attribute(COUNTERSIGNATURE, [sequence(oid(OID.data))]).toBuffer()] }),
  },
];

before(async () => {
  pki = await sharedTestPki();
  anchors = certificatesIn([pki.root.cert]).certs;
  original = opensslSignDer(pki, pki.users.alice, CONTENT);
});

describe('signed attribute rules (RFC 5652 §11), against OpenSSL', () => {
  test('re-signing the untouched attributes keeps the signature valid for OpenSSL and for us', () => {
    const der = resigned(original, attributesOf(original));
    const openssl = opensslVerifyDetached(pki, der, CONTENT);
    assert.ok(openssl.ok, openssl.stderr);
    const report = ours(der);
    assert.equal(report.verdict, 'valid', report.summary);
    assert.ok(!report.reasons.includes('ambiguous-attribute'));
  });

  for (const attack of ATTACKS) {
    test(`${attack.name}: OpenSSL refuses it, and so do we (invalid, ambiguous-attribute)`, () => {
      const der = resigned(original, attack.attrs(attributesOf(original)));
      const openssl = opensslVerifyDetached(pki, der, CONTENT);
      assert.equal(openssl.ok, false, `OpenSSL accepted "${attack.name}"`);
      const report = ours(der);
      assert.equal(report.verdict, 'invalid', report.summary);
      assert.ok(report.reasons.includes('ambiguous-attribute'), report.reasons.join(','));
      const signer = signersOf(report.layers[0])[0];
      assert.equal(signer?.status, 'invalid');
      // The signature itself verifies: the refusal is the attribute rule, not a broken signature.
      assert.ok(!report.reasons.includes('bad-signature'), report.reasons.join(','));
    });
  }
});
