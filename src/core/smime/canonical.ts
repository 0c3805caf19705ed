/**
 * RFC 8551 §3.1.1: signed content is computed over its canonical form, lines ending in CRLF. A file
 * saved with bare LF endings must be verified in that canonical form. Converting is linear: the
 * input is cut at each bare LF into views and joined once.
 */
const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');

export function hasBareLf(buf: Buffer): boolean {
  for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) {
    if (i === 0 || buf[i - 1] !== CR) return true;
  }
  return false;
}

/** Returns `buf` itself when it is already canonical, else a copy with every bare LF made CRLF. */
export function toCanonicalCrlf(buf: Buffer): Buffer {
  if (!hasBareLf(buf)) return buf;
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) {
    if (i > 0 && buf[i - 1] === CR) continue;
    parts.push(buf.subarray(from, i), CRLF);
    from = i + 1;
  }
  parts.push(buf.subarray(from));
  return Buffer.concat(parts);
}
