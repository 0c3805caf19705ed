/**
 * Mail addresses from From/Sender headers (RFC 5322 §3.4), read only as far as signer matching needs:
 * the addr-specs, and whether a display name shows an address other than the real one (the
 * "display name spoofing" class of the USENIX 2019 "Johnny, you are fired!" study).
 */

export interface MailAddress {
  address: string;
  displayName: string;
}

/** Splits a header value on commas that are outside quotes, comments and angle brackets. */
function splitAddressList(value: string): string[] {
  const out: string[] = [];
  let depthParen = 0;
  let inQuote = false;
  let inAngle = false;
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (inQuote) {
      if (ch === '\\') {
        current += ch + (value[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === '"') inQuote = false;
    } else if (ch === '"') inQuote = true;
    else if (ch === '(') depthParen++;
    else if (ch === ')' && depthParen > 0) depthParen--;
    else if (ch === '<') inAngle = true;
    else if (ch === '>') inAngle = false;
    else if ((ch === ',' || ch === ';') && !depthParen && !inAngle) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}

const ADDR_SPEC = /[^\s<>(),;:"@]+@[^\s<>(),;:"@]+/;

export function parseAddressList(value: string): MailAddress[] {
  const result: MailAddress[] = [];
  // A group ("undisclosed-recipients: a@b, c@d;") contributes its members.
  const stripped = value.replace(/^[^"<>@,]*:(?!\/\/)/, '');
  for (const item of splitAddressList(stripped)) {
    const angle = item.match(/<([^<>]*)>\s*(\([^)]*\)\s*)*$/);
    if (angle) {
      const displayName = item
        .slice(0, angle.index)
        .trim()
        .replace(/^"(.*)"$/s, '$1')
        .replace(/\\(.)/g, '$1');
      result.push({ address: normalizeAddress(angle[1]), displayName });
      continue;
    }
    const bare = item.match(ADDR_SPEC);
    if (bare) {
      const comment = item.match(/\(([^)]*)\)/);
      result.push({ address: normalizeAddress(bare[0]), displayName: comment ? comment[1] : '' });
    }
  }
  return result;
}

/** Addresses compare case-insensitively in practice (RFC 5321 §2.4 leaves the local part to the host). */
export function normalizeAddress(address: string): string {
  return address.trim().replace(/^mailto:/i, '').toLowerCase();
}

/** Addresses that appear inside a display name, e.g. `"ceo@bank.example" <attacker@evil.example>`. */
export function addressesInDisplayName(addr: MailAddress): string[] {
  const found = addr.displayName.match(new RegExp(ADDR_SPEC.source, 'g')) ?? [];
  return found.map(normalizeAddress).filter((a) => a !== addr.address);
}
