/**
 * RFC 2047 encoded words ("=?charset?B?...?=" / "=?charset?Q?...?=") in header values. Adjacent words are joined
 * before charset decoding, since senders split multi-byte characters across words, and the whitespace between
 * adjacent words is dropped (RFC 2047 §6.2). Words that cannot be decoded stay as written.
 */
import { decodeCharset } from './charset';

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?]*)\?=/g;

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'b' || encoding === 'B') return Buffer.from(text, 'base64');
  // Q encoding (RFC 2047 §4.2): "_" is a space, "=XX" a byte.
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '_') out.push(0x20);
    else if (ch === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(ch.charCodeAt(0) & 0xff);
  }
  return Buffer.from(out);
}

export interface EncodedWordResult {
  text: string;
  /** Charsets that no decoder exists for (their words were left as written). */
  unknownCharsets: string[];
}

export function decodeEncodedWordsDetailed(input: string): EncodedWordResult {
  if (!input.includes('=?')) return { text: input, unknownCharsets: [] };
  const unknownCharsets: string[] = [];
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[]; raw: string } | undefined;
  const flush = () => {
    if (!pending) return;
    const text = decodeCharset(Buffer.concat(pending.bytes), pending.charset);
    if (text === undefined) {
      unknownCharsets.push(pending.charset);
      out += pending.raw;
    } else out += text;
    pending = undefined;
  };
  for (const m of input.matchAll(ENCODED_WORD)) {
    const start = m.index ?? 0;
    const between = input.slice(last, start);
    const charset = m[1].toLowerCase();
    if (pending && /^\s*$/.test(between) && pending.charset === charset) {
      pending.bytes.push(wordBytes(m[2], m[3]));
      pending.raw += between + m[0];
    } else {
      flush();
      // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
      out += last > 0 && /^\s+$/.test(between) && input.slice(0, last).endsWith('?=') ? '' : between;
      pending = { charset, bytes: [wordBytes(m[2], m[3])], raw: m[0] };
    }
    last = start + m[0].length;
  }
  flush();
  out += input.slice(last);
  return { text: out, unknownCharsets };
}

export function decodeEncodedWords(input: string): string {
  return decodeEncodedWordsDetailed(input).text;
}
