/**
 * Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8), written straight into the buffer that
 * becomes the message. The bytes to encode may come as several chunks (a DER encoding whose ciphertext was
 * never joined); they are encoded in blocks of whole lines, so no body-sized string or copy is ever made.
 */

/** RFC 2045 §6.8: 76 characters per line, which 57 input bytes fill exactly. */
const LINE_CHARS = 76;
const LINE_BYTES = 57;
/**
 * Lines per block: the block's base64 string (78 KB) stays a young-generation string, and the per-block
 * overhead is spread over a thousand lines.
 */
const BLOCK_LINES = 1024;
const BLOCK_BYTES = LINE_BYTES * BLOCK_LINES;
const CR = 0x0d;
const LF = 0x0a;

/** Octets of the encoding of `byteLength` bytes, line breaks included. */
export function base64LinesLength(byteLength: number): number {
  const chars = Math.ceil(byteLength / 3) * 4;
  return chars + Math.ceil(chars / LINE_CHARS) * 2;
}

/**
 * Encodes one block (a whole number of lines, or the last bytes) at `pos`: the base64 text is written
 * unbroken, then its lines are moved apart from the last one back, making room for each CRLF.
 */
function writeBlock(block: Buffer, out: Buffer, pos: number): number {
  const chars = out.write(block.toString('base64'), pos, 'latin1');
  const lines = Math.ceil(chars / LINE_CHARS);
  for (let line = lines - 1; line >= 0; line--) {
    const from = pos + line * LINE_CHARS;
    const to = pos + line * (LINE_CHARS + 2);
    const length = Math.min(LINE_CHARS, chars - line * LINE_CHARS);
    if (to !== from) out.copyWithin(to, from, from + length);
    out[to + length] = CR;
    out[to + length + 1] = LF;
  }
  return pos + chars + lines * 2;
}

/**
 * Writes the encoding of the concatenated `chunks` into `out` at `pos` (which must have room for
 * base64LinesLength of their total) and returns the position after it. Chunks are read once, in order, as
 * they come (a generator may produce them on demand): whole blocks are encoded straight from a chunk, and
 * only the bytes around chunk borders are gathered in a small scratch buffer.
 */
export function writeBase64Lines(chunks: Iterable<Buffer>, out: Buffer, pos: number): number {
  let pending: Buffer | undefined;
  let held = 0;
  for (const chunk of chunks) {
    let offset = 0;
    if (pending && held > 0) {
      offset = chunk.copy(pending, held, 0, Math.min(chunk.length, BLOCK_BYTES - held));
      held += offset;
      if (held < BLOCK_BYTES) continue;
      pos = writeBlock(pending, out, pos);
      held = 0;
    }
    for (; chunk.length - offset >= BLOCK_BYTES; offset += BLOCK_BYTES) pos = writeBlock(chunk.subarray(offset, offset + BLOCK_BYTES), out, pos);
    if (offset < chunk.length) {
      pending ??= Buffer.allocUnsafe(BLOCK_BYTES);
      held = chunk.copy(pending, 0, offset);
    }
  }
  return pending && held > 0 ? writeBlock(pending.subarray(0, held), out, pos) : pos;
}

/** The encoding of `data` as a new buffer. */
export function encodeBase64Lines(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(base64LinesLength(data.length));
  const end = writeBase64Lines([data], out, 0);
  return out.subarray(0, end);
}
