/**
 * Key transport (KeyTransRecipientInfo, RFC 5652 §6.2.1): the content-encryption key encrypted to the
 * recipient's RSA key, with PKCS#1 v1.5 (RFC 3370 §4.2.1) or RSAES-OAEP (RFC 3560, RFC 8017 §7.1).
 *
 * Node 20 refuses RSA_PKCS1_PADDING for private decryption (CVE-2023-46809, the Marvin timing attack),
 * so v1.5 is done as a raw RSA operation (RSA_NO_PADDING, still native) followed by our own padding
 * check. That check runs without data-dependent branches or early exits, and a bad padding yields a
 * random key of the expected length instead of an error (RFC 3218 §2.3.2): the failure then surfaces
 * as a content decryption failure, exactly like a good padding with a wrong key, so no padding oracle
 * is offered (Bleichenbacher).
 */
import { constants, privateDecrypt, randomBytes, type KeyObject } from 'node:crypto';
import { Asn1Node, Tag, decodeOid } from '../asn1/der';
import { OID, oidName } from '../asn1/oids';
import { OAEP_HASH_BY_OID, fail, keyEncryptionName, type HashName, type Outcome } from './algorithms';

/** RFC 8017 §7.2.2: the padding string PS is at least 8 octets, so the 00 separator sits at index 10 or later. */
const PKCS1_MIN_SEPARATOR_INDEX = 10;
/** Key length to invent when the content cipher does not fix one (RC2): the common 128 bits. */
const FALLBACK_KEY_BYTES = 16;

export interface KeyTransportResult {
  key: Buffer;
  /**
   * False when the v1.5 padding was bad and `key` is random. Internal: only used to order attempts
   * when a key without certificate is tried against several recipients; never reported.
   */
  plausible: boolean;
}

/**
 * Decrypts the encryptedKey of a KeyTransRecipientInfo. `expectedKeyBytes` is the CEK length the
 * content cipher needs (undefined when it is not fixed). Never throws.
 */
export function decryptKeyTransport(
  algId: Asn1Node,
  encryptedKey: Buffer,
  privateKey: KeyObject,
  expectedKeyBytes: number | undefined,
): Outcome<KeyTransportResult> {
  let oid: string;
  try {
    oid = decodeOid(algId.child(0));
  } catch {
    return fail('malformed', 'the key-encryption AlgorithmIdentifier cannot be read');
  }
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    return fail('decryption-failed', `${keyEncryptionName(oid)} needs an RSA private key, got ${privateKey.asymmetricKeyType ?? privateKey.type}`);
  }
  const modulusBytes = Math.ceil((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (encryptedKey.length === 0 || encryptedKey.length > modulusBytes) {
    return fail('decryption-failed', `the encrypted key (${encryptedKey.length} bytes) does not fit this ${modulusBytes * 8}-bit RSA key`);
  }
  // Some encoders drop leading zero octets of the RSA output (it is an integer); restore them.
  const input = encryptedKey.length < modulusBytes ? Buffer.concat([Buffer.alloc(modulusBytes - encryptedKey.length), encryptedKey]) : encryptedKey;
  if (oid === OID.rsaEncryption) return decryptPkcs1v15(input, privateKey, expectedKeyBytes);
  if (oid === OID.rsaOaep) return decryptOaep(algId.children[1], input, privateKey, expectedKeyBytes);
  return fail('unsupported-algorithm', `key transport ${keyEncryptionName(oid)} (${oid}) is not supported`);
}

function decryptPkcs1v15(input: Buffer, privateKey: KeyObject, expectedKeyBytes: number | undefined): Outcome<KeyTransportResult> {
  let em: Buffer;
  try {
    em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, input);
  } catch {
    // Only a ciphertext >= the modulus gets here; that says nothing about the padding.
    return fail('decryption-failed', 'the RSA operation failed (the encrypted key is not valid for this key)');
  }
  return { ok: true, ...unpadPkcs1v15(em, expectedKeyBytes) };
}

/** 1 when x === 0, else 0, without a branch (x is a small non-negative integer). */
function isZero(x: number): number {
  return ((x | -x) >>> 31) ^ 1;
}

/**
 * EME-PKCS1-v1_5 decoding (RFC 8017 §7.2.2 step 3) with implicit rejection. Every byte is visited and
 * the result is selected with masks, so the time does not depend on where the padding is wrong.
 * When the expected length is known the message is read from a fixed position.
 */
export function unpadPkcs1v15(em: Buffer, expectedKeyBytes: number | undefined): KeyTransportResult {
  const k = em.length;
  let good = isZero(em[0]) & isZero(em[1] ^ 0x02);
  let separator = 0;
  let looking = 1;
  for (let i = 2; i < k; i++) {
    const zero = isZero(em[i]);
    separator |= -(looking & zero) & i;
    looking &= zero ^ 1;
  }
  good &= looking ^ 1;
  good &= ((separator - PKCS1_MIN_SEPARATOR_INDEX) >>> 31) ^ 1;
  if (expectedKeyBytes === undefined) {
    // Variable-length keys (RC2 only): the length must come from the padding itself, which takes a branch.
    if (good) return { key: Buffer.from(em.subarray(separator + 1)), plausible: true };
    return { key: randomBytes(FALLBACK_KEY_BYTES), plausible: false };
  }
  good &= isZero(k - separator - 1 - expectedKeyBytes);
  const random = randomBytes(expectedKeyBytes);
  const mask = -good & 0xff;
  const key = Buffer.alloc(expectedKeyBytes);
  const offset = Math.max(0, k - expectedKeyBytes);
  for (let i = 0; i < expectedKeyBytes; i++) key[i] = (em[offset + i] & mask) | (random[i] & ~mask);
  return { key, plausible: good === 1 };
}

interface OaepParameters {
  hash: HashName;
  mgfHash: HashName;
  label?: Buffer;
}

/**
 * RSAES-OAEP-params (RFC 4055 §4.1): hashAlgorithm [0] DEFAULT sha1, maskGenAlgorithm [1] DEFAULT
 * mgf1SHA1, pSourceAlgorithm [2] DEFAULT pSpecified with an empty label.
 */
function readOaepParameters(params: Asn1Node | undefined): Outcome<{ oaep: OaepParameters }> {
  const oaep: OaepParameters = { hash: 'sha1', mgfHash: 'sha1' };
  if (!params || params.is(Tag.null)) return { ok: true, oaep };
  for (const field of params.children) {
    const algId = field.child(0);
    const oid = decodeOid(algId.child(0));
    if (field.isContext(0)) {
      const hash = OAEP_HASH_BY_OID[oid];
      if (!hash) return fail('unsupported-algorithm', `RSA-OAEP with hash ${oidName(oid)} is not supported`);
      oaep.hash = hash;
    } else if (field.isContext(1)) {
      if (oid !== OID.mgf1) return fail('unsupported-algorithm', `RSA-OAEP mask generation ${oidName(oid)} is not supported`);
      const mgfHashOid = decodeOid(algId.child(1).child(0));
      const mgfHash = OAEP_HASH_BY_OID[mgfHashOid];
      if (!mgfHash) return fail('unsupported-algorithm', `RSA-OAEP with MGF1 hash ${oidName(mgfHashOid)} is not supported`);
      oaep.mgfHash = mgfHash;
    } else if (field.isContext(2)) {
      if (oid !== OID.pSpecified) return fail('unsupported-algorithm', `RSA-OAEP label source ${oidName(oid)} is not supported`);
      const label = algId.children[1];
      oaep.label = label ? label.expect(Tag.octetString, 'pSpecified label').value : undefined;
    }
  }
  return { ok: true, oaep };
}

function decryptOaep(params: Asn1Node | undefined, input: Buffer, privateKey: KeyObject, expectedKeyBytes: number | undefined): Outcome<KeyTransportResult> {
  let read: Outcome<{ oaep: OaepParameters }>;
  try {
    read = readOaepParameters(params);
  } catch {
    return fail('malformed', 'RSAES-OAEP-params cannot be read');
  }
  if (!read.ok) return read;
  const { hash, mgfHash, label } = read.oaep;
  // Node sets MGF1's hash to the OAEP hash and offers no separate setting.
  if (hash !== mgfHash) return fail('unsupported-algorithm', `RSA-OAEP with hash ${hash} but MGF1 ${mgfHash} is not supported`);
  let key: Buffer;
  try {
    key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash, oaepLabel: label?.length ? label : undefined }, input);
  } catch {
    return fail('decryption-failed', `RSA-OAEP (${hash}) decryption failed: wrong key or corrupt encrypted key`);
  }
  if (expectedKeyBytes !== undefined && key.length !== expectedKeyBytes) {
    return fail('decryption-failed', `the decrypted key has ${key.length} bytes, expected ${expectedKeyBytes}`);
  }
  return { ok: true, key, plausible: true };
}
