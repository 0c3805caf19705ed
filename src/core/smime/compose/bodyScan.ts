/**
 * One pass over a body on the write path: the ESP-safety scan (transferEncode.ts's BodyScan: 8-bit, NUL, bare CR,
 * bare LF, longest line, "From " lines, trailing white space), the canonical CRLF form (RFC 8551 §3.1.1) and
 * the bytes handed to a hash, all chunk by chunk while each chunk is in the CPU's cache. The canonical form is
 * a view of the input where it is already canonical, so the usual CRLF body is not copied at all.
 */
import { toCanonicalCrlf } from '../canonical';
import { DATA, FLAG, LOOKAHEAD, LOOKBEHIND, lineScanner, POSITIONS, SCAN_CHUNK } from './lineScanWasm';
import { scanBody, type BodyScan } from './transferEncode';

/** Receives the canonical body in order, in pieces (e.g. a hash's update). */
export type BodySink = (piece: Buffer) => void;

export interface CanonicalScan {
  /** The scan of the canonical form: as of the input, except that bare LFs are line endings there. */
  scan: BodyScan;
  /** Whether the input had bare LFs (its canonical form then differs from it). */
  hadBareLf: boolean;
  /** The canonical form: `[raw]` itself when it had no bare LF, else views of it and copies of the chunks with one. */
  canonical: Buffer[];
}

function startsWithFrom(raw: Buffer): boolean {
  return raw.length >= 5 && raw[0] === 0x46 && raw[1] === 0x72 && raw[2] === 0x6f && raw[3] === 0x6d && raw[4] === 0x20;
}

/**
 * The canonical form, chunk by chunk: a chunk without bare LFs is a view of the input (joined with the view
 * before it when they are adjacent), a chunk with some is copied once with CR put before each bare LF. So the
 * pieces stay few (one per chunk at most) however many bare LFs there are, and each chunk reaches the sink whole.
 */
class CanonicalChunks {
  readonly parts: Buffer[] = [];

  constructor(private readonly raw: Buffer, private readonly sink: BodySink | undefined) {}

  /** The chunk [start, end) of the input, with its bare LFs at `bareLfs[0..count)` (ascending). */
  add(start: number, end: number, bareLfs: ArrayLike<number>, count: number): void {
    const piece = count === 0 ? this.raw.subarray(start, end) : withCrBeforeLf(this.raw, start, end, bareLfs, count);
    this.sink?.(piece);
    const last = this.parts[this.parts.length - 1];
    if (count === 0 && last !== undefined && last.buffer === piece.buffer && last.byteOffset + last.length === piece.byteOffset) {
      this.parts[this.parts.length - 1] = this.raw.subarray(last.byteOffset - this.raw.byteOffset, end);
    } else {
      this.parts.push(piece);
    }
  }

  finish(): Buffer[] {
    return this.parts.length === 0 ? [this.raw] : this.parts;
  }
}

function withCrBeforeLf(raw: Buffer, start: number, end: number, bareLfs: ArrayLike<number>, count: number): Buffer {
  const out = Buffer.allocUnsafe(end - start + count);
  let from = start;
  let at = 0;
  for (let k = 0; k < count; k++) {
    at += raw.copy(out, at, from, bareLfs[k]);
    out[at++] = 0x0d;
    from = bareLfs[k];
  }
  raw.copy(out, at, from, end);
  return out;
}

function scanWithWasm(raw: Buffer, sink: BodySink | undefined): CanonicalScan | null {
  const wasm = lineScanner();
  if (!wasm) return null;
  const memory = new Uint8Array(wasm.memory.buffer);
  const positions = new Int32Array(wasm.memory.buffer, POSITIONS, SCAN_CHUNK);
  wasm.lineStart.value = 0;
  wasm.maxLine.value = 0;
  wasm.flags.value = startsWithFrom(raw) ? FLAG.fromLine : 0;
  const chunks = new CanonicalChunks(raw, sink);
  for (let start = 0; start < raw.length; start += SCAN_CHUNK) {
    const length = Math.min(SCAN_CHUNK, raw.length - start);
    const available = Math.min(length + LOOKAHEAD, raw.length - start);
    // The bytes before the chunk (none before the body: 0 is neither CR nor white space).
    for (let k = 1; k <= LOOKBEHIND; k++) memory[DATA - k] = start >= k ? raw[start - k] : 0;
    memory.set(raw.subarray(start, start + available), DATA);
    wasm.bareLfCount.value = 0;
    wasm.scan(start, length, available);
    chunks.add(start, start + length, positions, wasm.bareLfCount.value as number);
  }
  const flags = wasm.flags.value as number;
  const lastLine = raw.length - (wasm.lineStart.value as number);
  const last = lastLine > 0 ? raw[raw.length - 1] : -1;
  const scan: BodyScan = {
    eightBit: (flags & FLAG.eightBit) !== 0,
    nul: (flags & FLAG.nul) !== 0,
    bareCr: (flags & FLAG.bareCr) !== 0,
    bareLf: false,
    maxLine: Math.max(wasm.maxLine.value as number, lastLine),
    fromLine: (flags & FLAG.fromLine) !== 0,
    trailingSpace: (flags & FLAG.trailingSpace) !== 0 || last === 0x20 || last === 0x09,
  };
  return { scan, hadBareLf: (flags & FLAG.bareLf) !== 0, canonical: chunks.finish() };
}

/** The same results in JavaScript (two passes), where WebAssembly is not available. */
export function scanInJavaScript(raw: Buffer, sink?: BodySink): CanonicalScan {
  const rawScan = scanBody(raw);
  const canonical = [toCanonicalCrlf(raw)];
  sink?.(canonical[0]);
  return { scan: { ...rawScan, bareLf: false }, hadBareLf: rawScan.bareLf, canonical };
}

/**
 * Scans `raw`, makes it canonical and hands the canonical bytes to `sink`, in one pass. The scan is that of the
 * canonical form (so bareLf is false), as transferEncode.ts's scanBody would give for it.
 */
export function scanCanonical(raw: Buffer, sink?: BodySink): CanonicalScan {
  return scanWithWasm(raw, sink) ?? scanInJavaScript(raw, sink);
}
