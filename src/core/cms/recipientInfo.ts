/**
 * RecipientInfo (RFC 5652 §6.2): who a message is encrypted for, and matching those identifiers
 * against the certificates of the keys we hold.
 *
 *   RecipientInfo ::= CHOICE { ktri KeyTransRecipientInfo, kari [1] KeyAgreeRecipientInfo,
 *     kekri [2] KEKRecipientInfo, pwri [3] PasswordRecipientinfo, ori [4] OtherRecipientInfo }
 */
import { Asn1Node, Tag, decodeIntegerHex, decodeOid } from '../asn1/der';
import type { Certificate } from '../x509/certificate';
import { parseName } from '../x509/name';
import { keyEncryptionName } from './algorithms';

export type RecipientType = 'ktri' | 'kari' | 'kekri' | 'pwri' | 'ori';

/** IssuerAndSerialNumber (RFC 5652 §10.2.4) or a subjectKeyIdentifier. */
export interface RecipientIdentifier {
  issuer?: Asn1Node;
  serial?: Asn1Node;
  ski?: Buffer;
}

/** One recipient: a ktri, one RecipientEncryptedKey of a kari, or a kind we only describe. */
export interface RecipientEntry {
  type: RecipientType;
  rid?: RecipientIdentifier;
  keyEncryptionOid?: string;
  /** Readable key-encryption algorithm (for kari: the agreement scheme plus the key wrap). */
  keyEncryption: string;
  encryptedKey?: Buffer;
  /** ktri: its keyEncryptionAlgorithm; kari: the whole KeyAgreeRecipientInfo. */
  node: Asn1Node;
}

const TYPE_BY_TAG: Record<number, RecipientType> = { 1: 'kari', 2: 'kekri', 3: 'pwri', 4: 'ori' };

/** Reads the recipientInfos SET. Throws Asn1Error on structural damage (the caller reports 'malformed'). */
export function readRecipientInfos(set: Asn1Node): RecipientEntry[] {
  set.expect(Tag.set, 'recipientInfos');
  const entries: RecipientEntry[] = [];
  for (const info of set.children) {
    if (info.is(Tag.sequence)) entries.push(readKeyTransRecipient(info));
    else if (info.isContext(1) && info.constructed) entries.push(...readKeyAgreeRecipients(info));
    else entries.push(describeOtherRecipient(info));
  }
  return entries;
}

/** KeyTransRecipientInfo ::= SEQUENCE { version, rid, keyEncryptionAlgorithm, encryptedKey } (§6.2.1). */
function readKeyTransRecipient(info: Asn1Node): RecipientEntry {
  const algId = info.child(2).expect(Tag.sequence, 'keyEncryptionAlgorithm');
  const oid = decodeOid(algId.child(0));
  return {
    type: 'ktri',
    rid: readRecipientIdentifier(info.child(1)),
    keyEncryptionOid: oid,
    keyEncryption: keyEncryptionName(oid),
    encryptedKey: info.child(3).expect(Tag.octetString, 'encryptedKey').value,
    node: algId,
  };
}

/**
 * KeyAgreeRecipientInfo (§6.2.2): version, originator [0], ukm [1] OPTIONAL, keyEncryptionAlgorithm,
 * recipientEncryptedKeys. One entry per RecipientEncryptedKey, since each names a recipient.
 */
function readKeyAgreeRecipients(kari: Asn1Node): RecipientEntry[] {
  const algId = kari.children.find((c) => c.is(Tag.sequence));
  if (!algId) throw new Error('KeyAgreeRecipientInfo without keyEncryptionAlgorithm');
  const oid = decodeOid(algId.child(0));
  const wrapOid = algId.children[1]?.is(Tag.sequence) ? decodeOid(algId.child(1).child(0)) : undefined;
  const scheme = keyEncryptionName(oid);
  const name = wrapOid ? `${scheme} + ${keyEncryptionName(wrapOid)}` : scheme;
  const keys = kari.children[kari.children.indexOf(algId) + 1]?.expect(Tag.sequence, 'recipientEncryptedKeys');
  return (keys?.children ?? []).map((rek) => {
    const rid = rek.child(0);
    return {
      type: 'kari' as const,
      // [0] RecipientKeyIdentifier { subjectKeyIdentifier, date OPTIONAL, other OPTIONAL }
      rid: rid.isContext(0) ? { ski: rid.child(0).value } : readRecipientIdentifier(rid),
      keyEncryptionOid: oid,
      keyEncryption: name,
      encryptedKey: rek.child(1).expect(Tag.octetString, 'encryptedKey').value,
      node: kari,
    };
  });
}

function describeOtherRecipient(info: Asn1Node): RecipientEntry {
  const type = TYPE_BY_TAG[info.tagNumber] ?? 'ori';
  let keyEncryption = 'unknown';
  try {
    // kekri: {version, kekid, keyEncryptionAlgorithm, ...}; pwri: {version, [0] kdf OPTIONAL, keyEncryptionAlgorithm, ...}
    const algId = info.children.filter((c) => c.is(Tag.sequence))[type === 'kekri' ? 1 : 0];
    if (type === 'ori') keyEncryption = decodeOid(info.child(0));
    else if (algId) keyEncryption = keyEncryptionName(decodeOid(algId.child(0)));
  } catch {
    // Described only; a damaged entry of a kind we cannot use anyway must not hide the others.
  }
  return { type, keyEncryption, node: info };
}

/** RecipientIdentifier: IssuerAndSerialNumber or [0] IMPLICIT SubjectKeyIdentifier. */
function readRecipientIdentifier(rid: Asn1Node): RecipientIdentifier {
  if (rid.isContext(0)) return { ski: rid.value };
  rid.expect(Tag.sequence, 'IssuerAndSerialNumber');
  return { issuer: rid.child(0).expect(Tag.sequence, 'issuer'), serial: rid.child(1).expect(Tag.integer, 'serialNumber') };
}

function withoutLeadingZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/**
 * True when `cert` is the one the identifier names (RFC 5652 §6.2.1): same issuer Name (DER bytes,
 * else the RFC 5280 §7.1 comparison form) and the same serial value, or the same subjectKeyIdentifier.
 */
export function identifiesCertificate(rid: RecipientIdentifier | undefined, cert: Certificate): boolean {
  if (!rid) return false;
  if (rid.ski) return cert.subjectKeyIdentifier?.equals(rid.ski) ?? false;
  if (!rid.issuer || !rid.serial) return false;
  if (!withoutLeadingZeros(rid.serial.value).equals(withoutLeadingZeros(cert.serialBytes))) return false;
  if (rid.issuer.raw.equals(cert.issuerDer)) return true;
  try {
    return parseName(rid.issuer).canonical === cert.issuer.canonical;
  } catch {
    return false;
  }
}

/** Readable issuer, serial and SKI of an identifier (never throws). */
export function describeIdentifier(rid: RecipientIdentifier | undefined): { issuer?: string; serial?: string; ski?: string } {
  if (!rid) return {};
  if (rid.ski) return { ski: rid.ski.toString('hex').toUpperCase() };
  const out: { issuer?: string; serial?: string } = {};
  try {
    if (rid.issuer) out.issuer = parseName(rid.issuer).text;
    if (rid.serial) out.serial = decodeIntegerHex(rid.serial);
  } catch {
    // keep what could be read
  }
  return out;
}

