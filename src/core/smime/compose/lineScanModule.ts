/**
 * The assembler of the one-pass line scanner (lineScanWasm.ts): its two functions written out instruction by
 * instruction, with the encodings of the WebAssembly core specification (§5). The CLI does not run this: it
 * loads the bytes kept in lineScanWasm.ts (LINE_SCAN_MODULE), and a unit test checks that they are exactly what
 * this file assembles, so a change here is made by running the test's regeneration step (see the test).
 */
import { DATA, FLAG, MEMORY_PAGES, POSITIONS } from './lineScanWasm';

// Instruction encodings (WebAssembly core specification §5.4; SIMD instructions carry the 0xfd prefix).
const I32 = 0x7f;
const V128 = 0x7b;
const EMPTY = 0x40;
const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, call: 0x10,
  localGet: 0x20, localSet: 0x21, localTee: 0x22, globalGet: 0x23, globalSet: 0x24,
  i32Load: 0x28, i32Load8u: 0x2d, i32Store: 0x36, i32Const: 0x41,
  i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32GtS: 0x4a, i32GtU: 0x4b, i32GeU: 0x4f,
  i32Ctz: 0x68, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Or: 0x72, i32Shl: 0x74,
} as const;
const SIMD = 0xfd;
const simd = { v128Load: 0x00, v128Const: 0x0c, i8x16LtS: 0x25, i8x16Bitmask: 0x64 } as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const i32 = (n: number): number[] => [op.i32Const, ...sleb(n)];
const get = (local: number): number[] => [op.localGet, local];
const set = (local: number): number[] => [op.localSet, local];
const gget = (global: number): number[] => [op.globalGet, global];
const gset = (global: number): number[] => [op.globalSet, global];
/** load8_u at `offset` + the address on the stack (alignment 0). */
const load8 = (offset: number): number[] => [op.i32Load8u, 0, ...uleb(offset)];
const vec = (parts: number[][]): number[] => [...uleb(parts.length), ...parts.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => [...uleb(text.length), ...Buffer.from(text, 'latin1')];

// Globals.
const G_LINE_START = 0;
const G_MAX_LINE = 1;
const G_FLAGS = 2;
const G_BARE_LF = 3;
const setFlag = (bit: number): number[] => [...gget(G_FLAGS), ...i32(bit), op.i32Or, ...gset(G_FLAGS)];

/**
 * byte(chunkStart, p, available): one byte that matters, at chunk position p. Locals 0-2 are the parameters;
 * 3 = the byte, 4 = the line's end (exclusive), 5 = the line's length.
 */
function byteFunction(): number[] {
  const [chunkStart, p, available, b, end, length] = [0, 1, 2, 3, 4, 5];
  const lineFeed = [
    // The line ends at the LF, or at the CR before it (CRLF); an LF without CR is remembered to be made CRLF.
    ...get(p), ...set(end),
    ...get(p), ...load8(DATA - 1), ...i32(0x0d), op.i32Eq,
    op.if, EMPTY, ...get(p), ...i32(1), op.i32Sub, ...set(end),
    op.else, ...setFlag(FLAG.bareLf),
    ...i32(POSITIONS), ...gget(G_BARE_LF), ...i32(4), op.i32Mul, op.i32Add,
    ...get(chunkStart), ...get(p), op.i32Add, op.i32Store, 2, 0,
    ...gget(G_BARE_LF), ...i32(1), op.i32Add, ...gset(G_BARE_LF),
    op.end,
    // length = chunkStart + end - lineStart; the longest is kept.
    ...get(chunkStart), ...get(end), op.i32Add, ...gget(G_LINE_START), op.i32Sub, op.localTee, length,
    ...gget(G_MAX_LINE), op.i32GtS, op.if, EMPTY, ...get(length), ...gset(G_MAX_LINE), op.end,
    // A line ending in space or tab (read from the line's last byte, which may be in the lookbehind).
    ...get(length), ...i32(0), op.i32GtS,
    op.if, EMPTY,
    // `end` is -1 when a CRLF straddles the chunk start: the address is added up first (memarg offsets are unsigned).
    ...get(end), ...i32(DATA - 1), op.i32Add, ...load8(0), op.localTee, b, ...i32(0x20), op.i32Eq,
    ...get(b), ...i32(0x09), op.i32Eq, op.i32Or,
    op.if, EMPTY, ...setFlag(FLAG.trailingSpace), op.end,
    op.end,
    ...get(chunkStart), ...get(p), op.i32Add, ...i32(1), op.i32Add, ...gset(G_LINE_START),
    // The next line starts with "From " (five bytes read in place; "From" is 0x6d6f7246 little-endian).
    ...get(p), ...i32(6), op.i32Add, ...get(available), op.i32GtU, op.i32Eqz,
    op.if, EMPTY,
    ...get(p), op.i32Load, 0, ...uleb(DATA + 1), ...i32(0x6d6f7246), op.i32Eq,
    ...get(p), ...load8(DATA + 5), ...i32(0x20), op.i32Eq, op.i32And,
    op.if, EMPTY, ...setFlag(FLAG.fromLine), op.end,
    op.end,
  ];
  const carriageReturn = [
    // A CR must be followed by LF; at the very end of the body (nothing available after it) it is bare.
    ...get(p), ...i32(1), op.i32Add, ...get(available), op.i32GeU,
    op.if, EMPTY, ...setFlag(FLAG.bareCr),
    op.else, ...get(p), ...load8(DATA + 1), ...i32(0x0a), op.i32Ne, op.if, EMPTY, ...setFlag(FLAG.bareCr), op.end,
    op.end,
  ];
  const body = [
    ...get(p), ...load8(DATA), op.localTee, b, ...i32(0x0a), op.i32Eq,
    op.if, EMPTY, ...lineFeed,
    op.else,
    ...get(b), ...i32(0x0d), op.i32Eq,
    op.if, EMPTY, ...carriageReturn,
    op.else,
    ...get(b), op.i32Eqz, op.if, EMPTY, ...setFlag(FLAG.nul), op.end,
    ...get(b), ...i32(0x7f), op.i32GtU, op.if, EMPTY, ...setFlag(FLAG.eightBit), op.end,
    op.end,
    op.end,
    op.end,
  ];
  return [...vec([[3, I32]]), ...body];
}

/**
 * scan(chunkStart, length, available): 32 bytes at a time, a signed compare below 0x0e marks both the control
 * bytes and the bytes above 0x7f (negative as signed); the marked ones go to byte(). The last bytes one by one.
 * A CR followed by LF inside the chunk needs no call (the LF ends the line), which halves the calls on CRLF text.
 * Locals 0-2 are the parameters; 3 = position, 4 = mask of marked bytes, 5 = a marked byte's position,
 * 6 = the vector of 0x0e bytes.
 */
function scanFunction(): number[] {
  const [chunkStart, length, available, i, mask, p, limit] = [0, 1, 2, 3, 4, 5, 6];
  const callByte = (at: number[]): number[] => [...get(chunkStart), ...at, ...get(available), op.call, 0];
  const below0e = [SIMD, simd.v128Const, ...new Array(16).fill(0x0e)];
  /** The 16 marks of the bytes at i + offset, as the low 16 bits of an i32. */
  const marks = (offset: number): number[] => [...get(i), SIMD, simd.v128Load, 0, ...uleb(DATA + offset), ...get(limit), SIMD, simd.i8x16LtS, SIMD, ...uleb(simd.i8x16Bitmask)];
  const blocks = [
    ...below0e, ...set(limit),
    op.block, EMPTY,
    op.loop, EMPTY,
    ...get(i), ...i32(32), op.i32Add, ...get(length), op.i32GtU, op.brIf, 1,
    ...marks(0), ...marks(16), ...i32(16), op.i32Shl, op.i32Or, op.localTee, mask,
    op.if, EMPTY,
    op.loop, EMPTY,
    ...get(i), ...get(mask), op.i32Ctz, op.i32Add, ...set(p),
    ...get(p), ...i32(1), op.i32Add, ...get(length), op.i32GeU,
    ...get(p), ...load8(DATA), ...i32(0x0d), op.i32Ne, op.i32Or,
    ...get(p), ...load8(DATA + 1), ...i32(0x0a), op.i32Ne, op.i32Or,
    op.if, EMPTY, ...callByte(get(p)), op.end,
    ...get(mask), ...get(mask), ...i32(1), op.i32Sub, op.i32And, op.localTee, mask, op.brIf, 0,
    op.end,
    op.end,
    ...get(i), ...i32(32), op.i32Add, ...set(i),
    op.br, 0,
    op.end,
    op.end,
  ];
  const tail = [
    op.block, EMPTY,
    op.loop, EMPTY,
    ...get(i), ...get(length), op.i32GeU, op.brIf, 1,
    ...callByte(get(i)),
    ...get(i), ...i32(1), op.i32Add, ...set(i),
    op.br, 0,
    op.end,
    op.end,
  ];
  return [...vec([[3, I32], [1, V128]]), ...blocks, ...tail, op.end];
}

/** The module's bytes, assembled from the instructions above. */
export function lineScanModuleBytes(): Uint8Array<ArrayBuffer> {
  const fnType = (params: number, results: number): number[] => [0x60, ...vec(new Array(params).fill([I32])), ...vec(new Array(results).fill([I32]))];
  const code = (body: number[]): number[] => [...uleb(body.length), ...body];
  const mutableI32 = [I32, 1, ...i32(0), op.end];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([fnType(3, 0)])),
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, ...uleb(MEMORY_PAGES)]])),
    ...section(6, vec([mutableI32, mutableI32, mutableI32, mutableI32])),
    ...section(7, vec([
      [...name('memory'), 0x02, 0],
      [...name('scan'), 0x00, 1],
      [...name('lineStart'), 0x03, G_LINE_START],
      [...name('maxLine'), 0x03, G_MAX_LINE],
      [...name('flags'), 0x03, G_FLAGS],
      [...name('bareLfCount'), 0x03, G_BARE_LF],
    ])),
    ...section(10, vec([code(byteFunction()), code(scanFunction())])),
  ];
  return new Uint8Array(bytes);
}

