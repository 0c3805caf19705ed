/**
 * One pass over a body on the write path: the ESP-safety scan (transferEncode.ts's BodyScan: 8-bit, NUL, bare CR,
 * bare LF, longest line, "From " lines, trailing white space), the canonical CRLF form (RFC 8551 §3.1.1) and
 * the bytes handed to a hash, all chunk by chunk while each chunk is in the CPU's cache. The canonical form is
 * made of views of the input with CRLF where a bare LF was, so a body that is already canonical is not copied.
 */
import { DATA, FLAG, LOOKAHEAD, LOOKBEHIND, lineScanner, POSITIONS, SCAN_CHUNK } from './lineScanWasm';
import { scanBody, type BodyScan } from './transferEncode';

/** Receives the canonical body in order, in pieces (e.g. a hash's update). */
export type BodySink = (piece: Buffer) => void;

export interface CanonicalScan {
  /** The scan of the canonical form: as of the input, except that bare LFs are line endings there. */
  scan: BodyScan;
  /** Whether the input had bare LFs (its canonical form then differs from it). */
  hadBareLf: boolean;
  /** The canonical form: `[raw]` itself when it had no bare LF, else views of it with CRLF between them. */
  canonical: Buffer[];
}

const CRLF = Buffer.from('\r\n');

function startsWithFrom(raw: Buffer): boolean {
  return raw.length >= 5 && raw[0] === 0x46 && raw[1] === 0x72 && raw[2] === 0x6f && raw[3] === 0x6d && raw[4] === 0x20;
}

/** Splits the input at its bare LFs (given in ascending order) into canonical pieces. */
class CanonicalPieces {
  private from = 0;
  private sent = 0;
  readonly parts: Buffer[] = [];

  constructor(private readonly raw: Buffer, private readonly sink: BodySink | undefined) {}

  bareLf(at: number): void {
    this.parts.push(this.raw.subarray(this.from, at), CRLF);
    this.send(at);
    this.sink?.(CRLF);
    this.from = this.sent = at + 1;
  }

  /** Hands the input up to `to` (exclusive) to the sink. */
  send(to: number): void {
    if (this.sink && to > this.sent) this.sink(this.raw.subarray(this.sent, to));
    this.sent = to;
  }

  finish(): Buffer[] {
    this.send(this.raw.length);
    if (this.parts.length === 0) return [this.raw];
    this.parts.push(this.raw.subarray(this.from));
    return this.parts.filter((p) => p.length > 0);
  }
}

function scanWithWasm(raw: Buffer, sink: BodySink | undefined): CanonicalScan | null {
  const wasm = lineScanner();
  if (!wasm) return null;
  const memory = new Uint8Array(wasm.memory.buffer);
  const positions = new Int32Array(wasm.memory.buffer, POSITIONS, SCAN_CHUNK);
  wasm.lineStart.value = 0;
  wasm.maxLine.value = 0;
  wasm.flags.value = startsWithFrom(raw) ? FLAG.fromLine : 0;
  const pieces = new CanonicalPieces(raw, sink);
  for (let start = 0; start < raw.length; start += SCAN_CHUNK) {
    const length = Math.min(SCAN_CHUNK, raw.length - start);
    const available = Math.min(length + LOOKAHEAD, raw.length - start);
    // The bytes before the chunk (none before the body: 0 is neither CR nor white space).
    for (let k = 1; k <= LOOKBEHIND; k++) memory[DATA - k] = start >= k ? raw[start - k] : 0;
    memory.set(raw.subarray(start, start + available), DATA);
    wasm.bareLfCount.value = 0;
    wasm.scan(start, length, available);
    const bareLfs = wasm.bareLfCount.value as number;
    for (let k = 0; k < bareLfs; k++) pieces.bareLf(positions[k]);
    pieces.send(start + length);
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
  return { scan, hadBareLf: (flags & FLAG.bareLf) !== 0, canonical: pieces.finish() };
}

/** The same results in JavaScript (two passes), where WebAssembly is not available. */
export function scanInJavaScript(raw: Buffer, sink?: BodySink): CanonicalScan {
  const rawScan = scanBody(raw);
  let canonical = [raw];
  if (rawScan.bareLf) {
    const pieces = new CanonicalPieces(raw, undefined);
    for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) if (i === 0 || raw[i - 1] !== 0x0d) pieces.bareLf(i);
    canonical = pieces.finish();
  }
  if (sink) for (const piece of canonical) sink(piece);
  return { scan: { ...rawScan, bareLf: false }, hadBareLf: rawScan.bareLf, canonical };
}

/**
 * Scans `raw`, makes it canonical and hands the canonical bytes to `sink`, in one pass. The scan is that of the
 * canonical form (so bareLf is false), as transferEncode.ts's scanBody would give for it.
 */
export function scanCanonical(raw: Buffer, sink?: BodySink): CanonicalScan {
  return scanWithWasm(raw, sink) ?? scanInJavaScript(raw, sink);
}

/** The canonical form as one buffer (for the encoders): `raw` itself when it was canonical. */
export function joined(result: CanonicalScan): Buffer {
  return result.canonical.length === 1 ? result.canonical[0] : Buffer.concat(result.canonical);
}
