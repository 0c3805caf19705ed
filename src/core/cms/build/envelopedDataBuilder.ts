/**
 * EnvelopedData (RFC 5652 §6) with AES-CBC, or AuthEnvelopedData (RFC 5083) with AES-GCM, for S/MIME
 * encryption (RFC 8551 §3.3). RSA recipients get a KeyTransRecipientInfo, EC (and X25519/X448) recipients
 * a KeyAgreeRecipientInfo. A fresh content-encryption key, IV or nonce, and ephemeral keys are drawn for
 * every message; the key is wiped once it has been encrypted for every recipient.
 *
 * Who reads what: RSA PKCS#1 v1.5 + AES-CBC is read by every peer (OpenSSL, NSS/Thunderbird, gpgsm,
 * Bouncy Castle). RSA-OAEP, ECDH and AES-GCM are read by OpenSSL and Bouncy Castle only, so they are
 * never the default.
 */
import { randomBytes } from 'node:crypto';
import { OID } from '../../asn1/oids';
import { encodeLength, Tag } from '../../asn1/der';
import { DerElement, integer, oid, sequence, setOf } from '../../asn1/derWriter';
import type { Certificate } from '../../x509/certificate';
import { BuildError } from './buildError';
import { contentInfoElement } from './common';
import { CONTENT_CIPHER_SPECS, GCM_TAG_BYTES, startContentEncryption, type ContentCipherName, type ContentCipherSpec, type ContentEncryption } from './contentEncrypt';
import { KEY_AGREEMENT_KEY_TYPES, keyAgreeRecipientInfo } from './keyAgreementEncrypt';
import { keyTransRecipientInfo } from './keyTransportEncrypt';

export { BuildError, type BuildErrorCode } from './buildError';
export type { ContentCipherName } from './contentEncrypt';

export interface EncryptOptions {
  /** Default aes-256-cbc. The GCM ciphers make AuthEnvelopedData (smime-type=authEnveloped-data). */
  cipher?: ContentCipherName;
  /** RSAES-OAEP with SHA-256 instead of PKCS#1 v1.5 for RSA recipients (RFC 3560). */
  oaep?: boolean;
}

/** A message to thousands of recipients is a mistake or an attack on the recipient's reader. */
export const MAX_RECIPIENTS = 1000;

interface RecipientInfoResult {
  info: DerElement;
  /** kari is version 3, so the EnvelopedData becomes version 2 (RFC 5652 §6.1). */
  keyAgreement: boolean;
}

function recipientInfo(cert: Certificate, cek: Buffer, cipher: ContentCipherSpec, oaep: boolean): RecipientInfoResult {
  let type: string | undefined;
  try {
    type = cert.publicKey.asymmetricKeyType;
  } catch (e) {
    throw new BuildError('bad-recipient', `the public key of ${cert.subject.text} cannot be read: ${(e as Error).message}`);
  }
  if (type === 'rsa') return { info: keyTransRecipientInfo(cert, cek, oaep), keyAgreement: false };
  if (type && KEY_AGREEMENT_KEY_TYPES.includes(type)) return { info: keyAgreeRecipientInfo(cert, cek, cipher.wrapOid), keyAgreement: true };
  // An id-RSASSA-PSS key is for signatures only (RFC 4055 §1.2); Ed25519 and DSA cannot encrypt at all.
  throw new BuildError('unsupported-key', `cannot encrypt to the ${type ?? 'unknown'} key of ${cert.subject.text} (RSA and EC keys are supported)`);
}

function uniqueRecipients(recipients: Certificate[]): Certificate[] {
  const seen = new Map<string, Certificate>();
  for (const cert of recipients) seen.set(cert.der.toString('base64'), cert);
  return [...seen.values()];
}

/** Which S/MIME type the built ContentInfo is (RFC 8551 §3.2.2). */
export type EnvelopedSmimeType = 'enveloped-data' | 'authEnveloped-data';

/** A built ContentInfo whose ciphertext is encrypted while its chunks are read. */
export interface EnvelopedDataStream {
  smimeType: EnvelopedSmimeType;
  /** Octets of the whole DER encoding. */
  byteLength: number;
  /** The DER encoding in order; can be walked once (it drives the encryption). */
  chunks: Iterable<Buffer>;
}

/**
 * Builds a ContentInfo holding EnvelopedData (AES-CBC) or AuthEnvelopedData (AES-GCM) of `content` for every
 * recipient certificate (the sender adds their own to read the message later). Throws BuildError.
 * Key usage is not checked here: see checkRecipientUsage in x509/usage.ts.
 */
export function buildEnvelopedData(content: Buffer, recipients: Certificate[], options: EncryptOptions = {}): { der: Buffer; smimeType: EnvelopedSmimeType } {
  const built = buildEnvelopedDataStream(content, recipients, options);
  return { der: Buffer.concat([...built.chunks], built.byteLength), smimeType: built.smimeType };
}

/**
 * buildEnvelopedData as a stream of DER chunks. Only the lengths of the ciphertext and of the GCM tag are needed
 * to encode everything around them, so both are stand-ins (marker chunks with the real lengths declared) until
 * the chunks are read: a caller that encodes each chunk as it comes never holds the whole ciphertext.
 * The recipient checks and key transport happen here, so BuildErrors are thrown by this call, not while reading.
 */
export function buildEnvelopedDataStream(content: Buffer, recipients: Certificate[], options: EncryptOptions = {}): EnvelopedDataStream {
  const cipher = CONTENT_CIPHER_SPECS[options.cipher ?? 'aes-256-cbc'];
  if (!cipher) throw new BuildError('unsupported-cipher', `unsupported content cipher ${options.cipher}`);
  const unique = uniqueRecipients(recipients);
  if (unique.length === 0) throw new BuildError('no-recipients', 'at least one recipient certificate is needed');
  if (unique.length > MAX_RECIPIENTS) throw new BuildError('bad-recipient', `at most ${MAX_RECIPIENTS} recipients are supported`);
  const cek = randomBytes(cipher.keyBytes);
  let infos: RecipientInfoResult[];
  let encryption: ContentEncryption;
  try {
    infos = unique.map((cert) => recipientInfo(cert, cek, cipher, options.oaep ?? false));
    encryption = startContentEncryption(cipher, cek, content);
  } finally {
    cek.fill(0);
  }
  const ciphertextMarker = Buffer.alloc(0);
  const tagMarker = Buffer.alloc(0);
  // EncryptedContentInfo (RFC 5652 §6.1): encryptedContent [0] IMPLICIT OCTET STRING, primitive.
  const ciphertextHeader = Buffer.concat([Buffer.from([0x80]), encodeLength(encryption.ciphertextLength)]);
  const ciphertext = new DerElement([ciphertextHeader, ciphertextMarker], ciphertextHeader.length + encryption.ciphertextLength);
  const encryptedContentInfo = sequence(oid(OID.data), encryption.algorithm, ciphertext);
  const recipientInfos = setOf(infos.map((r) => r.info));
  let der: DerElement;
  if (cipher.aead) {
    // RFC 5083 §2.1: version 0, no authAttrs (the content type is id-data), mac = the GCM tag.
    const mac = new DerElement([Buffer.from([Tag.octetString, GCM_TAG_BYTES]), tagMarker], 2 + GCM_TAG_BYTES);
    der = contentInfoElement(OID.authEnvelopedData, sequence(integer(0), recipientInfos, encryptedContentInfo, mac));
  } else {
    // RFC 5652 §6.1: version 0 when every RecipientInfo is a version 0 ktri and there is no originatorInfo
    // or unprotectedAttrs; a kari (version 3) makes it 2.
    const version = infos.some((r) => r.keyAgreement) ? 2 : 0;
    der = contentInfoElement(OID.envelopedData, sequence(integer(version), recipientInfos, encryptedContentInfo));
  }
  function* chunks(): Generator<Buffer> {
    for (const chunk of der.chunks) {
      if (chunk === ciphertextMarker) yield* encryption.ciphertext;
      else if (chunk === tagMarker) yield (encryption.tag as () => Buffer)();
      else yield chunk;
    }
  }
  return { smimeType: cipher.aead ? 'authEnveloped-data' : 'enveloped-data', byteLength: der.length, chunks: chunks() };
}
