/**
 * Content decryption for EncryptedContentInfo (RFC 5652 §6.1) with the content-encryption key (CEK).
 *
 * The ciphertext is streamed segment by segment through one decipher (a BER producer may split it into
 * thousands of OCTET STRING pieces), and the output is joined once at the end, so a large message
 * costs linear time.
 */
import { createDecipheriv, type CipherGCMTypes } from 'node:crypto';
import { forge as loadForge } from '../legacy/forge';
import { Asn1Node, Tag, decodeOid, decodeSmallInteger } from '../asn1/der';
import {
  CONTENT_CIPHERS,
  contentEncryptionName,
  fail,
  rc2EffectiveBits,
  type ContentCipherInfo,
  type Outcome,
} from './algorithms';

/** Default GCM tag length (RFC 5084 §3.2: aes-ICVlen DEFAULT 12). */
const GCM_DEFAULT_TAG_BYTES = 12;
/** RFC 5084 §3.2 allows ICV lengths 12 to 16 octets. */
const GCM_MIN_TAG_BYTES = 12;
const GCM_MAX_TAG_BYTES = 16;
/** RFC 2268 §6: an RC2 parameter without a version means 32 effective key bits. */
const RC2_DEFAULT_EFFECTIVE_BITS = 32;
/** RC2 keys in CMS are usually 128 bits (RFC 3370 §4.3.2); used only when we must invent a key. */
const RC2_DEFAULT_KEY_BYTES = 16;

/** A content-encryption AlgorithmIdentifier, read and checked. */
export interface ContentAlgorithm {
  oid: string;
  name: string;
  cipher: ContentCipherInfo;
  iv: Buffer;
  /** Length the CEK must have (for RC2 a guess: the key transport decides). */
  keyBytes: number;
  /** Effective key strength in bits. */
  keyBits?: number;
  /** GCM: tag length from GCMParameters. */
  tagBytes?: number;
  /** RC2: effective key bits from the parameters. */
  rc2Bits?: number;
}

/** Reads the AlgorithmIdentifier and its parameters (RFC 3565 §4.1, RFC 5084 §3.2, RFC 3370 §5). */
export function readContentAlgorithm(algId: Asn1Node): Outcome<{ algorithm: ContentAlgorithm }> {
  let oid: string;
  try {
    oid = decodeOid(algId.child(0));
  } catch {
    return fail('malformed', 'the content-encryption AlgorithmIdentifier cannot be read');
  }
  const cipher = CONTENT_CIPHERS[oid];
  const name = contentEncryptionName(oid);
  if (!cipher) return fail('unsupported-algorithm', `content encryption ${name} (${oid}) is not supported`);
  const params = algId.children[1];
  try {
    if (cipher.mode === 'gcm') return readGcmParameters(oid, name, cipher, params);
    if (cipher.engine === 'forge-rc2') return readRc2Parameters(oid, name, cipher, params);
    // CBC: the parameter is the IV as an OCTET STRING (RFC 3565 §4.1, RFC 3370 §5.1).
    if (!params || !params.is(Tag.octetString) || params.value.length !== cipher.blockBytes) {
      return fail('malformed', `${name}: the IV parameter is missing or has the wrong length`);
    }
    return { ok: true, algorithm: { oid, name, cipher, iv: params.value, keyBytes: cipher.keyBytes ?? 16, keyBits: cipher.keyBits } };
  } catch {
    return fail('malformed', `${name}: the algorithm parameters cannot be read`);
  }
}

function readGcmParameters(oid: string, name: string, cipher: ContentCipherInfo, params: Asn1Node | undefined): Outcome<{ algorithm: ContentAlgorithm }> {
  // GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen AES-GCM-ICVlen DEFAULT 12 }
  if (!params || !params.is(Tag.sequence) || !params.child(0).is(Tag.octetString)) {
    return fail('malformed', `${name}: GCMParameters are missing`);
  }
  const nonce = params.child(0).value;
  const icv = params.children[1];
  const tagBytes = icv ? decodeSmallInteger(icv.expect(Tag.integer, 'aes-ICVlen')) : GCM_DEFAULT_TAG_BYTES;
  if (nonce.length === 0) return fail('malformed', `${name}: empty nonce`);
  if (tagBytes < GCM_MIN_TAG_BYTES || tagBytes > GCM_MAX_TAG_BYTES) return fail('malformed', `${name}: tag length ${tagBytes} is not allowed`);
  return { ok: true, algorithm: { oid, name, cipher, iv: nonce, keyBytes: cipher.keyBytes ?? 16, keyBits: cipher.keyBits, tagBytes } };
}

function readRc2Parameters(oid: string, name: string, cipher: ContentCipherInfo, params: Asn1Node | undefined): Outcome<{ algorithm: ContentAlgorithm }> {
  // RC2CBCParameter ::= SEQUENCE { rc2ParameterVersion INTEGER, iv OCTET STRING (8) }; old PKCS#7
  // producers may send the IV alone.
  let bits = RC2_DEFAULT_EFFECTIVE_BITS;
  let ivNode = params;
  if (params?.is(Tag.sequence)) {
    const version = decodeSmallInteger(params.child(0).expect(Tag.integer, 'rc2ParameterVersion'));
    const mapped = rc2EffectiveBits(version);
    if (mapped === undefined) return fail('unsupported-algorithm', `${name}: parameter version ${version} is not supported`);
    bits = mapped;
    ivNode = params.child(1);
  }
  if (!ivNode || !ivNode.is(Tag.octetString) || ivNode.value.length !== 8) return fail('malformed', `${name}: the IV is missing or has the wrong length`);
  return { ok: true, algorithm: { oid, name: `${name} (${bits} bits)`, cipher, iv: ivNode.value, keyBytes: RC2_DEFAULT_KEY_BYTES, keyBits: bits, rc2Bits: bits } };
}

export interface AuthenticatedInput {
  /** Additional authenticated data (the DER of authAttrs re-tagged as SET, RFC 5083 §2.2). */
  aad?: Buffer;
  tag: Buffer;
}

/**
 * Decrypts the content. Bad CBC padding gives 'decryption-failed' (a wrong CEK lands here), a GCM
 * tag that does not verify gives 'auth-tag-mismatch'. Never throws.
 */
export function decryptContent(
  algorithm: ContentAlgorithm,
  cek: Buffer,
  segments: Buffer[],
  auth?: AuthenticatedInput,
): Outcome<{ content: Buffer }> {
  const { cipher, name } = algorithm;
  if (cipher.keyBytes !== undefined && cek.length !== cipher.keyBytes) {
    return fail('decryption-failed', `${name}: the decrypted key has ${cek.length} bytes, expected ${cipher.keyBytes}`);
  }
  if (cipher.mode === 'gcm') {
    if (!auth) return fail('malformed', `${name} needs the authentication tag of AuthEnvelopedData (RFC 5083)`);
    return decryptGcm(algorithm, cek, segments, auth);
  }
  try {
    if (cipher.engine === 'node') return { ok: true, content: runNodeCbc(cipher.nodeCipher ?? '', cek, algorithm.iv, segments) };
    if (cipher.engine === 'node-single-des') return { ok: true, content: runNodeCbc(cipher.nodeCipher ?? '', Buffer.concat([cek, cek, cek]), algorithm.iv, segments) };
    const content = runForgeRc2(algorithm, cek, segments);
    return content ? { ok: true, content } : fail('decryption-failed', `${name}: bad padding (wrong key or corrupt content)`);
  } catch {
    return fail('decryption-failed', `${name}: bad padding (wrong key or corrupt content)`);
  }
}

/** Input is fed in slices of this size, so each output piece is small and copied straight into the result. */
const DECIPHER_SLICE = 64 * 1024;

/**
 * Runs a decipher over the segments into one buffer allocated up front (plaintext is never longer than the
 * ciphertext), so a large message costs one copy of the plaintext, not the pieces plus their concatenation.
 */
function decipherInto(decipher: { update(b: Buffer): Buffer; final(): Buffer }, segments: Buffer[]): Buffer {
  if (segments.length === 1) {
    // One piece (DER): the output of a single update is the result; nothing to join when final() is empty.
    const head = decipher.update(segments[0]);
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  }
  const total = segments.reduce((n, s) => n + s.length, 0);
  const out = Buffer.allocUnsafe(total + 32);
  let length = 0;
  for (const segment of segments) {
    for (let i = 0; i < segment.length; i += DECIPHER_SLICE) {
      length += decipher.update(segment.subarray(i, i + DECIPHER_SLICE)).copy(out, length);
    }
  }
  length += decipher.final().copy(out, length);
  return out.subarray(0, length);
}

/**
 * CBC with the padding removed here rather than by OpenSSL: with auto-padding the last block is held back and
 * returned by final(), which would force a copy of the whole plaintext to join them. RFC 5652 §6.3 padding:
 * k - (l mod k) octets, each of that value.
 */
function runNodeCbc(nodeCipher: string, key: Buffer, iv: Buffer, segments: Buffer[]): Buffer {
  const decipher = createDecipheriv(nodeCipher, key, iv);
  decipher.setAutoPadding(false);
  const padded = decipherInto(decipher, segments);
  const blockSize = iv.length;
  const pad = padded.length ? padded[padded.length - 1] : 0;
  let bad = padded.length === 0 || padded.length % blockSize !== 0 || pad < 1 || pad > blockSize ? 1 : 0;
  for (let i = 1; i <= blockSize; i++) bad |= i <= pad && padded[padded.length - i] !== pad ? 1 : 0;
  if (bad) throw new Error('bad padding');
  return padded.subarray(0, padded.length - pad);
}

function decryptGcm(algorithm: ContentAlgorithm, key: Buffer, segments: Buffer[], auth: AuthenticatedInput): Outcome<{ content: Buffer }> {
  const { name } = algorithm;
  if (auth.tag.length !== algorithm.tagBytes) {
    return fail('malformed', `${name}: the MAC has ${auth.tag.length} bytes but GCMParameters say ${algorithm.tagBytes}`);
  }
  let decipher;
  try {
    decipher = createDecipheriv(algorithm.cipher.nodeCipher as CipherGCMTypes, key, algorithm.iv, { authTagLength: auth.tag.length });
    if (auth.aad) decipher.setAAD(auth.aad);
    decipher.setAuthTag(auth.tag);
  } catch {
    return fail('decryption-failed', `${name}: the content cannot be decrypted`);
  }
  try {
    return { ok: true, content: decipherInto(decipher, segments) };
  } catch {
    // Nothing decrypted is released: GCM output is only trusted once the tag verifies (RFC 5084 §1.1).
    return fail('auth-tag-mismatch', `${name}: the authentication tag does not match (wrong key, or the message was altered)`);
  }
}

/** RC2 through node-forge (binary strings; slow, but only legacy mail uses it). */
function runForgeRc2(algorithm: ContentAlgorithm, key: Buffer, segments: Buffer[]): Buffer | undefined {
  const forge = loadForge();
  const cipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), algorithm.rc2Bits);
  cipher.start(forge.util.createBuffer(algorithm.iv.toString('binary')));
  for (const segment of segments) cipher.update(forge.util.createBuffer(segment.toString('binary')));
  if (!cipher.finish()) return undefined;
  return Buffer.from(cipher.output.getBytes(), 'binary');
}
