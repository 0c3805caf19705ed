/**
 * Byte helpers of the comparison: each is one pass over its input (linear), so a megabyte of one repeated
 * character costs no more than any other megabyte.
 */
import { LineCounter } from '../mime/lineIndex';

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HT = 0x09;

/** Longest excerpt of message text a rewrite quotes. */
export const MAX_EXCERPT_CHARS = 80;

export function excerpt(bytes: Buffer): string {
  const text = bytes.subarray(0, MAX_EXCERPT_CHARS * 4).toString('latin1');
  let out = '';
  for (const ch of text) {
    if (out.length >= MAX_EXCERPT_CHARS) return out + '…';
    const code = ch.charCodeAt(0);
    out += ch === '\r' ? '\\r' : ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : code < 0x20 || code === 0x7f ? '·' : ch;
  }
  return out;
}

/** The body with whitespace at line ends removed, one pass (what a relay that trims lines would leave equal). */
export function withoutTrailingWhitespace(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  let pending = 0;
  let pendingStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === SP || byte === HT) {
      if (pending === 0) pendingStart = i;
      pending++;
      continue;
    }
    if (pending > 0 && byte !== CR && byte !== LF) {
      bytes.copy(out, length, pendingStart, i);
      length += pending;
    }
    pending = 0;
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

const lineCounters = new WeakMap<Buffer, LineCounter>();

/** 1-based line of `offset` in `bytes`; one counter per buffer, so front-to-back queries stay linear in total. */
export function lineAt(bytes: Buffer, offset: number): number {
  let counter = lineCounters.get(bytes);
  if (!counter) {
    counter = new LineCounter(bytes);
    lineCounters.set(bytes, counter);
  }
  return counter.lineAt(offset);
}

export function commonPrefix(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
