/**
 * Encrypting a message (application/pkcs7-mime enveloped-data, RFC 8551 §3.3; authEnveloped-data for AES-GCM,
 * RFC 8551 §3.4 / RFC 5083) and the combinations with signing: sign then encrypt (the default, RFC 8551 §3.7),
 * encrypt then sign, and triple wrapping (sign, encrypt, sign; RFC 2634 §1.1).
 */
import { buildEnvelopedDataStream, type ContentCipherName } from '../../cms/build/envelopedDataBuilder';
import { OID } from '../../asn1/oids';
import type { Certificate } from '../../x509/certificate';
import { messagePieces, prepareMessage, type PrepareOptions, type PreparedMessage } from './prepare';
import type { Pieces } from './pieces';
import { dateWarnings, enforce, recipientProblems, senderWarnings, signerProblems, type SignerIdentity } from './identityChecks';
import { buildOrRefuse, pkcs7MimePieces, prepareDated, signedPieces, type EntitySignOptions } from './signMessage';
import type { SigningDateOptions } from './signingDate';
import { composeResult, type ComposeResult, type ComposeWarning, type Refusal } from './types';

export type { ContentCipherName };
export type WrapOrder = 'sign-encrypt' | 'encrypt-sign' | 'triple';

export interface EntityEncryptOptions {
  /** Default aes-256-cbc: the one every client reads (GCM: OpenSSL and Bouncy Castle only). */
  cipher?: ContentCipherName;
  /** RSAES-OAEP for RSA recipients (RFC 8017); NSS and gpgsm cannot decrypt it. */
  oaep?: boolean;
}

export interface RecipientOptions extends EntityEncryptOptions {
  recipients: Certificate[];
  /** The sender's certificate: added as a recipient so the sent copy stays readable. */
  self?: Certificate;
  /** Default true; false leaves the sender out even when `self` is given. */
  includeSelf?: boolean;
  /** Encrypt even to expired recipient certificates (each becomes a warning). */
  force?: boolean;
  now?: Date;
}

export interface EncryptMessageOptions extends RecipientOptions, PrepareOptions {
  input: Buffer;
}

export interface SignAndEncryptOptions extends EncryptMessageOptions, EntitySignOptions, SigningDateOptions {
  signer: SignerIdentity;
  /** Default sign-encrypt. */
  order?: WrapOrder;
}

/** Who cannot read what we are about to write (measured: Thunderbird/NSS 3.87, gpgsm 2.2, Outlook). */
export function readerWarnings(recipients: Certificate[], options: EntityEncryptOptions): ComposeWarning[] {
  const warnings: ComposeWarning[] = [];
  if (options.cipher?.endsWith('gcm')) {
    warnings.push({ code: 'limited-readers', message: `${options.cipher} makes authEnveloped-data: Thunderbird/NSS 3.87, gpgsm and Outlook cannot read it (OpenSSL and Bouncy Castle can)` });
  }
  if (options.oaep && recipients.some((c) => c.publicKeyAlgorithm === OID.rsaEncryption)) {
    warnings.push({ code: 'limited-readers', message: 'RSA-OAEP key transport: Thunderbird/NSS 3.87 and gpgsm cannot decrypt it (OpenSSL and Bouncy Castle can)' });
  }
  if (recipients.some((c) => c.publicKeyAlgorithm === OID.ecPublicKey)) {
    warnings.push({ code: 'limited-readers', message: 'EC recipients use ECDH key agreement: Thunderbird/NSS 3.87 and gpgsm cannot decrypt it (OpenSSL and Bouncy Castle can)' });
  }
  return warnings;
}

/** The final recipient list after the checks; throws ComposeError for expired certificates unless forced. */
export function checkedRecipients(options: RecipientOptions, warnings: ComposeWarning[]): Certificate[] {
  const now = options.now ?? new Date();
  const withSelf = options.includeSelf !== false && options.self;
  const all = withSelf ? [...options.recipients, options.self as Certificate] : [...options.recipients];
  if (!withSelf) warnings.push({ code: 'no-self-copy', message: 'the sender is not a recipient: the sent copy cannot be decrypted by the sender' });
  const refusals: Refusal[] = [];
  for (const cert of all) {
    const checked = recipientProblems(cert, now);
    refusals.push(...checked.refusals);
    warnings.push(...checked.warnings);
  }
  if (all.length === 0) refusals.push({ code: 'no-recipients', message: 'no recipient certificate given' });
  enforce(refusals, options.force ?? false, warnings);
  warnings.push(...readerWarnings(all, options));
  return all;
}

/** Encrypts an entity for `recipients` and returns the application/pkcs7-mime entity. Throws ComposeError. */
export function encryptEntity(entity: Buffer, recipients: Certificate[], options: EntityEncryptOptions = {}): Buffer {
  return encryptedPieces(entity, recipients, options).toBuffer();
}

/** encryptEntity as pieces: the ciphertext is encrypted while it is base64-encoded into the message, never held whole. */
function encryptedPieces(entity: Buffer, recipients: Certificate[], options: EntityEncryptOptions): Pieces {
  return buildOrRefuse(() => {
    const built = buildEnvelopedDataStream(entity, recipients, { cipher: options.cipher, oaep: options.oaep });
    return pkcs7MimePieces({ base64: built.chunks, byteLength: built.byteLength }, built.smimeType);
  });
}

/** Prepares, checks and encrypts a message. Throws ComposeError when refused. */
export function encryptMessage(options: EncryptMessageOptions): ComposeResult {
  const prepared = prepareMessage(options.input, options);
  const warnings = [...prepared.warnings];
  const recipients = checkedRecipients(options, warnings);
  const smime = encryptedPieces(prepared.entity, recipients, options);
  return composeResult(messagePieces(prepared.outerHeaders, smime).toBuffers(), prepared.preflight, warnings);
}

/** The layers in the order asked for; inner layers are joined (they are signed or encrypted), the outer one is not. */
function wrap(prepared: PreparedMessage, options: SignAndEncryptOptions, recipients: Certificate[], now: Date): Pieces {
  const sign = (entity: Buffer) => signedPieces(entity, options.signer, { ...options, now });
  const encrypt = (entity: Buffer) => encryptedPieces(entity, recipients, options);
  switch (options.order ?? 'sign-encrypt') {
    case 'encrypt-sign':
      return sign(encrypt(prepared.entity).toBuffer());
    case 'triple':
      return sign(encrypt(sign(prepared.entity).toBuffer()).toBuffer());
    default:
      return encrypt(sign(prepared.entity).toBuffer());
  }
}

/** Signs and encrypts in the order asked for. Throws ComposeError when refused. */
export function signAndEncrypt(options: SignAndEncryptOptions): ComposeResult {
  const now = options.now ?? new Date();
  const prepared = prepareDated(options, now);
  const warnings = [...prepared.warnings];
  enforce(signerProblems(options.signer, now), options.force ?? false, warnings);
  warnings.push(...senderWarnings(options.signer.certificate, prepared.addresses.from), ...dateWarnings(prepared.date, now));
  const recipients = checkedRecipients({ ...options, now }, warnings);
  if (options.order === 'encrypt-sign') {
    warnings.push({ code: 'limited-readers', message: 'encrypt-then-sign: the signature covers only the ciphertext, so readers (this tool, Thunderbird) do not count it as signing the text (RFC 8551 §3.7)' });
  }
  return composeResult(messagePieces(prepared.outerHeaders, wrap(prepared, options, recipients, now)).toBuffers(), prepared.preflight, warnings);
}
