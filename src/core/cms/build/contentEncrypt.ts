/**
 * Content encryption for EncryptedContentInfo (RFC 5652 §6.1): AES-CBC (RFC 3565) for EnvelopedData and
 * AES-GCM (RFC 5084) for AuthEnvelopedData (RFC 5083). Key, IV and nonce are fresh random bytes for every
 * message. The ciphertext is produced slice by slice as it is read; nothing is joined here.
 */
import { createCipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import { OID } from '../../asn1/oids';
import { integer, octetString, sequence, type DerElement } from '../../asn1/derWriter';
import { algorithmIdentifier } from './common';

export type ContentCipherName = 'aes-256-cbc' | 'aes-128-cbc' | 'aes-192-cbc' | 'aes-128-gcm' | 'aes-256-gcm';

export interface ContentCipherSpec {
  name: ContentCipherName;
  oid: string;
  keyBytes: number;
  aead: boolean;
  /** The AES key wrap of the same strength, for key agreement recipients (RFC 5753 §7.2, RFC 3565 §2.3.2). */
  wrapOid: string;
}

export const CONTENT_CIPHER_SPECS: Record<ContentCipherName, ContentCipherSpec> = {
  'aes-128-cbc': { name: 'aes-128-cbc', oid: OID.aes128Cbc, keyBytes: 16, aead: false, wrapOid: OID.aes128Wrap },
  'aes-192-cbc': { name: 'aes-192-cbc', oid: OID.aes192Cbc, keyBytes: 24, aead: false, wrapOid: OID.aes192Wrap },
  'aes-256-cbc': { name: 'aes-256-cbc', oid: OID.aes256Cbc, keyBytes: 32, aead: false, wrapOid: OID.aes256Wrap },
  'aes-128-gcm': { name: 'aes-128-gcm', oid: OID.aes128Gcm, keyBytes: 16, aead: true, wrapOid: OID.aes128Wrap },
  'aes-256-gcm': { name: 'aes-256-gcm', oid: OID.aes256Gcm, keyBytes: 32, aead: true, wrapOid: OID.aes256Wrap },
};

/** AES block and CBC IV size (RFC 3565 §4.1). */
const AES_BLOCK_BYTES = 16;
/** RFC 5084 §3.2: a 12-octet nonce is RECOMMENDED (GCM computes nothing extra for it). */
const GCM_NONCE_BYTES = 12;
/**
 * Full 16-octet tag, with aes-ICVlen written out (RFC 5084 §3.2 allows 12 to 16, DEFAULT 12). OpenSSL 3.0
 * writes 16 and cannot read GCMParameters without aes-ICVlen ("field missing ... asn1_oct_int"), so the
 * DEFAULT is never relied on.
 */
export const GCM_TAG_BYTES = 16;

/** A content encryption whose ciphertext is produced as it is read. */
export interface ContentEncryption {
  /** contentEncryptionAlgorithm with its parameters (IV, or GCMParameters). */
  algorithm: DerElement;
  /** Octets the ciphertext will have: CBC pads to whole blocks (RFC 5652 §6.3), GCM adds none. */
  ciphertextLength: number;
  /** The ciphertext, encrypted slice by slice as the caller walks it (once), so it is never held whole. */
  ciphertext: Iterable<Buffer>;
  /** GCM: the authentication tag, available once `ciphertext` has been walked to its end. */
  tag?: () => Buffer;
}

/**
 * Plaintext encrypted per slice of this size: a consumer that encodes each slice as it comes holds about one
 * slice of ciphertext, not a second copy of the message.
 */
const SLICE_BYTES = 1 << 18;

function* slices(cipher: { update(data: Buffer): Buffer; final(): Buffer }, content: Buffer): Generator<Buffer> {
  for (let at = 0; at < content.length; at += SLICE_BYTES) {
    const out = cipher.update(content.subarray(at, at + SLICE_BYTES));
    if (out.length > 0) yield out;
  }
  const last = cipher.final();
  if (last.length > 0) yield last;
}

/**
 * Starts encrypting `content` with `cek` (which must have spec.keyBytes bytes). The cipher takes its own copy
 * of the key here, so the caller may wipe `cek` as soon as this returns.
 */
export function startContentEncryption(spec: ContentCipherSpec, cek: Buffer, content: Buffer): ContentEncryption {
  if (spec.aead) {
    const nonce = randomBytes(GCM_NONCE_BYTES);
    const cipher = createCipheriv(spec.name as CipherGCMTypes, cek, nonce, { authTagLength: GCM_TAG_BYTES });
    // No authAttrs, so no additional authenticated data (RFC 5083 §2.2).
    // GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen AES-GCM-ICVlen DEFAULT 12 }
    const params = sequence(octetString(nonce), integer(GCM_TAG_BYTES));
    return { algorithm: algorithmIdentifier(spec.oid, params), ciphertextLength: content.length, ciphertext: slices(cipher, content), tag: () => cipher.getAuthTag() };
  }
  const iv = randomBytes(AES_BLOCK_BYTES);
  const cipher = createCipheriv(spec.name, cek, iv);
  // PKCS#7 padding (RFC 5652 §6.3) is node's default: 1 to 16 octets, so always at least one more block.
  const ciphertextLength = (Math.floor(content.length / AES_BLOCK_BYTES) + 1) * AES_BLOCK_BYTES;
  return { algorithm: algorithmIdentifier(spec.oid, octetString(iv)), ciphertextLength, ciphertext: slices(cipher, content) };
}
