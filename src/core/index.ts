/**
 * The one way into the core for the command line and the extension (enforced by eslint.config.mjs): what the front
 * ends may use of MIME, CMS, X.509, keys and the S/MIME operations. The core itself imports its modules directly.
 */
export type { RecipientKey } from './cms/enveloped';
export { compareMessages, formatCompareReport } from './compare';
export type { CompareReport } from './compare';
export { fileErrorCause } from './files';
export type { FileInfo, FileKind, FileReader, FileWriter } from './files';
export { inboxVerdict } from './inbox/inboxVerdict';
export type { InboxVerdict } from './inbox/inboxVerdict';
export { KeyError, loadIdentity, loadPkcs12, parseIdentity } from './keys';
export type { Identity } from './keys';
export { attachments, childrenOf, displayParts, findPart, htmlToText, innermostContent, isSavablePart, messageTree, openedContent, partKind, partProtection, resolveContentId, safeFileName, walkTree } from './mail';
export type { MessageTree, PartProtection } from './mail';
export { decodeBody, decodeText } from './mime/decode';
export type { HeaderField, MimeEntity, ParsedMessage } from './mime/entity';
export { decodeEncodedWords } from './mime/headers';
export { looksLikeMbox, MboxSplitter } from './mime/mbox';
export { findEntity, parseMessage, walk } from './mime/parser';
export { issueCertificate } from './pki/certificateBuilder';
export { demoFiles } from './pki/demoFiles';
export { createDemoPki, DEMO_PASSPHRASE } from './pki/demoPki';
export { certificatesToPem, privateKeyToPem } from './pki/pemWriter';
export { parseAddressList } from './smime/addresses';
export { analyzeMessage } from './smime/analyze';
export type { AnalysisResult, AnalyzeOptions } from './smime/analyze';
export { ComposeError, encryptMessage, messageAddresses, resolveRecipients, saveSignerCertificates, signAndEncrypt, signMessage } from './smime/compose';
export type { ComposeResult, ContentCipherName, HarvestResult, RefusalCode, ResolvedRecipients, SignerIdentity, WrapOrder } from './smime/compose';
export { isEncrypted, layerStatus } from './smime/layers';
export { REPORT_SCHEMA, statusForReason, worstStatus } from './smime/report';
export type {
  CertificateEntry,
  CertificateFields,
  CertificateId,
  Check,
  CompressedLayerReport,
  EnvelopedLayerReport,
  LayerReport,
  LayerStatus,
  Reason,
  RecipientReport,
  SecurityReport,
  SignedLayerReport,
  SignerReport,
  SignerStatus,
} from './smime/report';
export type { DigestName, SigningDigestName } from './digests';
export { signerCertificate, signerName } from './smime/reportLookup';
export type { TrustOptions } from './smime/verifySigner';
export { tryParseCertificate } from './x509/certificate';
export type { Certificate } from './x509/certificate';
export { certificateDetails } from './x509/details';
export type { CertificateDetails } from './x509/details';
export { parseBasicConstraints } from './x509/extensions';
export { formatCertificateText } from './x509/format';
export { decodePemBlocks } from './x509/pem';
export { certificatesFromBytes, loadCertificates, loadCrls, systemAnchors, uniqueCertificates } from './x509/trustStore';
