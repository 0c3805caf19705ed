// Seeded random messages for the write-side property tests: nested multiparts, 8-bit UTF-8 text, long lines,
// "From " lines and trailing spaces, binary attachments (base64, over-long base64 lines, raw `binary`), NUL bytes,
// 8-bit filenames, attached messages, and LF-only files. The same seed always gives the same message.
import { parseMessage } from '../../../src/core/mime/parser';

/** mulberry32: tiny, fast, and good enough to drive test cases reproducibly. */
export class Rand {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

const CRLF = '\r\n';
const WORDS = ['mail', 'signed', 'Köln', 'Grüße', 'naïve', '€100', '日本語', 'über', 'plain', 'text', 'x=y', 'a.b', 'tab\there', '--', 'Ärger', 'emoji 🙂'];
const ASCII_WORDS = ['mail', 'signed', 'plain', 'text', 'x=y', 'a.b', 'tab\there', '--', 'hello', 'world', 'foo', 'bar'];

function line(r: Rand, words: readonly string[], count: number): string {
  return Array.from({ length: count }, () => r.pick(words)).join(' ');
}

/** Lines of text; sometimes a long line, a "From " line, a lone dot or a trailing space. */
function textBody(r: Rand, words: readonly string[]): string {
  const lines: string[] = [];
  const n = 1 + r.int(12);
  for (let i = 0; i < n; i++) {
    const kind = r.int(10);
    if (kind === 0) lines.push(line(r, words, 30 + r.int(200)));
    else if (kind === 1) lines.push('From the accounts team ' + line(r, words, 2));
    else if (kind === 2) lines.push('.');
    else if (kind === 3) lines.push(line(r, words, 3) + ' ');
    else if (kind === 4) lines.push('');
    else lines.push(line(r, words, 1 + r.int(10)));
  }
  return lines.join(CRLF) + CRLF;
}

function part(headers: string[], body: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(headers.join(CRLF) + CRLF + CRLF, 'utf8'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]);
}

function base64(data: Buffer, lineLength: number): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += lineLength) lines.push(b64.slice(i, i + lineLength));
  return lines.join(CRLF) + CRLF;
}

function leaf(r: Rand): Buffer {
  switch (r.int(9)) {
    case 0:
      return part(['Content-Type: text/plain; charset=us-ascii'], textBody(r, ASCII_WORDS));
    case 1:
      return part(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'], textBody(r, WORDS));
    case 2:
      return part(['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit'], `<p>${textBody(r, WORDS)}</p>${CRLF}`);
    case 3:
      return part(['Content-Type: text/plain', 'Content-Transfer-Encoding: 8bit'], textBody(r, WORDS));
    case 4: {
      const data = r.bytes(1 + r.int(3000));
      return part(['Content-Type: application/octet-stream; name="data.bin"', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="data.bin"'], base64(data, 76));
    }
    case 5: {
      const data = r.bytes(1 + r.int(3000));
      return part(['Content-Type: image/png', 'Content-Transfer-Encoding: base64'], base64(data, r.pick([64, 200, 1200])));
    }
    case 6:
      return part(['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: binary'], r.bytes(1 + r.int(500)));
    case 7:
      return part(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'], `nul\u0000byte ${line(r, WORDS, 3)}${CRLF}`);
    default:
      return part(['Content-Type: text/plain; charset=utf-8', 'Content-Disposition: attachment; filename="Grüße über alles.txt"', 'Content-Transfer-Encoding: 8bit'], textBody(r, WORDS));
  }
}

function boundary(r: Rand): string {
  return `b_${r.bytes(9).toString('hex')}`;
}

function entity(r: Rand, depth: number): Buffer {
  const kind = depth >= 3 ? 0 : r.int(6);
  if (kind <= 2) return leaf(r);
  if (kind === 3) return part(['Content-Type: message/rfc822'], message(r, depth + 1, { from: r.bool() ? 'Čarol Ötzi <carol@example.org>' : 'carol@example.org', to: '"Dävid, D." <dave@example.org>' }));
  const b = boundary(r);
  const subtype = r.pick(['mixed', 'alternative', 'related']);
  const children = Array.from({ length: 1 + r.int(3) }, () => entity(r, depth + 1));
  const chunks: Buffer[] = [Buffer.from(`Content-Type: multipart/${subtype}; boundary="${b}"${CRLF}${CRLF}preamble${CRLF}`)];
  for (const child of children) chunks.push(Buffer.from(`--${b}${CRLF}`), child, Buffer.from(CRLF));
  chunks.push(Buffer.from(`--${b}--${CRLF}`));
  return Buffer.concat(chunks);
}

export interface Envelope {
  from: string;
  to: string;
  cc?: string;
  bcc?: string;
}

/** A whole message: header fields, MIME-Version, a random entity. */
export function message(r: Rand, depth: number, env: Envelope): Buffer {
  const headers = [
    `From: ${env.from}`,
    `To: ${env.to}`,
    ...(env.cc ? [`Cc: ${env.cc}`] : []),
    ...(env.bcc ? [`Bcc: ${env.bcc}`] : []),
    `Subject: ${r.bool() ? 'Grüße ' : ''}${line(r, ASCII_WORDS, 3)}`,
    `Date: ${new Date().toUTCString().replace(/GMT$/, '+0000')}`,
    `Message-ID: <${r.bytes(8).toString('hex')}@example.com>`,
    ...(r.bool(0.3) ? ['X-Mailer: property-test'] : []),
    'MIME-Version: 1.0',
  ];
  return Buffer.concat([Buffer.from(headers.join(CRLF) + CRLF, 'utf8'), entity(r, depth)]);
}

/** A random message from `env`, saved with LF line endings about a third of the time. */
export function randomMessage(seed: number, env: Envelope): { bytes: Buffer; lf: boolean } {
  const r = new Rand(seed);
  const bytes = message(r, 0, env);
  const lf = r.bool(0.3);
  return { bytes: lf ? Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1') : bytes, lf };
}

/**
 * The verdict a signed copy of `bytes` gets when the signer is its From. A message whose whole body is an attached
 * message has the RFC 8551 §3.1 header-protection form: the verifier holds the signer to that inner message's From
 * (carol), so it is a mismatch.
 */
export function expectedSignedVerdict(bytes: Buffer): 'valid' | 'mismatch' {
  return parseMessage(bytes).root.contentType.mimeType === 'message/rfc822' ? 'mismatch' : 'valid';
}
