/**
 * The security report: what a message's S/MIME layers are, what each covers, and one overall verdict.
 * Everything here is plain JSON-able data; the CLI prints it and the extension renders it.
 */
import type { CertificateDetails } from '../x509/details';
import type { RecipientSummary } from '../cms/enveloped';

export type Verdict = 'valid' | 'invalid' | 'untrusted' | 'mismatch' | 'unsigned' | 'error';

export type ReasonCode =
  | 'digest-mismatch'
  | 'bad-signature'
  | 'no-signers'
  | 'ambiguous-content'
  | 'ambiguous-attribute'
  | 'content-type-mismatch'
  | 'missing-signed-attribute'
  | 'signer-cert-missing'
  | 'cert-expired'
  | 'cert-not-yet-valid'
  | 'untrusted-root'
  | 'bad-cert-signature'
  | 'ca-constraint'
  | 'revoked'
  | 'crl-stale'
  | 'crl-invalid'
  | 'name-constraint'
  | 'chain-too-long'
  | 'unknown-critical-extension'
  | 'key-usage'
  | 'ext-key-usage'
  | 'sender-mismatch'
  | 'no-signer-address'
  | 'sender-header'
  | 'unusable-address'
  | 'subject-email-mismatch'
  | 'header-protection-mismatch'
  | 'weak-algorithm'
  | 'signing-time-mismatch'
  | 'partial-signature'
  | 'signed-ciphertext'
  | 'unsupported-algorithm'
  | 'not-integrity-protected'
  | 'no-recipient-key'
  | 'decryption-failed'
  | 'auth-tag-mismatch'
  | 'line-endings-canonicalized'
  | 'certs-only'
  | 'not-mime'
  | 'resource-limit'
  | 'too-large'
  | 'decompression-failed'
  | 'malformed';

export type Severity = 'error' | 'warning' | 'info';

export interface Reason {
  code: ReasonCode;
  severity: Severity;
  message: string;
  /** The standard clause the check comes from, e.g. "RFC 8551 §3.1.1". */
  rfc?: string;
}

export type CheckId =
  | 'structure'
  | 'digest'
  | 'signature'
  | 'signer-certificate'
  | 'chain'
  | 'trust-anchor'
  | 'validity'
  | 'revocation'
  | 'key-usage'
  | 'ext-key-usage'
  | 'sender'
  | 'algorithm'
  | 'signing-time'
  | 'signer-count'
  | 'content';

/** One line of the checklist a UI shows: every check, whether it passed, and where it comes from. */
export interface Check {
  id: CheckId;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  detail: string;
  rfc?: string;
}

/**
 * A certificate's id within one report: its SHA-256 fingerprint as upper-case hex pairs joined by colons, the form
 * `openssl x509 -fingerprint -sha256` prints. Signers name certificates by it; SecurityReport.certificates holds them.
 */
export type CertificateId = string;

/** What a report says about one certificate: the summary every front end shows and the full details, no bytes. */
export interface CertificateEntry {
  /** The id (the key of SecurityReport.certificates). */
  sha256Fingerprint: CertificateId;
  subject: string;
  /** The subject's most specific commonName, read from the certificate (never re-parsed from `subject`). */
  subjectCommonName: string | null;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  /** Every address the certificate names (SAN rfc822Name, then subject emailAddress), lower-case. */
  emails: string[];
  /** The message carries it (a signed layer's certificates); false when it came from the configured certificates. */
  carried: boolean;
  /** Everything a certificate viewer shows, computed once by the core (certificateDetails without the PEM). */
  details: CertificateFields;
}

/** CertificateDetails without the encoded certificate: the report carries no certificate bytes. */
export type CertificateFields = Omit<CertificateDetails, 'pem'>;

export type SignerStatus = 'valid' | 'invalid' | 'untrusted' | 'mismatch';

export interface SignerReport {
  status: SignerStatus;
  reasons: Reason[];
  checks: Check[];
  /** The signer certificate, an id into SecurityReport.certificates; null when it was not found. */
  certificate: CertificateId | null;
  /**
   * The signer's usable address (the first of `emails`), lower-case. `emails` are the certificate's addresses that
   * can be matched against From (RFC 8550 §3): a judgement of this signer, so kept here beside the certificate's own.
   */
  email: string | null;
  emails: string[];
  /** Whether the signer's addresses include the From address (null when there is no signer certificate). */
  emailMatchesFrom: boolean | null;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  /** signingTime signed attribute (RFC 5652 §11.3), ISO-8601, if present. */
  signingTime: string | null;
  chainTrusted: boolean;
  /** Ids into SecurityReport.certificates, leaf first (the signer certificate alone when no chain was built). */
  chain: CertificateId[];
  /** SMIMECapabilities the signer advertised (RFC 8551 §2.5.2), strongest first as sent. */
  smimeCapabilities: string[];
}

export interface ByteRange {
  start: number;
  end: number;
}

export type LayerKind = 'signed' | 'enveloped' | 'authEnveloped' | 'compressed';

/** A recipient of an encrypted layer, as the CMS layer names it (RFC 5652 §6.2). */
export type RecipientReport = RecipientSummary;

interface LayerBase {
  /** Entity path of the part that carries the layer (the multipart/signed or pkcs7-mime entity). */
  path: string;
  /** Entity path of what the layer protects (for multipart/signed the first child; for pkcs7-mime "<path>.1"). */
  covers: string;
  /** Byte range of the protected bytes; `source` says which buffer ("file" or the decrypted layer's path). */
  range: ByteRange;
  source: string;
  /** Outer layers first; 0 is outermost. */
  depth: number;
  /** True when the layer applies to the whole message (the root, possibly through outer layers). */
  coversMessage: boolean;
  reasons: Reason[];
}

export interface SignedLayerReport extends LayerBase {
  kind: 'signed';
  /** Every signer valid and no layer error (RFC 8551 §3.5); see layerStatus. */
  status: SignerStatus;
  form: 'detached' | 'opaque';
  /** Layer-level checklist (structure, signer count, content), beside each signer's own checks. */
  checks: Check[];
  signers: SignerReport[];
  /** When the signed bytes had bare LF and were verified in canonical CRLF form (RFC 8551 §3.1.1). */
  canonicalized: boolean;
}

export type EncryptionLayerStatus = 'decrypted' | 'not-decrypted';

export interface EnvelopedLayerReport extends LayerBase {
  kind: 'enveloped' | 'authEnveloped';
  status: EncryptionLayerStatus;
  decrypted: boolean;
  contentEncryption: string;
  recipients: RecipientReport[];
}

export type CompressionLayerStatus = 'decompressed' | 'failed';

export interface CompressedLayerReport extends LayerBase {
  kind: 'compressed';
  status: CompressionLayerStatus;
}

/** One S/MIME layer; narrow on `kind` to reach what that kind of layer has. */
export type LayerReport = SignedLayerReport | EnvelopedLayerReport | CompressedLayerReport;

export type LayerStatus = LayerReport['status'];

export interface MessageSummary {
  from: string[];
  sender: string[];
  to: string[];
  subject: string | null;
  date: string | null;
}

/**
 * The version of the report's shape, the first field of every report (and of `smime verify --json`). 2: layers are
 * a union on `kind` with their status, and signers name certificates by id in `certificates`.
 */
export const REPORT_SCHEMA = 2;

export interface SecurityReport {
  schema: typeof REPORT_SCHEMA;
  verdict: Verdict;
  /** A one-line human summary of the verdict. */
  summary: string;
  /** Every reason of every layer and signer, deduplicated by code. */
  reasons: ReasonCode[];
  /** Message-level reasons (partial signing, parse problems, ...). */
  messageReasons: Reason[];
  layers: LayerReport[];
  /** Every certificate of every signer's chain and every certificate the message carries, by id. */
  certificates: Record<CertificateId, CertificateEntry>;
  message: MessageSummary;
  validationTime: string;
  /** MIME parse warnings, with the entity path they concern. */
  warnings: { path: string; code: string; message: string }[];
}

const SIGNER_STATUS_RANK: Record<SignerStatus, number> = { valid: 0, mismatch: 1, untrusted: 2, invalid: 3 };

/** The worst of several signer statuses (every signer must be valid for the layer to be valid). */
export function worstStatus(statuses: SignerStatus[]): SignerStatus {
  return statuses.reduce<SignerStatus>((w, s) => (SIGNER_STATUS_RANK[s] > SIGNER_STATUS_RANK[w] ? s : w), 'valid');
}

/** Which signer status a reason implies when it is an error. */
export function statusForReason(code: ReasonCode): SignerStatus {
  switch (code) {
    case 'sender-mismatch':
    case 'no-signer-address':
      return 'mismatch';
    case 'cert-expired':
    case 'cert-not-yet-valid':
    case 'untrusted-root':
    case 'bad-cert-signature':
    case 'ca-constraint':
    case 'revoked':
    case 'key-usage':
    case 'ext-key-usage':
    case 'unknown-critical-extension':
    case 'name-constraint':
    case 'chain-too-long':
      return 'untrusted';
    default:
      return 'invalid';
  }
}

export function reason(code: ReasonCode, severity: Severity, message: string, rfc?: string): Reason {
  return rfc ? { code, severity, message, rfc } : { code, severity, message };
}
