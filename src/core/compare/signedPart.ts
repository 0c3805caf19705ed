/**
 * Where the signature of a message lives, for comparing a message before and after a relay: the bytes a
 * signature covers (RFC 8551 §3.5.3 detached: the first part of multipart/signed, exactly as written; §3.5.2
 * opaque: the encapsulated content of the signed-data) and the signature object itself (DER, transfer encoding
 * removed, because verifiers decode it before use).
 */
import { parseContentInfo } from '../cms/contentInfo';
import { parseSignedData } from '../cms/signedData';
import { OID } from '../asn1/oids';
import { decodeBody } from '../mime/decode';
import type { MimeEntity, ParsedMessage } from '../mime/entity';
import { smimeKindOf } from '../mime/smimeDetect';

export type SignedForm = 'detached' | 'opaque' | 'encrypted' | 'none';

export interface SignedPart {
  form: SignedForm;
  /** The entity that carries the signature: multipart/signed or application/pkcs7-mime. */
  holder?: MimeEntity;
  /** The signed bytes as they are in the message (detached) or as encapsulated (opaque). */
  signed?: Buffer;
  /** 1-based line of the message where `signed` starts (detached only; opaque content has no lines in the message). */
  firstLine?: number;
  /** The CMS object, transfer encoding removed. */
  cms?: Buffer;
}

/** Containers a signed part may sit in while it still signs the message as a reader sees it (RFC 8551 §3.5). */
function findHolder(entity: MimeEntity, depth: number): MimeEntity | undefined {
  const kind = smimeKindOf(entity);
  if (kind?.kind === 'multipart-signed' || kind?.kind === 'pkcs7-mime') return entity;
  // Depth bound: relays add at most a wrapper or two (mailing-list MIME wrappers); a deeper search is not a
  // "before and after" comparison any more.
  if (depth >= 4 || !entity.contentType.mimeType.startsWith('multipart/')) return undefined;
  const first = entity.children[0];
  return first ? findHolder(first, depth + 1) : undefined;
}

function decodedCms(entity: MimeEntity): Buffer | undefined {
  try {
    return decodeBody(entity).data;
  } catch {
    return undefined;
  }
}

export function locateSignedPart(message: ParsedMessage): SignedPart {
  const holder = findHolder(message.root, 0);
  if (!holder) return { form: 'none' };
  const kind = smimeKindOf(holder);
  if (kind?.kind === 'multipart-signed') {
    const [content, signature] = holder.children;
    if (!content) return { form: 'detached', holder };
    return {
      form: 'detached',
      holder,
      signed: content.source.subarray(content.start, content.end),
      firstLine: content.line,
      cms: signature ? decodedCms(signature) : undefined,
    };
  }
  const cms = decodedCms(holder);
  if (!cms) return { form: 'encrypted', holder };
  try {
    const info = parseContentInfo(cms);
    if (info.contentType !== OID.signedData) return { form: 'encrypted', holder, cms };
    const sd = parseSignedData(info.content);
    return { form: 'opaque', holder, cms, signed: sd.eContent ? sd.eContent.octets() : undefined };
  } catch {
    // Unreadable CMS: still compared byte for byte below, as the object the signature would be.
    return { form: 'opaque', holder, cms };
  }
}
