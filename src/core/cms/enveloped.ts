/**
 * Decryption of EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083): find the RecipientInfo
 * that one of our keys belongs to, recover the content-encryption key, decrypt the content.
 * The outcome is data with named reasons; bad input never throws.
 */
import { isUtf8 } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { Asn1Node, Tag, decodeOid } from '../asn1/der';
import { OID } from '../asn1/oids';
import type { Certificate } from '../x509/certificate';
import { contentEncryptionName, type DecryptReason, type Outcome } from './algorithms';
import { decryptContent, readContentAlgorithm, type AuthenticatedInput, type ContentAlgorithm } from './contentCipher';
import { parseContentInfo } from './contentInfo';
import { decryptKeyAgreement, isKeyAgreementKey } from './keyAgreement';
import { decryptKeyTransport } from './keyTransport';
import { certificateEmails } from '../x509/extensions';
import { describeIdentifier, identifiesCertificate, readRecipientInfos, type RecipientEntry, type RecipientType } from './recipientInfo';

export interface RecipientKey {
  privateKey: KeyObject;
  /** Identifies the recipient; without it the key is tried against every recipient of its kind. */
  certificate?: Certificate;
}

export interface RecipientSummary {
  type: RecipientType;
  issuer?: string;
  serial?: string;
  ski?: string;
  keyEncryption: string;
  /** One of the supplied keys belongs to this recipient. */
  matchedKey: boolean;
  /** The e-mail address of the recipient's certificate, when a known certificate (or a key's) is the one named. */
  email?: string;
}

export interface EnvelopedResult {
  kind: 'enveloped' | 'authEnveloped';
  contentEncryption: { oid: string; name: string; keyBits?: number; aead: boolean; legacy: boolean };
  recipients: RecipientSummary[];
  decrypted: boolean;
  /** The decrypted content (for S/MIME: the inner MIME entity bytes). */
  content?: Buffer;
  reasons: DecryptReason[];
}

/** The fields of EnvelopedData / AuthEnvelopedData that decryption needs. */
interface Envelope {
  kind: 'enveloped' | 'authEnveloped';
  recipientInfos: Asn1Node;
  algId: Asn1Node;
  /** The [0] IMPLICIT encryptedContent (primitive or constructed), absent when detached. */
  encryptedContent?: Asn1Node;
  /** Its octets, as views of the input (a BER producer may split them into many segments). */
  segments: Buffer[];
  auth?: AuthenticatedInput;
}

/** One way to try: a key against a recipient. `identified` when the key's certificate names the recipient. */
interface Attempt {
  key: RecipientKey;
  entry: RecipientEntry;
  index: number;
  identified: boolean;
}

/**
 * Decrypts with the first key that opens the message. `known` are certificates (a recipients folder, the user's
 * own) used only to name the recipients by e-mail address: an issuer and serial number tell a reader nothing.
 */
export function decryptEnveloped(der: Buffer, keys: RecipientKey[], known: Certificate[] = []): EnvelopedResult {
  const result: EnvelopedResult = {
    kind: 'enveloped',
    contentEncryption: { oid: '', name: 'unknown', aead: false, legacy: false },
    recipients: [],
    decrypted: false,
    reasons: [],
  };
  let envelope: Envelope;
  let entries: RecipientEntry[];
  try {
    envelope = readEnvelope(der);
    result.kind = envelope.kind;
    entries = readRecipientInfos(envelope.recipientInfos);
  } catch (e) {
    result.reasons.push({ code: 'malformed', message: `the ${result.kind === 'enveloped' ? 'EnvelopedData' : 'AuthEnvelopedData'} cannot be read: ${(e as Error).message}` });
    return result;
  }
  const directory = [...keys.flatMap((k) => (k.certificate ? [k.certificate] : [])), ...known];
  result.recipients = entries.map((entry) => summarize(entry, keys, directory));
  const algorithm = readAlgorithm(envelope, result);
  if (!algorithm) return result;
  const attempts = planAttempts(entries, keys);
  if (attempts.length === 0) {
    result.reasons.push({ code: 'no-recipient-key', message: noKeyMessage(entries, result.recipients, keys.length) });
    return result;
  }
  const outcome = runAttempts(attempts, algorithm, envelope);
  if (outcome.ok) {
    result.decrypted = true;
    result.content = outcome.content;
    result.recipients[outcome.index].matchedKey = true;
  } else {
    result.reasons.push({ code: outcome.code, message: outcome.message });
  }
  return result;
}

/** Reads ContentInfo and the Enveloped/AuthEnveloped SEQUENCE (RFC 5652 §6.1, RFC 5083 §2.1). */
function readEnvelope(der: Buffer): Envelope {
  const { contentType, content } = parseContentInfo(der);
  if (contentType !== OID.envelopedData && contentType !== OID.authEnvelopedData) {
    throw new Error(`content type ${contentType} is neither enveloped-data nor authEnveloped-data`);
  }
  const kind = contentType === OID.envelopedData ? 'enveloped' : 'authEnveloped';
  const fields = content.expect(Tag.sequence, 'EnvelopedData').children;
  let i = 1; // after version
  if (fields[i]?.isContext(0)) i++; // originatorInfo [0] IMPLICIT: certificates for static key agreement, unused
  const recipientInfos = fields[i++];
  const encryptedContentInfo = fields[i++]?.expect(Tag.sequence, 'EncryptedContentInfo');
  if (!recipientInfos || !encryptedContentInfo) throw new Error('recipientInfos or encryptedContentInfo missing');
  decodeOid(encryptedContentInfo.child(0)); // the inner content type; S/MIME puts id-data there
  const algId = encryptedContentInfo.child(1).expect(Tag.sequence, 'contentEncryptionAlgorithm');
  const encryptedContent = encryptedContentInfo.children[2];
  const segments = encryptedContent?.isContext(0) ? encryptedContent.octetSegments() : [];
  const envelope: Envelope = { kind, recipientInfos, algId, encryptedContent, segments };
  if (kind === 'authEnveloped') {
    // authAttrs [1] IMPLICIT: the MAC covers their DER with the SET OF tag (RFC 5083 §2.2).
    const authAttrs = fields[i]?.isContext(1) ? fields[i++] : undefined;
    const mac = fields[i]?.expect(Tag.octetString, 'mac');
    if (!mac) throw new Error('AuthEnvelopedData without mac');
    const aad = authAttrs ? Buffer.concat([Buffer.from([Tag.set]), authAttrs.raw.subarray(1)]) : undefined;
    envelope.auth = { aad, tag: mac.value };
  }
  return envelope;
}

/** Reads the content algorithm into `result`; adds reasons and returns undefined when we cannot go on. */
function readAlgorithm(envelope: Envelope, result: EnvelopedResult): ContentAlgorithm | undefined {
  const read = readContentAlgorithm(envelope.algId);
  if (!read.ok) {
    try {
      const oid = decodeOid(envelope.algId.child(0));
      result.contentEncryption = { oid, name: contentEncryptionName(oid), aead: false, legacy: false };
    } catch {
      // the reason below says it
    }
    result.reasons.push({ code: read.code, message: read.message });
    return undefined;
  }
  const { algorithm } = read;
  const aead = algorithm.cipher.mode === 'gcm';
  result.contentEncryption = { oid: algorithm.oid, name: algorithm.name, keyBits: algorithm.keyBits, aead, legacy: algorithm.cipher.legacy };
  if (algorithm.cipher.legacy) {
    result.reasons.push({ code: 'weak-algorithm', message: `${algorithm.name} is a legacy cipher, not among those RFC 8551 §2.7 requires; the content is readable but weakly protected` });
  }
  if (aead !== (envelope.kind === 'authEnveloped')) {
    result.reasons.push({
      code: 'malformed',
      message: aead ? `${algorithm.name} needs AuthEnvelopedData (RFC 5083 §2.1)` : `AuthEnvelopedData needs an authenticated cipher, not ${algorithm.name} (RFC 5083 §2.1)`,
    });
    return undefined;
  }
  if (!envelope.encryptedContent || !envelope.encryptedContent.isContext(0)) {
    result.reasons.push({ code: 'malformed', message: 'the encrypted content is absent (detached content is not used by S/MIME)' });
    return undefined;
  }
  return algorithm;
}

function summarize(entry: RecipientEntry, keys: RecipientKey[], directory: Certificate[]): RecipientSummary {
  const named = directory.find((cert) => identifiesCertificate(entry.rid, cert));
  const email = named ? certificateEmails(named)[0] : undefined;
  return {
    type: entry.type,
    ...describeIdentifier(entry.rid),
    keyEncryption: entry.keyEncryption,
    matchedKey: keys.some((k) => k.certificate !== undefined && identifiesCertificate(entry.rid, k.certificate)),
    ...(email ? { email } : {}),
  };
}

/**
 * Keys whose certificate names a recipient come first. Keys without a certificate are tried against
 * every recipient their key type can serve (RSA: ktri; EC/X25519/X448: kari).
 */
function planAttempts(entries: RecipientEntry[], keys: RecipientKey[]): Attempt[] {
  const identified: Attempt[] = [];
  const guessed: Attempt[] = [];
  entries.forEach((entry, index) => {
    if (entry.type !== 'ktri' && entry.type !== 'kari') return;
    for (const key of keys) {
      if (key.certificate) {
        if (identifiesCertificate(entry.rid, key.certificate)) identified.push({ key, entry, index, identified: true });
      } else if (entry.type === 'ktri' ? key.privateKey.asymmetricKeyType === 'rsa' : isKeyAgreementKey(key.privateKey)) {
        guessed.push({ key, entry, index, identified: false });
      }
    }
  });
  return [...identified, ...guessed];
}

function recoverKey(attempt: Attempt, algorithm: ContentAlgorithm): Outcome<{ key: Buffer; plausible: boolean }> {
  const { entry, key } = attempt;
  const expected = algorithm.cipher.keyBytes;
  const encryptedKey = entry.encryptedKey ?? Buffer.alloc(0);
  if (entry.type === 'ktri') return decryptKeyTransport(entry.node, encryptedKey, key.privateKey, expected);
  const agreed = decryptKeyAgreement(entry.node, encryptedKey, key.privateKey, expected);
  return agreed.ok ? { ...agreed, plausible: true } : agreed;
}

/** Leading bytes of a decrypted content looked at by plausiblePlaintext. */
const PLAUSIBILITY_WINDOW = 64;

/** A DER SEQUENCE whose definite length (X.690 §8.1.3) is exactly the rest of `data`. */
function isDerSequence(data: Buffer): boolean {
  if (data.length < 2 || data[0] !== 0x30) return false;
  if (data[1] < 0x80) return data.length === 2 + data[1];
  const octets = data[1] & 0x7f;
  if (octets === 0 || octets > 4 || data.length < 2 + octets) return false;
  return data.length === 2 + octets + data.readUIntBE(2, octets);
}

/**
 * Whether decrypted bytes look like content at all: text (UTF-8 without control characters other than tab, CR and
 * LF, as every S/MIME content starts with MIME header lines, RFC 8551 §3.3) or a DER SEQUENCE. A key without a
 * certificate cannot be matched to a recipient, and a wrong one gets a random content key (RSA v1.5 implicit
 * rejection) that passes CBC's padding check about once in 256 tries: its "plaintext" is noise, which 64 bytes of
 * this test turn away with overwhelming probability. The test does not depend on the v1.5 padding, so it adds no
 * padding oracle.
 */
function plausiblePlaintext(content: Buffer): boolean {
  const head = content.subarray(0, PLAUSIBILITY_WINDOW);
  if (isDerSequence(content)) return true;
  for (const byte of head) if (byte < 0x20 ? byte !== 0x09 && byte !== 0x0a && byte !== 0x0d : byte === 0x7f) return false;
  // The window may cut a multi-byte character: up to 3 bytes at its end may be an incomplete sequence.
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) if (isUtf8(head.subarray(0, head.length - cut))) return true;
  return head.length === 0;
}

/**
 * Tries the attempts in order and returns the first content that decrypts. Keys without a certificate
 * go in the order their v1.5 padding looked valid, so that a random key from implicit rejection is
 * not tried before the right one (a random key passes CBC's padding check about 1 time in 256), and what
 * they decrypt must look like content (plausiblePlaintext).
 */
function runAttempts(attempts: Attempt[], algorithm: ContentAlgorithm, envelope: Envelope): Outcome<{ content: Buffer; index: number }> {
  const rank = (a: Attempt, recovered: Outcome<{ plausible: boolean }>) => (a.identified ? 0 : recovered.ok && recovered.plausible ? 1 : 2);
  const ordered = attempts
    .map((attempt) => ({ attempt, recovered: recoverKey(attempt, algorithm) }))
    .map((k) => ({ ...k, rank: rank(k.attempt, k.recovered) }))
    .sort((a, b) => a.rank - b.rank);
  let firstFailure: Outcome<{ content: Buffer; index: number }> | undefined;
  for (const { attempt, recovered } of ordered) {
    const outcome = recovered.ok ? decryptContent(algorithm, recovered.key, envelope.segments, envelope.auth) : recovered;
    if (outcome.ok && (attempt.identified || envelope.auth || plausiblePlaintext(outcome.content))) return { ok: true, content: outcome.content, index: attempt.index };
    if (outcome.ok) continue;
    // Unsupported or malformed structures say more than a failed guess.
    if (!attempt.identified && (outcome.code === 'decryption-failed' || outcome.code === 'auth-tag-mismatch')) continue;
    firstFailure ??= { ok: false, code: outcome.code, message: outcome.message };
  }
  if (firstFailure) return firstFailure;
  return { ok: false, code: 'decryption-failed', message: `none of the ${new Set(attempts.map((a) => a.key)).size} key(s) without a certificate decrypts this message (with its certificate, a key is matched to its recipient exactly)` };
}

/**
 * "encrypted for bob@example.com, carol@example.com; none of the 2 keys given is theirs". A recipient is named by
 * its certificate's address when a known certificate matches, else by issuer and serial; each name appears once
 * (a sender may list the same certificate twice, or once per key-management kind). Says nothing about keys when
 * none was given: the caller knows why (not asked to decrypt, key locked) and says so itself.
 */
function noKeyMessage(entries: RecipientEntry[], recipients: RecipientSummary[], keyCount: number): string {
  const names = entries.map((entry, i) => {
    if (recipients[i].email) return recipients[i].email;
    const id = describeIdentifier(entry.rid);
    if (id.ski) return `subjectKeyIdentifier ${id.ski}`;
    if (id.issuer) return `issuer "${id.issuer}" serial ${id.serial}`;
    return `a ${entry.type} recipient (${entry.keyEncryption})`;
  });
  const unique = [...new Set(names)];
  const head = `the message is encrypted for ${unique.join(', ') || 'no recipient'}`;
  if (keyCount === 0) return head;
  return `${head}; ${keyCount === 1 ? 'the key given is not theirs' : `none of the ${keyCount} keys given is theirs`}`;
}
