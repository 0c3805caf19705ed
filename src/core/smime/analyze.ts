/**
 * Walks a message from the outside in, unwrapping every S/MIME layer (RFC 8551 §3): signatures are
 * verified over the original bytes, encrypted layers are decrypted with the keys given, and the
 * content found inside is parsed and walked in turn. The result is the security report plus the
 * trees of every decrypted or unwrapped content.
 */
import { parseContentInfo } from '../cms/contentInfo';
import { MAX_DECOMPRESSED_TOTAL, decompress } from '../cms/compressed';
import { decryptEnveloped, type RecipientKey } from '../cms/enveloped';
import { parseSignedData } from '../cms/signedData';
import { OID } from '../asn1/oids';
import { decodeBody } from '../mime/decode';
import type { MimeEntity, ParsedMessage } from '../mime/entity';
import { parseMessage } from '../mime/parser';
import { smimeKindOf, type SmimeKind } from '../mime/smimeDetect';
import { messageContext, protectedHeaderReasons, withProtectedHeaders } from './messageContext';
import { notMimeReason } from './notMime';
import { judgeMessage } from './verdict';
import { CertificateRegistry } from './certificateRegistry';
import { reason, type CertificateId, type CompressedLayerReport, type EnvelopedLayerReport, type LayerReport, type Reason, type SecurityReport, type SignedLayerReport } from './report';
import { verifySignedLayer } from './signedLayer';
import { ambiguityReasons, multipartSignedProblems, smimeTypeProblem } from './structure';
import type { MessageContext, TrustOptions } from './verifySigner';
import type { Certificate } from '../x509/certificate';
import { publicKeyBudget } from '../x509/chain';

/** Each CMS layer may wrap another; real mail has at most three (triple wrapping, RFC 2634 §1.1). */
export const MAX_LAYER_DEPTH = 16;

export interface AnalyzeOptions extends Partial<TrustOptions> {
  /** Private keys (with their certificates) to decrypt enveloped layers. */
  keys?: RecipientKey[];
  /** Certificates that name the recipients of encrypted layers by address (a recipients folder, the user's own). */
  knownCertificates?: Certificate[];
}

export interface AnalysisResult {
  report: SecurityReport;
  message: ParsedMessage;
  /** Contents found inside pkcs7-mime entities (decrypted, unwrapped, decompressed), by the entity path that holds them. */
  inner: Map<string, ParsedMessage>;
  /** Every certificate carried by a signed layer, with the layer's path. */
  certificates: { certificate: Certificate; layerPath: string }[];
  /** The certificate behind each id of report.certificates, for the front ends that export or trust one. */
  certificatesById: ReadonlyMap<CertificateId, Certificate>;
}

interface WalkState {
  trust: TrustOptions;
  keys: RecipientKey[];
  knownCertificates: Certificate[];
  layers: LayerReport[];
  inner: Map<string, ParsedMessage>;
  messageReasons: Reason[];
  certificates: { certificate: Certificate; layerPath: string }[];
  registry: CertificateRegistry;
  /** Bytes the message's CompressedData layers may still inflate to (MAX_DECOMPRESSED_TOTAL). */
  decompressBudget: number;
}

interface Position {
  /** Whether this entity is the message itself (the root, possibly reached through outer layers). */
  isMessage: boolean;
  /** The headers signers are matched against: the message's, or those of an attached message/rfc822 around it. */
  msg: MessageContext;
  layerDepth: number;
  source: string;
}

/** Re-numbers an inner tree so its root becomes `<holderPath>.1`. */
function rebase(entity: MimeEntity, holderPath: string): void {
  entity.path = holderPath + '.1' + entity.path.slice(1);
  for (const child of entity.children) rebase(child, holderPath);
}

function parseInner(state: WalkState, holder: MimeEntity, bytes: Buffer): ParsedMessage {
  const inner = parseMessage(bytes);
  rebase(inner.root, holder.path);
  state.inner.set(holder.path, inner);
  return inner;
}

/** Certificates a signed layer carries (RFC 5652 §5.1 certificates), kept for the front ends and the registry. */
function carried(state: WalkState, certificates: Certificate[], layerPath: string): void {
  for (const certificate of certificates) {
    state.certificates.push({ certificate, layerPath });
    state.registry.add(certificate, true);
  }
}

function tryParseSignedData(content: Parameters<typeof parseSignedData>[0]): ReturnType<typeof parseSignedData> | undefined {
  try {
    return parseSignedData(content);
  } catch {
    return undefined;
  }
}

function walk(state: WalkState, entity: MimeEntity, pos: Position): void {
  if (pos.layerDepth > MAX_LAYER_DEPTH) {
    state.messageReasons.push(reason('malformed', 'warning', `more than ${MAX_LAYER_DEPTH} nested S/MIME layers; the rest was not opened`));
    return;
  }
  const kind = smimeKindOf(entity);
  if (kind?.kind === 'multipart-signed') return walkMultipartSigned(state, entity, pos, kind);
  if (kind?.kind === 'pkcs7-mime') return walkPkcs7Mime(state, entity, pos, kind.smimeType);
  // Any other entity: its parts are not the message, so a signature below it signs only that part. An attached
  // message (RFC 2046 §5.2.1) brings its own From, which is what a signature inside it is matched against.
  const attached = /^message\/(rfc822|global)$/.test(entity.contentType.mimeType);
  for (const child of entity.children) {
    walk(state, child, { ...pos, isMessage: false, msg: attached ? messageContext(child) : pos.msg });
  }
}

function walkMultipartSigned(state: WalkState, entity: MimeEntity, pos: Position, kind: Extract<SmimeKind, { kind: 'multipart-signed' }>): void {
  const [content, signaturePart] = entity.children;
  const layer: SignedLayerReport = {
    kind: 'signed',
    status: 'invalid',
    form: 'detached',
    path: entity.path,
    covers: content?.path ?? entity.path,
    range: { start: content?.start ?? entity.bodyStart, end: content?.end ?? entity.end },
    source: pos.source,
    depth: pos.layerDepth,
    coversMessage: pos.isMessage,
    reasons: [],
    checks: [],
    signers: [],
    canonicalized: false,
  };
  state.layers.push(layer);
  const shapeProblems = multipartSignedProblems(entity, kind);
  if (!content || !signaturePart) {
    layer.reasons.push(...shapeProblems);
  } else {
    try {
      const der = decodeBody(signaturePart).data;
      const ci = parseContentInfo(der);
      if (ci.contentType !== OID.signedData) throw new Error(`the signature part holds ${ci.contentType}, not signed-data`);
      const sd = parseSignedData(ci.content);
      carried(state, sd.certificates, entity.path);
      const signed = content.source.subarray(content.start, content.end);
      const msg = withProtectedHeaders(pos.msg, content);
      const result = verifySignedLayer(sd, [signed], 'detached', state.trust, msg, state.registry, shapeProblems);
      layer.signers = result.signers;
      layer.checks = result.checks;
      layer.reasons.push(...result.reasons, ...protectedHeaderReasons(msg));
      layer.canonicalized = result.canonicalized;
    } catch (e) {
      layer.reasons.push(...shapeProblems, reason('malformed', 'error', `the signature cannot be read: ${(e as Error).message}`, 'RFC 5652 §5'));
    }
  }
  if (content) walk(state, content, { ...pos, layerDepth: pos.layerDepth + 1 });
  for (const other of entity.children.slice(2)) walk(state, other, { ...pos, isMessage: false });
}

function walkPkcs7Mime(state: WalkState, entity: MimeEntity, pos: Position, smimeType: string | undefined): void {
  const { data: der } = decodeBody(entity);
  let ci: ReturnType<typeof parseContentInfo>;
  try {
    ci = parseContentInfo(der);
  } catch (e) {
    state.messageReasons.push(reason('malformed', 'error', `part ${entity.path} claims to be S/MIME but holds no readable CMS: ${(e as Error).message}`, 'RFC 8551 §3.2'));
    return;
  }
  const mislabelled = smimeTypeProblem(entity, smimeType, ci.contentType);
  if (mislabelled) state.messageReasons.push(mislabelled);
  const base = {
    path: entity.path,
    covers: entity.path + '.1',
    range: { start: entity.bodyStart, end: entity.end },
    source: pos.source,
    depth: pos.layerDepth,
    coversMessage: pos.isMessage,
    reasons: [] as Reason[],
  };
  const next: Position = { ...pos, layerDepth: pos.layerDepth + 1, source: entity.path };
  switch (ci.contentType) {
    case OID.signedData: {
      const sd = tryParseSignedData(ci.content);
      if (sd && sd.signerInfos.length === 0 && !sd.eContent) {
        // RFC 8551 §3.8: a certificates-only message carries certificates, not a signature.
        carried(state, sd.certificates, entity.path);
        state.messageReasons.push(reason('certs-only', 'info', `part ${entity.path} carries ${sd.certificates.length} certificate(s) and no signature`, 'RFC 8551 §3.8'));
        return;
      }
      const layer: SignedLayerReport = { ...base, kind: 'signed', status: 'invalid', form: 'opaque', checks: [], signers: [], canonicalized: false };
      state.layers.push(layer);
      try {
        if (!sd) parseSignedData(ci.content); // throws the reason it cannot be read
        if (!sd) return;
        carried(state, sd.certificates, entity.path);
        const segments = sd.eContent ? sd.eContent.octetSegments() : [];
        const inner = sd.eContent ? parseInner(state, entity, sd.eContent.octets()) : undefined;
        const msg = withProtectedHeaders(pos.msg, inner?.root);
        const result = verifySignedLayer(sd, segments, 'opaque', state.trust, msg, state.registry);
        layer.signers = result.signers;
        layer.checks = result.checks;
        layer.reasons.push(...result.reasons, ...protectedHeaderReasons(msg));
        if (inner) {
          layer.range = { start: 0, end: inner.source.length };
          layer.source = entity.path;
          walk(state, inner.root, next);
        }
      } catch (e) {
        layer.reasons.push(reason('malformed', 'error', `the signed-data cannot be read: ${(e as Error).message}`, 'RFC 5652 §5'));
      }
      return;
    }
    case OID.envelopedData:
    case OID.authEnvelopedData: {
      const result = decryptEnveloped(der, state.keys, state.knownCertificates);
      const layer: EnvelopedLayerReport = {
        ...base,
        kind: result.kind,
        status: 'not-decrypted',
        decrypted: result.decrypted,
        contentEncryption: result.contentEncryption.name,
        recipients: result.recipients,
        reasons: result.reasons.map((r) => reason(r.code as Reason['code'], r.code === 'weak-algorithm' ? 'warning' : 'error', r.message, 'RFC 5652 §6')),
      };
      state.layers.push(layer);
      if (result.decrypted && result.content) {
        const inner = parseInner(state, entity, result.content);
        layer.range = { start: 0, end: inner.source.length };
        layer.source = entity.path;
        walk(state, inner.root, next);
      }
      return;
    }
    case OID.compressedData: {
      const result: ReturnType<typeof decompress> = state.decompressBudget > 0
        ? decompress(der, state.decompressBudget)
        : { reasons: [{ code: 'too-large', message: 'not decompressed: earlier layers used up the bytes allowed per message' }] };
      if (result.content) state.decompressBudget -= result.content.length;
      else if (result.reasons.some((r) => r.code === 'too-large')) state.decompressBudget = 0;
      const layer: CompressedLayerReport = { ...base, kind: 'compressed', status: 'failed', reasons: result.reasons.map((r) => reason(r.code as Reason['code'], 'error', r.message, 'RFC 3274')) };
      state.layers.push(layer);
      if (result.content) walk(state, parseInner(state, entity, result.content).root, next);
      return;
    }
    default:
      state.messageReasons.push(reason('unsupported-algorithm', 'warning', `part ${entity.path} holds CMS content type ${ci.contentType}, which is not opened`, 'RFC 8551 §3.2'));
  }
}

export function analyzeMessage(buf: Buffer, options: AnalyzeOptions = {}): AnalysisResult {
  const message = parseMessage(buf);
  const trust: TrustOptions = {
    anchors: options.anchors ?? [],
    extraCertificates: options.extraCertificates ?? [],
    crls: options.crls ?? [],
    at: options.at ?? new Date(),
    allowSha1: options.allowSha1 ?? false,
    ...(options.allowSha1Option ? { allowSha1Option: options.allowSha1Option } : {}),
    // One budget per message: every signer, chain and CRL check of this message draws from it.
    budget: publicKeyBudget(),
  };
  const state: WalkState = {
    trust,
    keys: options.keys ?? [],
    knownCertificates: options.knownCertificates ?? [],
    layers: [],
    inner: new Map(),
    messageReasons: [],
    certificates: [],
    registry: new CertificateRegistry(),
    decompressBudget: MAX_DECOMPRESSED_TOTAL,
  };
  const notMime = notMimeReason(buf, message.root);
  if (notMime) state.messageReasons.push(notMime);
  walk(state, message.root, { isMessage: true, layerDepth: 0, source: 'file', msg: messageContext(message.root) });
  state.messageReasons.push(...ambiguityReasons(message, state.inner.values()));
  const report = judgeMessage(state.layers, state.messageReasons, message, state.inner, trust.at, state.registry.entries(trust.budget));
  return { report, message, inner: state.inner, certificates: state.certificates, certificatesById: state.registry.certificates };
}
