/**
 * What a signature is matched against: the From, Sender and Date of the message (or of the attached message
 * around it), and, under header protection (RFC 8551 §3.1), the header fields inside the signed content.
 * Those protected fields are what the signer actually signed; outer fields that differ from them were set or
 * changed by someone else and are reported.
 */
import { parseMailDate } from '../mime/date';
import type { MimeEntity } from '../mime/entity';
import { parseMailboxList } from './mailboxList';
import { reason, type Reason } from './report';
import { readSenderFields } from './senderBinding';
import type { MessageContext, ShownHeaders } from './verifySigner';

/** The fields RFC 8551 §3.1 protection is checked for: who wrote it, to whom, about what. */
const COMPARED_FIELDS = ['from', 'to', 'subject'] as const;

function headerValues(entity: MimeEntity, key: string): string[] {
  return entity.headers.filter((h) => h.key === key).map((h) => h.value);
}

function shownHeaders(entity: MimeEntity): ShownHeaders {
  return { from: headerValues(entity, 'from'), to: headerValues(entity, 'to'), subject: headerValues(entity, 'subject') };
}

export function messageContext(root: MimeEntity): MessageContext {
  const dateField = root.headers.find((h) => h.key === 'date');
  // A Date cut at the analysis limit is unreadable: what follows the cut could change the instant.
  const date = dateField && !dateField.truncated ? parseMailDate(dateField.value) : null;
  return { ...readSenderFields(root), date, dateHeaderPresent: dateField !== undefined, shown: shownHeaders(root) };
}

/**
 * The entity whose header fields the signed content protects: the message inside a message/rfc822 content, or
 * the content entity itself when it carries a From field (an opaque signature's inner entity, RFC 9788 style).
 */
export function protectedHeaderEntity(content: MimeEntity | undefined): MimeEntity | undefined {
  if (!content) return undefined;
  if (content.contentType.mimeType === 'message/rfc822' || content.contentType.mimeType === 'message/global') return content.children[0];
  return content.headers.some((h) => h.key === 'from') ? content : undefined;
}

/** `msg` with the signed content's protected fields added, when it has any. */
export function withProtectedHeaders(msg: MessageContext, content: MimeEntity | undefined): MessageContext {
  const inner = protectedHeaderEntity(content);
  if (!inner) return msg;
  return { ...msg, protected: { from: readSenderFields(inner).from, shown: shownHeaders(inner) } };
}

/** Address fields compare by their addresses when both read cleanly, else (and other fields) by text. */
function sameValue(field: (typeof COMPARED_FIELDS)[number], outer: string, inner: string): boolean {
  const text = (v: string) => v.replace(/\s+/g, ' ').trim();
  if (field !== 'subject') {
    const a = parseMailboxList(outer);
    const b = parseMailboxList(inner);
    if (!a.problems.length && !b.problems.length) {
      const set = (l: typeof a) => [...new Set(l.mailboxes.map((m) => m.address))].sort().join(',');
      return set(a) === set(b);
    }
  }
  return text(outer) === text(inner);
}

/** Outer From, To and Subject that differ from the protected ones (RFC 8551 §3.1), as warnings. */
export function protectedHeaderReasons(msg: MessageContext): Reason[] {
  if (!msg.protected) return [];
  const reasons: Reason[] = [];
  for (const field of COMPARED_FIELDS) {
    const outer = msg.shown[field].join(', ');
    const inner = msg.protected.shown[field].join(', ');
    const name = field === 'subject' ? 'Subject' : field === 'from' ? 'From' : 'To';
    if (!outer && !inner) continue;
    if (!inner) reasons.push(reason('header-protection-mismatch', 'warning', `the outer ${name} "${outer}" is not among the signed (protected) header fields`, 'RFC 8551 §3.1'));
    else if (!outer) reasons.push(reason('header-protection-mismatch', 'warning', `the signed ${name} "${inner}" is missing from the outer header`, 'RFC 8551 §3.1'));
    else if (!sameValue(field, outer, inner)) {
      reasons.push(reason('header-protection-mismatch', 'warning', `the outer ${name} "${outer}" differs from the signed (protected) ${name} "${inner}"`, 'RFC 8551 §3.1'));
    }
  }
  return reasons;
}
