/**
 * Recognises S/MIME structures by their MIME labels (RFC 8551 §3.2-3.5), including the "x-" types older
 * clients still send (RFC 2311) and application/octet-stream parts named *.p7m / *.p7s (RFC 8551 §3.2.2).
 * Only labels are read here; whether the CMS inside matches is the CMS layer's business.
 */
import type { MimeEntity } from './entity';

export type SmimeKind =
  | {
      kind: 'multipart-signed';
      /** The protocol parameter, lower-cased ('' when absent but the second part is a PKCS#7 signature). */
      protocol: string;
      micalg?: string;
      /** RFC 1847 §2.1: the protocol parameter names a PKCS#7 signature type, there are exactly two parts, and
       *  the second carries that type (x- and non-x- spellings count as the same, RFC 8551 §3.5). */
      protocolOk: boolean;
    }
  | { kind: 'other-signed'; protocol: string; micalg?: string }
  | { kind: 'pkcs7-mime'; smimeType?: string }
  | { kind: 'pkcs7-signature' };

const PKCS7_SIGNATURE_TYPES = new Set(['application/pkcs7-signature', 'application/x-pkcs7-signature']);
const PKCS7_MIME_TYPES = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

/** Lower-case, without surrounding whitespace; undefined when empty. */
function normalized(value: string | undefined): string | undefined {
  const text = value?.trim().toLowerCase();
  return text ? text : undefined;
}

function signedKind(entity: MimeEntity): SmimeKind {
  const protocol = normalized(entity.contentType.params.protocol) ?? '';
  const micalg = normalized(entity.contentType.params.micalg);
  const extra = micalg === undefined ? {} : { micalg };
  const signaturePart = entity.children[1]?.contentType.mimeType;
  const signatureLabelled = signaturePart !== undefined && PKCS7_SIGNATURE_TYPES.has(signaturePart);
  if (PKCS7_SIGNATURE_TYPES.has(protocol) || (protocol === '' && signatureLabelled)) {
    const protocolOk = PKCS7_SIGNATURE_TYPES.has(protocol) && entity.children.length === 2 && signatureLabelled;
    return { kind: 'multipart-signed', protocol, ...extra, protocolOk };
  }
  // RFC 1847 §2.1: multipart/signed also carries PGP/MIME (RFC 3156) and others.
  return { kind: 'other-signed', protocol, ...extra };
}

function pkcs7MimeKind(entity: MimeEntity): SmimeKind {
  const smimeType = normalized(entity.contentType.params['smime-type']);
  return smimeType === undefined ? { kind: 'pkcs7-mime' } : { kind: 'pkcs7-mime', smimeType };
}

/** RFC 8551 §3.2.2: some agents label S/MIME as application/octet-stream and rely on the file extension. */
function octetStreamKind(entity: MimeEntity): SmimeKind | undefined {
  const name = entity.filename?.trim().toLowerCase() ?? '';
  if (name.endsWith('.p7s')) return { kind: 'pkcs7-signature' };
  if (name.endsWith('.p7m')) return { kind: 'pkcs7-mime' };
  // .p7c is a certificates-only message (RFC 8551 §3.6).
  if (name.endsWith('.p7c')) return { kind: 'pkcs7-mime', smimeType: 'certs-only' };
  return undefined;
}

/** What S/MIME structure this entity is labelled as, or undefined. */
export function smimeKindOf(entity: MimeEntity): SmimeKind | undefined {
  const mimeType = entity.contentType.mimeType;
  if (mimeType === 'multipart/signed') return signedKind(entity);
  if (PKCS7_MIME_TYPES.has(mimeType)) return pkcs7MimeKind(entity);
  if (PKCS7_SIGNATURE_TYPES.has(mimeType)) return { kind: 'pkcs7-signature' };
  if (mimeType === 'application/octet-stream') return octetStreamKind(entity);
  return undefined;
}
