/**
 * Binding a signature to the message's author (RFC 8550 §3): the signer certificate must name every From
 * mailbox. The check passes only on that positive proof; a From that cannot be read completely, shows another
 * address in its display name, or is missing, is a mismatch. As in Thunderbird, From decides and Sender is
 * used only when there is no From field (a mailing list's Sender then does not break a good signature); the
 * header that did not decide is shown as information.
 */
import type { MimeEntity } from '../mime/entity';
import { fieldText } from '../mime/headers';
import { parseMailboxList, type MailboxList } from './mailboxList';
import { reason, type Reason } from './report';
import { addressesShownIn } from './shownAddresses';

/** The header fields a signer is matched against, each field read on its own. */
export interface SenderFields {
  /** One entry per From field (RFC 5322 §3.6 allows exactly one). */
  from: MailboxList[];
  /** One entry per Sender field. */
  sender: MailboxList[];
}

export interface SenderBinding {
  pass: boolean;
  /** The checklist line. */
  detail: string;
  /** sender-mismatch errors, and the information about the header that did not decide. */
  reasons: Reason[];
}

const RFC = 'RFC 8550 §3';

export function readSenderFields(entity: MimeEntity): SenderFields {
  // A field cut at the analysis limit (MAX_FIELD_ANALYSIS_BYTES) may hide more addresses: it never proves a match.
  const read = (key: string) =>
    entity.headers
      .filter((h) => h.key === key)
      .map((h) => (h.truncated ? { mailboxes: [], problems: ['the field is too long to analyse whole, so its addresses cannot be matched'] } : parseMailboxList(fieldText(entity.source, h))));
  return { from: read('from'), sender: read('sender') };
}

function addressesOf(fields: MailboxList[]): string {
  return fields.flatMap((f) => f.mailboxes.map((m) => m.address)).join(', ') || '(none readable)';
}

/** Why `fields` (all From fields, or all Sender fields) do not prove the signer wrote the message. */
function problemsOf(name: string, fields: MailboxList[], emails: string[], single: boolean): string[] {
  if (fields.length > 1) return [`the message has ${fields.length} ${name} fields`];
  const [field] = fields;
  const problems = field.problems.map((p) => `${name}: ${p}`);
  if (field.mailboxes.length === 0 && problems.length === 0) problems.push(`${name} holds no address`);
  if (single && field.mailboxes.length > 1) problems.push(`${name} must hold one mailbox (RFC 5322 §3.6.2), it holds ${field.mailboxes.length}`);
  for (const m of field.mailboxes) {
    if (!emails.includes(m.address)) problems.push(`${name} ${m.address} is not an address of the signer (${emails.join(', ')})`);
    for (const text of [m.rawName, m.displayName, ...m.comments]) {
      for (const shown of addressesShownIn(text)) {
        if (shown !== m.address) problems.push(`the ${name} display name or comment shows another address (${shown})`);
      }
    }
  }
  return [...new Set(problems)];
}

/**
 * Matches the signer's usable addresses against the message. `protectedFrom` is the From field inside the signed
 * content (header protection, RFC 8551 §3.1): what the signed content claims, which must match the signer too.
 */
export function bindSender(emails: string[], fields: SenderFields, protectedFrom?: MailboxList[]): SenderBinding {
  const reasons: Reason[] = [];
  let problems: string[];
  let decided: string;
  if (fields.from.length > 0) {
    problems = problemsOf('From', fields.from, emails, false);
    decided = `From ${addressesOf(fields.from)}`;
    if (fields.sender.length > 0) {
      reasons.push(reason('sender-header', 'info', `Sender ${addressesOf(fields.sender)} was not compared: From decides when present`, RFC));
    }
  } else if (fields.sender.length > 0) {
    problems = problemsOf('Sender', fields.sender, emails, true);
    decided = `Sender ${addressesOf(fields.sender)}`;
    reasons.push(reason('sender-header', 'info', 'the message has no From field, so Sender was matched against the signer', RFC));
  } else {
    problems = ['the message has neither a From nor a Sender field'];
    decided = 'no From';
  }
  if (protectedFrom && protectedFrom.length > 0) {
    problems.push(...problemsOf('protected From', protectedFrom, emails, false));
  }
  for (const p of problems) reasons.push(reason('sender-mismatch', 'error', p, RFC));
  const pass = problems.length === 0;
  const inner = protectedFrom?.length ? ` (so does the protected From ${addressesOf(protectedFrom)})` : '';
  const detail = pass ? `${decided} matches the signer (${emails.join(', ')})${inner}` : problems.join('; ');
  return { pass, detail, reasons };
}
