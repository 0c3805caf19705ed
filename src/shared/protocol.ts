/**
 * The one protocol between the extension host and the message editor's webview, and the view model it carries.
 * Both sides import this file with `import type` only. The view model is plain JSON built in the host from the
 * SecurityReport and the MIME tree: it never holds key material, and every string in it is display text.
 */

export type Tone = 'ok' | 'warn' | 'error' | 'neutral';
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One line of a checklist, with the clause it comes from (RFC 8550/8551, RFC 5652, RFC 5280). */
export interface CheckView {
  id: string;
  status: CheckStatus;
  label: string;
  detail: string;
  rfc?: string;
}

export interface ReasonView {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  rfc?: string;
}

export interface EncryptionView {
  /** "Encrypted with AES-256-CBC" (localised). */
  text: string;
  algorithm: string;
  decrypted: boolean;
  /** False for CBC EnvelopedData without a signature inside: the content may have been altered (EFAIL). */
  integrityProtected: boolean;
  /** "not integrity-protected" and similar warnings, localised. */
  notes: string[];
}

export interface SummaryView {
  verdict: 'valid' | 'invalid' | 'untrusted' | 'mismatch' | 'unsigned' | 'error' | 'locked';
  tone: Tone;
  /** Codicon name without the "codicon-" prefix. */
  icon: string;
  title: string;
  /** The core's one-line summary. */
  detail: string;
  /** "Signed by NAME <addr> on TIME" for each signer of the layer covering the message. */
  signedBy: string[];
  encryption?: EncryptionView;
  reasons: ReasonView[];
  validationTime: string;
}

export interface SignerView {
  status: 'valid' | 'invalid' | 'untrusted' | 'mismatch';
  tone: Tone;
  name: string;
  email: string | null;
  signingTime: string | null;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  chainTrusted: boolean;
  /** Ids into MessageView.certificates, leaf first. */
  chain: string[];
  checks: CheckView[];
}

export interface LayerView {
  kind: 'signed' | 'enveloped' | 'authEnveloped' | 'compressed';
  title: string;
  /** Part that carries the layer and part it protects. */
  path: string;
  covers: string;
  coversMessage: boolean;
  tone: Tone;
  checks: CheckView[];
  signers: SignerView[];
  reasons: ReasonView[];
}

/** How the bytes of a part are protected, from the layers' `covers` paths. */
export type Coverage = 'signed' | 'encrypted' | 'signed-encrypted' | 'not-covered' | 'unprotected';

export type PartKind = 'multipart' | 'text' | 'html' | 'image' | 'message' | 'smime' | 'attachment';

export interface PartView {
  /** The entity path ("1", "1.2", ...); the host looks it up in its own tree, it is never a file path. */
  id: string;
  mimeType: string;
  kind: PartKind;
  label: string;
  filename?: string;
  /** Size of the encoded body in bytes. */
  size: number;
  coverage: Coverage;
  /** Colour of the coverage mark: the covering signature's state (ok/warn/error), warn for not-covered parts. */
  tone: Tone;
  /** Inside decrypted content (shown in memory only, never written to disk). */
  decrypted: boolean;
  children: PartView[];
}

export interface HeaderView {
  name: string;
  /** RFC 2047-decoded, unfolded. */
  value: string;
  /** Exactly as written (encoded words kept). */
  raw: string;
  /** A problem with this field, shown on its row: the From of a message signed by someone else. */
  flag?: { tone: Tone; note: string };
}

/** Whether a body part is signed, for the mark above it (outside the sender's content). */
export interface PartProtectionView {
  /** Inside what a signature covers (whatever that signature's state). */
  signed: boolean;
  /** ok only when the covering signature is valid. */
  tone: Tone;
  /** "Signed: covered by the valid signature", "Not signed", ... (localised). */
  label: string;
}

/** Text an HTML part carries but does not display (display:none, opacity 0, font size 0, white on white, ...). */
export interface HiddenTextView {
  passages: number;
  characters: number;
  /** False when some styles could not be evaluated: the counts are a lower bound. */
  complete: boolean;
  /** The sentence shown (localised). */
  text: string;
}

export interface TextBodyView {
  kind: 'text';
  partId: string;
  protection: PartProtectionView;
  text: string;
  charset: string;
  notes: string[];
}

export interface HtmlBodyView {
  kind: 'html';
  partId: string;
  protection: PartProtectionView;
  /** Present when the part hides text, or when that could not be fully checked. */
  hiddenText?: HiddenTextView;
  /** A complete document for a sandboxed iframe: remote URLs neutralised, a CSP meta first, cid: images inlined. */
  srcdoc: string;
  /** Remote references found (and blocked unless remoteAllowed). */
  remoteCount: number;
  remoteAllowed: boolean;
  /** Why remote content can never be loaded for this part (e.g. decrypted content: EFAIL), localised. */
  remoteForbidden?: string;
  charset: string;
  notes: string[];
}

export type BodyView = TextBodyView | HtmlBodyView;

export interface AttachmentView {
  partId: string;
  filename: string;
  mimeType: string;
  size: number;
  coverage: Coverage;
}

export interface CertificateFieldView {
  label: string;
  value: string;
}

export interface CertificateView {
  /** Stable id within one view model (its SHA-256 fingerprint). */
  id: string;
  title: string;
  subject: string;
  issuer: string;
  role: 'signer' | 'intermediate' | 'root' | 'other';
  sha256: string;
  notBefore: string;
  notAfter: string;
  selfSigned: boolean;
  /** Every field of certificateDetails, flattened for display. */
  fields: CertificateFieldView[];
}

/** keyLocked: a configured identity needs its passphrase before it can be tried. */
export type DecryptState = 'none' | 'locked' | 'keyLocked' | 'decrypted' | 'failed';

export interface MessageView {
  fileName: string;
  subject: string;
  summary: SummaryView;
  layers: LayerView[];
  tree: PartView;
  /** Headers of the outer message. */
  headers: HeaderView[];
  /** Headers of the signed or decrypted inner message (RFC 8551 §3.1 header protection), when there is one. */
  innerHeaders?: HeaderView[];
  bodies: BodyView[];
  attachments: AttachmentView[];
  certificates: CertificateView[];
  decryptState: DecryptState;
  /** Parse and decoding warnings, with the part they concern. */
  warnings: string[];
  /** False in Restricted Mode: decrypt, sign and trust actions are not offered. */
  trustedWorkspace: boolean;
}

/** Labels of the webview's own controls, localised in the host (the webview has no l10n API). */
export interface UiStrings {
  checks: string;
  layers: string;
  structure: string;
  headers: string;
  protectedHeaders: string;
  showRaw: string;
  showDecoded: string;
  body: string;
  attachments: string;
  certificates: string;
  save: string;
  openAsText: string;
  decrypt: string;
  enterPassphrase: string;
  copyFingerprint: string;
  exportPem: string;
  trustCa: string;
  saveAsRecipient: string;
  loadRemote: string;
  remoteBlocked: string;
  noBody: string;
  warnings: string;
  signers: string;
  /** Title of the frame around the verdict and checks (drawn by the extension, never by the message). */
  verificationFrame: string;
  /** Label of the area holding the message's own content. */
  senderContent: string;
  /** Why the sender's content must not be read as a verdict. */
  senderContentNote: string;
  /** "Part {0}: {1}" for the hidden-text lines in the verification frame. */
  hiddenTextInPart: string;
  coverage: Record<Coverage, string>;
  status: Record<CheckStatus, string>;
}

/** Actions the webview may ask for; the host re-checks everything (the webview is untrusted). */
export type RunAction =
  | { action: 'decrypt' }
  | { action: 'saveAttachment'; partId: string }
  | { action: 'openPartAsText'; partId: string }
  | { action: 'openRawSource' }
  | { action: 'loadRemoteContent' }
  | { action: 'copyFingerprint'; certificateId: string }
  | { action: 'exportCertificate'; certificateId: string }
  | { action: 'trustCertificate'; certificateId: string }
  | { action: 'saveRecipientCertificate'; certificateId: string };

export type ToWebview =
  /** Answer to 'ready': the full snapshot. */
  | { type: 'init'; view: MessageView; strings: UiStrings }
  /** A new snapshot after re-analysis (file changed, settings changed, decrypted). */
  | { type: 'update'; view: MessageView }
  /** Scroll to and select a part (from a command or CodeLens). */
  | { type: 'reveal'; partId: string }
  /** Open the certificate viewer on one certificate (Show Signer Certificate). */
  | { type: 'revealCertificate'; certificateId: string }
  /** A long action started or ended (disables buttons meanwhile). */
  | { type: 'busy'; busy: boolean };

export type FromWebview =
  /** The webview has loaded its script and wants the snapshot. */
  | { type: 'ready' }
  /** The user asked for an action. */
  | ({ type: 'run' } & RunAction);

/** What the webview keeps across hide/show through getState/setState (no message content). */
export interface WebviewState {
  selectedPart?: string;
  collapsed?: string[];
  rawHeaders?: boolean;
  openSections?: string[];
}

export const RUN_ACTIONS: readonly RunAction['action'][] = [
  'decrypt', 'saveAttachment', 'openPartAsText', 'openRawSource', 'loadRemoteContent',
  'copyFingerprint', 'exportCertificate', 'trustCertificate', 'saveRecipientCertificate',
];
