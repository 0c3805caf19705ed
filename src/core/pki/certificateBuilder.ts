/**
 * Issues X.509 v3 certificates (RFC 5280 §4.1) from a hand-built TBSCertificate signed with node:crypto, so the
 * project can make its own test identities (RSA, EC P-256, Ed25519) without shelling out to OpenSSL.
 * Meant for test and demo PKIs: no policy, CRL distribution point or AIA extensions.
 */
import { createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { parseDer, decodeBitString } from '../asn1/der';
import { OID } from '../asn1/oids';
import { Certificate } from '../x509/certificate';
import { KEY_USAGE_BITS, type KeyUsageName } from '../x509/extensions';
import { bitString, contextExplicit, contextImplicit, integer, nullValue, octetString, oid, sequence, setOf, time, type DerElement } from '../asn1/derWriter';
import { algorithmIdentifier, boolean, ia5String, utf8String } from './der';
import type { SigningDigestName } from '../digests';

export type { KeyUsageName };

/** RFC 5280 recommends serials of up to 20 octets; 16 random octets make collisions negligible (CA/B BR §7.1). */
export const SERIAL_BYTES = 16;

export interface SubjectFields {
  CN: string;
  O?: string;
  emailAddress?: string;
}

export interface CertificateIssuer {
  certificate: Certificate;
  privateKey: KeyObject;
}

export interface CertificateRequest {
  subject: SubjectFields;
  /** rfc822Name entries of subjectAltName (RFC 8550 §3: where S/MIME agents look for the address). */
  emails: string[];
  /** The subject's key; a private KeyObject works too (its public half is certified). */
  publicKey: KeyObject;
  /** Absent: self-signed, signed with `privateKey` (or with `publicKey` when that is a private key). */
  issuer?: CertificateIssuer;
  privateKey?: KeyObject;
  /** Unsigned big-endian serial; default SERIAL_BYTES random bytes, positive and without a leading zero. */
  serial?: Buffer;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  pathLen?: number;
  /** Default: CA → keyCertSign, cRLSign; leaf → digitalSignature plus keyEncipherment (RSA) or keyAgreement (EC). */
  keyUsage?: KeyUsageName[];
  /** OIDs; default emailProtection for leaves, none for CAs. An empty list omits the extension. */
  extKeyUsage?: string[];
  digest?: SigningDigestName;
}

const RSA_SIGNATURE: Record<SigningDigestName, string> = { sha256: OID.sha256WithRSA, sha384: OID.sha384WithRSA, sha512: OID.sha512WithRSA };
const ECDSA_SIGNATURE: Record<SigningDigestName, string> = { sha256: OID.ecdsaWithSha256, sha384: OID.ecdsaWithSha384, sha512: OID.ecdsaWithSha512 };

interface SignatureScheme {
  algorithm: DerElement;
  /** Digest name for crypto.sign, or null for Ed25519 (PureEdDSA hashes internally, RFC 8032 §5.1). */
  digest: string | null;
}

/** The signatureAlgorithm for the signer's key type: RFC 4055 §5 (RSA, NULL parameters), RFC 5758 §3.2, RFC 8410 §3. */
function signatureScheme(signerKey: KeyObject, digest: SigningDigestName): SignatureScheme {
  switch (signerKey.asymmetricKeyType) {
    case 'rsa':
      return { algorithm: algorithmIdentifier(RSA_SIGNATURE[digest], nullValue()), digest };
    case 'ec':
      return { algorithm: algorithmIdentifier(ECDSA_SIGNATURE[digest]), digest };
    case 'ed25519':
      return { algorithm: algorithmIdentifier(OID.ed25519), digest: null };
    default:
      throw new TypeError(`cannot sign certificates with a ${signerKey.asymmetricKeyType} key (RSA, EC and Ed25519 only)`);
  }
}

function randomSerial(): Buffer {
  const serial = randomBytes(SERIAL_BYTES);
  // Top bit clear keeps the INTEGER positive; the next bit set keeps it SERIAL_BYTES long (no leading zero).
  serial[0] = (serial[0] & 0x7f) | 0x40;
  return serial;
}

/** Name ::= RDNSequence, one attribute per RDN, most significant first (RFC 5280 §4.1.2.4, emailAddress as IA5String). */
export function encodeName(subject: SubjectFields): Buffer {
  const rdn = (type: string, value: DerElement) => setOf([sequence(oid(type), value)]);
  const rdns: DerElement[] = [];
  if (subject.O) rdns.push(rdn(OID.organizationName, utf8String(subject.O)));
  rdns.push(rdn(OID.commonName, utf8String(subject.CN)));
  if (subject.emailAddress) rdns.push(rdn(OID.emailAddress, ia5String(subject.emailAddress)));
  return sequence(...rdns).toBuffer();
}

/** KeyUsage BIT STRING in DER: trailing zero bits dropped and counted as unused (X.690 §11.2.2). */
export function encodeKeyUsage(names: KeyUsageName[]): DerElement {
  const bits = names.map((n) => KEY_USAGE_BITS.indexOf(n));
  if (bits.length === 0 || bits.some((b) => b < 0)) throw new RangeError(`bad keyUsage list: ${names.join(', ')}`);
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of bits) bytes[b >> 3] |= 0x80 >> (b & 7);
  return bitString(bytes, 7 - (highest % 8));
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } (RFC 5280 §4.1). */
function extension(type: string, critical: boolean, value: DerElement): DerElement {
  const extnValue = octetString([...value.chunks]);
  return critical ? sequence(oid(type), boolean(true), extnValue) : sequence(oid(type), extnValue);
}

/** SKI method 1: SHA-1 of the subjectPublicKey BIT STRING value (RFC 5280 §4.2.1.2). */
export function keyIdentifier(spkiDer: Buffer): Buffer {
  const bits = decodeBitString(parseDer(spkiDer).child(1)).bytes;
  return createHash('sha1').update(bits).digest();
}

function defaultKeyUsage(req: CertificateRequest, subjectKey: KeyObject): KeyUsageName[] {
  if (req.ca) return ['keyCertSign', 'cRLSign'];
  // What S/MIME needs per key type (RFC 8550 §4.4.2): RSA transports keys, EC agrees on them (RFC 5753 §7.2).
  if (subjectKey.asymmetricKeyType === 'rsa') return ['digitalSignature', 'keyEncipherment'];
  if (subjectKey.asymmetricKeyType === 'ec') return ['digitalSignature', 'keyAgreement'];
  return ['digitalSignature'];
}

function buildExtensions(req: CertificateRequest, subjectKey: KeyObject, ski: Buffer, aki: Buffer): DerElement {
  const exts: DerElement[] = [];
  // basicConstraints: critical in CA certificates (RFC 5280 §4.2.1.9); cA FALSE is the DEFAULT, so a leaf has an empty SEQUENCE.
  const pathLen = req.ca && req.pathLen !== undefined ? [integer(req.pathLen)] : [];
  exts.push(extension(OID.basicConstraints, !!req.ca, req.ca ? sequence(boolean(true), ...pathLen) : sequence()));
  exts.push(extension(OID.keyUsage, true, encodeKeyUsage(req.keyUsage ?? defaultKeyUsage(req, subjectKey))));
  const eku = req.extKeyUsage ?? (req.ca ? [] : [OID.emailProtection]);
  if (eku.length) exts.push(extension(OID.extKeyUsage, false, sequence(...eku.map((o) => oid(o)))));
  // GeneralName rfc822Name is [1] IMPLICIT IA5String (RFC 5280 §4.2.1.6).
  if (req.emails.length) exts.push(extension(OID.subjectAltName, false, sequence(...req.emails.map((e) => contextImplicit(1, ia5String(e))))));
  exts.push(extension(OID.subjectKeyIdentifier, false, octetString(ski)));
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING } (RFC 5280 §4.2.1.1).
  exts.push(extension(OID.authorityKeyIdentifier, false, sequence(contextImplicit(0, octetString(aki)))));
  return contextExplicit(3, sequence(...exts));
}

function checkRequest(req: CertificateRequest): void {
  if (!(req.notBefore < req.notAfter)) throw new RangeError('notBefore must be earlier than notAfter');
  for (const e of req.emails) if (/[^\x21-\x7e]/.test(e) || !e.includes('@')) throw new RangeError(`"${e}" is not an ASCII mail address`);
  if (req.pathLen !== undefined && !req.ca) throw new RangeError('pathLen only applies to CA certificates');
}

/** Builds, signs and parses a certificate. Throws (TypeError/RangeError) only on a wrong request. */
export function issueCertificate(req: CertificateRequest): Certificate {
  checkRequest(req);
  const subjectKey = req.publicKey.type === 'public' ? req.publicKey : createPublicKey(req.publicKey);
  const signerKey = req.issuer?.privateKey ?? req.privateKey ?? (req.publicKey.type === 'private' ? req.publicKey : undefined);
  if (!signerKey || signerKey.type !== 'private') throw new TypeError('a self-signed certificate needs the subject\'s private key');
  const spki = subjectKey.export({ type: 'spki', format: 'der' });
  const ski = keyIdentifier(spki);
  const subjectName = encodeName(req.subject);
  const issuerName = req.issuer ? req.issuer.certificate.subjectDer : subjectName;
  const aki = req.issuer ? (req.issuer.certificate.subjectKeyIdentifier ?? keyIdentifier(req.issuer.certificate.spkiDer)) : ski;
  const scheme = signatureScheme(signerKey, req.digest ?? 'sha256');
  const tbs = sequence(
    contextExplicit(0, integer(2)), // v3 (RFC 5280 §4.1.2.1)
    integer(req.serial ?? randomSerial()),
    scheme.algorithm,
    issuerName,
    sequence(time(req.notBefore), time(req.notAfter)),
    subjectName,
    spki,
    buildExtensions(req, subjectKey, ski, aki),
  ).toBuffer();
  const signature = sign(scheme.digest, tbs, signerKey);
  return new Certificate(sequence(tbs, scheme.algorithm, bitString(signature)).toBuffer());
}
