/**
 * Mail addresses from From/To/Cc/Bcc (RFC 5322 §3.4), read leniently for the write path: which recipients need
 * a certificate, and whether From is in the signer's certificate. Everything is one pass per item, so a long
 * header cannot stall a command. Verification never uses this reader: see mailboxList.ts.
 */

export interface MailAddress {
  address: string;
  displayName: string;
}

/** Splits a header value on commas and semicolons that are outside quotes, comments and angle brackets. */
function splitAddressList(value: string): string[] {
  const out: string[] = [];
  let depthParen = 0;
  let inQuote = false;
  let inAngle = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (inQuote) {
      if (ch === 0x5c) i++; // a quoted-pair: the next character is literal
      else if (ch === 0x22) inQuote = false;
    } else if (ch === 0x22) inQuote = true;
    else if (ch === 0x28) depthParen++;
    else if (ch === 0x29 && depthParen > 0) depthParen--;
    else if (ch === 0x3c) inAngle = true;
    else if (ch === 0x3e) inAngle = false;
    else if ((ch === 0x2c || ch === 0x3b) && !depthParen && !inAngle) {
      const item = value.slice(start, i).trim();
      if (item) out.push(item);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) out.push(last);
  return out;
}

const ADDRESS_DELIMITERS = new Set([...'<>(),;:"@']);

/** Characters an addr-spec found in free text may hold (RFC 5322 §3.4.1, read loosely for recipients). */
function isAddressChar(ch: string): boolean {
  return !ADDRESS_DELIMITERS.has(ch) && ch.trim() !== '';
}

/** The first word of the form local@domain in `text`: found from its "@" outwards, so the scan stays linear. */
function bareAddress(text: string): string | undefined {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && isAddressChar(text[start - 1])) start--;
    let end = at + 1;
    while (end < text.length && isAddressChar(text[end])) end++;
    if (start < at && end > at + 1) return text.slice(start, end);
  }
  return undefined;
}

/** Whether `text` holds only whitespace and (unnested) comments, the CFWS allowed after an angle address. */
function onlyComments(text: string): boolean {
  let inComment = false;
  for (const ch of text) {
    if (inComment) inComment = ch !== ')';
    else if (ch === '(') inComment = true;
    else if (ch.trim() !== '') return false;
  }
  return !inComment;
}

/**
 * A lenient reader of address lists for the write path (recipients' certificates, the sender warning): it takes
 * every address it can find. Binding a signer to From uses the strict reader in mailboxList.ts instead.
 */
export function parseAddressList(value: string): MailAddress[] {
  const result: MailAddress[] = [];
  // A group ("undisclosed-recipients: a@b, c@d;") contributes its members.
  const special = value.search(/["<>@,]/);
  const colon = value.lastIndexOf(':', special === -1 ? value.length : special - 1);
  const isGroup = colon !== -1 && (special === -1 || colon < special) && !value.startsWith('//', colon + 1);
  const stripped = isGroup ? value.slice(colon + 1) : value;
  for (const item of splitAddressList(stripped)) {
    const open = item.lastIndexOf('<');
    const close = open === -1 ? -1 : item.indexOf('>', open);
    if (close !== -1 && onlyComments(item.slice(close + 1))) {
      let displayName = item.slice(0, open).trim();
      if (displayName.length >= 2 && displayName.startsWith('"') && displayName.endsWith('"')) displayName = displayName.slice(1, -1);
      result.push({ address: normalizeAddress(item.slice(open + 1, close)), displayName: displayName.replace(/\\(.)/g, '$1') });
      continue;
    }
    const bare = bareAddress(item);
    if (bare) {
      const commentStart = item.indexOf('(');
      const commentEnd = commentStart === -1 ? -1 : item.indexOf(')', commentStart);
      result.push({ address: normalizeAddress(bare), displayName: commentEnd === -1 ? '' : item.slice(commentStart + 1, commentEnd) });
    }
  }
  return result;
}

/** Addresses compare case-insensitively in practice (RFC 5321 §2.4 leaves the local part to the host). */
export function normalizeAddress(address: string): string {
  return address.trim().replace(/^mailto:/i, '').toLowerCase();
}
