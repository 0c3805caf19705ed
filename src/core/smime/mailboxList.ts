/**
 * A strict reader of the mailbox lists in From and Sender (RFC 5322 §3.4, §3.6.2), used only to bind a
 * message to its signer (RFC 8550 §3). It accepts a subset of RFC 5322 and names why it refuses the rest:
 * a field it cannot read completely proves nothing, so the signer check fails on it.
 *
 * Refused, each with its reason: control and bidi characters, empty entries, display-name-only entries,
 * groups (RFC 6854 allows them in From only for limited use), routes, anything after `<addr-spec>` but
 * comments, a second address, quoted local parts and domain literals, and unbalanced quotes, comments or
 * angle brackets. Everything is one pass over the text (linear time), so no header can stall the reader.
 */
import { decodeEncodedWordsDetailed } from '../mime/encodedWords';

export interface Mailbox {
  /** The addr-spec, lower-case (RFC 5321 §2.4 leaves case to the host; mail clients compare without it). */
  address: string;
  /** The display name as written, encoded words kept, quotes removed. */
  rawName: string;
  /** The display name with its RFC 2047 encoded words decoded. */
  displayName: string;
  /** The text of the comments around the mailbox (RFC 5322 §3.2.2), decoded. */
  comments: string[];
}

export interface MailboxList {
  mailboxes: Mailbox[];
  /** Why the field cannot be used to match a signer; empty only when every entry was read in full. */
  problems: string[];
}

type Token = { kind: 'word'; text: string; quoted: boolean; spaced: boolean } | { kind: 'special'; text: string; spaced: boolean };

interface Tokens {
  tokens: Token[];
  /** Comments in order, with the index of the token they precede. */
  comments: { before: number; text: string }[];
  problem?: string;
}

/**
 * Longest From or Sender field read. A real one is a name and an address or a few (RFC 5322 §2.1.1 keeps lines
 * under 998 characters); a longer field is refused unread, so no header can make the check slow.
 */
export const MAX_ADDRESS_FIELD_LENGTH = 16 * 1024;
/** How much of a refused text a problem message quotes. */
const EXCERPT_LENGTH = 80;

const SPECIALS = new Set(['<', '>', '@', ',', ';', ':', '[', ']']);
/** RFC 5322 §3.2.3 atext: the characters of a local part besides the dots between them. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9-]+$/;

function excerpt(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
}

function hex(code: number): string {
  return 'U+' + code.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * A character that must never be in a From or Sender field or a certificate address: C0 controls but TAB
 * (NUL ends a string in C readers, so "a@b.example\0.evil" could be shown as a@b.example), DEL, C1 controls,
 * and the bidi controls that reorder what is shown (Unicode UAX #9: LRE..RLO, LRI..PDI, LRM, RLM, ALM).
 */
export function forbiddenCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || (c >= 0x7f && c <= 0x9f)) return `control character ${hex(c)}`;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c) {
      return `bidi control ${hex(c)}, which can reorder what is shown`;
    }
  }
  return undefined;
}

/** Splits the field into words, quoted strings and specials; comments are set aside. One pass. */
function tokenize(text: string): Tokens {
  const tokens: Token[] = [];
  const comments: Tokens['comments'] = [];
  let spaced = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') {
      spaced = true;
      i++;
    } else if (ch === '(') {
      // Comments nest (RFC 5322 §3.2.2); a quoted-pair keeps a parenthesis literal.
      let depth = 0;
      let body = '';
      for (; i < text.length; i++) {
        const c = text[i];
        if (c === '\\' && i + 1 < text.length) body += text[++i];
        else if (c === '(') {
          if (depth++ > 0) body += c;
        } else if (c === ')') {
          if (--depth === 0) break;
          body += c;
        } else body += c;
      }
      if (depth !== 0) return { tokens, comments, problem: 'a comment is not closed' };
      comments.push({ before: tokens.length, text: body });
      spaced = true;
      i++;
    } else if (ch === '"') {
      let body = '';
      let closed = false;
      for (i++; i < text.length; i++) {
        const c = text[i];
        if (c === '\\' && i + 1 < text.length) body += text[++i];
        else if (c === '"') {
          closed = true;
          break;
        } else body += c;
      }
      if (!closed) return { tokens, comments, problem: 'a quoted string is not closed' };
      tokens.push({ kind: 'word', text: body, quoted: true, spaced });
      spaced = false;
      i++;
    } else if (SPECIALS.has(ch) || ch === ')' || ch === '\\') {
      if (ch === ')' || ch === '\\') return { tokens, comments, problem: `a stray "${ch}"` };
      tokens.push({ kind: 'special', text: ch, spaced });
      spaced = false;
      i++;
    } else {
      const start = i;
      while (i < text.length && !isDelimiter(text[i])) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), quoted: false, spaced });
      spaced = false;
    }
  }
  return { tokens, comments };
}

function isDelimiter(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '(' || ch === ')' || ch === '"' || ch === '\\' || SPECIALS.has(ch);
}

/**
 * A dot-atom local part and a host name, ASCII only (certificates hold rfc822Name as IA5String, RFC 5280
 * §4.2.1.6, so nothing else could match), with no space or comment inside. Linear: split, then per-part tests.
 */
export function isStrictAddrSpec(address: string): boolean {
  const at = address.indexOf('@');
  if (at <= 0 || at !== address.lastIndexOf('@')) return false;
  const local = address.slice(0, at).split('.');
  const domain = address.slice(at + 1).split('.');
  if (!local.every((part) => ATEXT.test(part))) return false;
  return domain.every((label) => DOMAIN_LABEL.test(label) && !label.startsWith('-') && !label.endsWith('-'));
}

/** The addr-spec spelled by `tokens` (word "@" word, nothing between), or why it is not one. */
function addrSpec(tokens: Token[]): { address: string } | { problem: string } {
  if (tokens.length === 0) return { problem: 'an entry has no address' };
  if (tokens.some((t) => t.kind === 'word' && t.quoted)) return { problem: 'a quoted local part is not accepted for signer matching' };
  if (tokens.some((t) => t.text === '[')) return { problem: 'a domain literal is not accepted for signer matching' };
  if (tokens.slice(1).some((t) => t.spaced)) return { problem: 'an address has a space or comment inside' };
  const text = tokens.map((t) => t.text).join('');
  if (tokens.length !== 3 || tokens[1].text !== '@' || !isStrictAddrSpec(text)) return { problem: `"${excerpt(text)}" is not an address` };
  return { address: text.toLowerCase() };
}

function readEntry(tokens: Token[], comments: string[]): { mailbox: Mailbox } | { problem: string } {
  const opens = tokens.filter((t) => t.text === '<').length;
  const closes = tokens.filter((t) => t.text === '>').length;
  if (opens === 0 && closes === 0) {
    const spec = addrSpec(tokens);
    if ('problem' in spec) return tokens.some((t) => t.text === '@') ? spec : { problem: 'an entry is a display name without an address' };
    return { mailbox: { address: spec.address, rawName: '', displayName: '', comments } };
  }
  if (opens !== 1 || closes !== 1) return { problem: 'more than one angle address, or unbalanced angle brackets' };
  const open = tokens.findIndex((t) => t.text === '<');
  const close = tokens.findIndex((t) => t.text === '>');
  if (close < open) return { problem: 'unbalanced angle brackets' };
  if (close !== tokens.length - 1) return { problem: `text after the angle address: "${excerpt(tokens.slice(close + 1).map((t) => t.text).join(' '))}"` };
  const phrase = tokens.slice(0, open);
  if (phrase.some((t) => t.kind !== 'word')) return { problem: `the display name holds "${phrase.find((t) => t.kind !== 'word')?.text}" outside quotes` };
  const spec = addrSpec(tokens.slice(open + 1, close));
  if ('problem' in spec) return spec;
  const rawName = phrase.map((t) => t.text).join(' ');
  return { mailbox: { address: spec.address, rawName, displayName: rawName, comments } };
}

/** Decodes the encoded words of a name or comment; a word in a charset we cannot read is a problem. */
function decodeShown(text: string, problems: string[]): string {
  const decoded = decodeEncodedWordsDetailed(text);
  for (const charset of decoded.unknownCharsets) {
    problems.push(`an encoded word in the unknown charset "${charset}" hides what other readers show`);
  }
  const bad = forbiddenCharacter(decoded.text);
  if (bad) problems.push(`a decoded display name or comment holds a ${bad}`);
  return decoded.text;
}

/**
 * Reads a From or Sender field. `text` is the unfolded field value with encoded words still encoded (so an
 * encoded word can never produce structure such as "<" or ","), 8-bit text read as UTF-8 (RFC 6532).
 */
export function parseMailboxList(text: string): MailboxList {
  if (text.length > MAX_ADDRESS_FIELD_LENGTH) return { mailboxes: [], problems: [`the field is longer than ${MAX_ADDRESS_FIELD_LENGTH} characters`] };
  const bad = forbiddenCharacter(text);
  if (bad) return { mailboxes: [], problems: [`the field holds a ${bad}`] };
  const { tokens, comments, problem } = tokenize(text);
  if (problem) return { mailboxes: [], problems: [problem] };
  if (tokens.length === 0) return { mailboxes: [], problems: ['the field is empty'] };
  const group = tokens.find((t) => t.text === ':' || t.text === ';');
  if (group) return { mailboxes: [], problems: ['the field is a group (or a route), not a list of mailboxes'] };
  const problems: string[] = [];
  const mailboxes: Mailbox[] = [];
  let start = 0;
  let commentIndex = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && tokens[i].text !== ',') continue;
    const entryComments: string[] = [];
    // A comment belongs to the entry whose tokens it precedes or ends (before index <= i).
    while (commentIndex < comments.length && comments[commentIndex].before <= i) entryComments.push(comments[commentIndex++].text);
    const entry = tokens.slice(start, i);
    start = i + 1;
    if (entry.length === 0) {
      problems.push('the list has an empty entry');
      continue;
    }
    const read = readEntry(entry, entryComments);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    const m = read.mailbox;
    m.displayName = decodeShown(m.rawName, problems);
    m.comments = m.comments.map((c) => decodeShown(c, problems));
    mailboxes.push(m);
  }
  return { mailboxes, problems };
}
