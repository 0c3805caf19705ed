/**
 * The byte-level half of the write path's one-pass body scan (bodyScan.ts), as a small WebAssembly module
 * (assembled in lineScanModule.ts, kept here as bytes so that no command pays to assemble it): 16 bytes at a time are tested with one SIMD compare, and only the bytes that matter
 * to ESP safety (CR, LF, NUL, other controls below 0x0e, and bytes above 0x7f) are looked at one by one. A plain
 * JavaScript loop over 10 MB runs in the interpreter before it is optimised, and a native search per line costs a
 * call per line; this keeps a 10 MB body to about a millisecond or two.
 *
 * The module scans one chunk of a body at a time. The chunk is copied to DATA with the two bytes before it
 * (LOOKBEHIND: the CR of a CRLF split across chunks, the last byte of a line) and up to LOOKAHEAD bytes after it
 * (a CR's LF, a "From " after an LF), so every decision is made with bytes in memory and carries no pending state.
 * Line state (where the current line started, the longest line, the flags) lives in globals between chunks.
 */

/** Octets scanned per call; a chunk and its copy stay in the CPU's cache while they are also hashed. */
export const SCAN_CHUNK = 64 * 1024;
/** Bytes after a chunk the scan may read: "From " after an LF (RFC 4155 §2) needs five more. */
export const LOOKAHEAD = 8;
/** Bytes before a chunk the scan may read: a CRLF's CR and the last byte of the line before it. */
export const LOOKBEHIND = 2;

/** Bits of the `flags` global. */
export const FLAG = { eightBit: 1, nul: 2, bareCr: 4, bareLf: 8, fromLine: 16, trailingSpace: 32 } as const;

/** Memory layout: the chunk at DATA (LOOKBEHIND bytes before it), bare-LF positions (i32) from POSITIONS. */
export const DATA = 16;
export const POSITIONS = DATA + SCAN_CHUNK + LOOKAHEAD + 8;
export const MEMORY_PAGES = Math.ceil((POSITIONS + SCAN_CHUNK * 4) / 65536);

export interface LineScanExports {
  memory: WebAssembly.Memory;
  /** scan(chunkStart, length, available): chunkStart is the chunk's offset in the body, available >= length. */
  scan(chunkStart: number, length: number, available: number): void;
  lineStart: WebAssembly.Global;
  maxLine: WebAssembly.Global;
  flags: WebAssembly.Global;
  bareLfCount: WebAssembly.Global;
}

/** The module lineScanModule.ts assembles, base64 (checked by test/unit/compose/bodyScan.test.ts). */
export const LINE_SCAN_MODULE =
  'AGFzbQEAAAABBwFgA39/fwADAwIAAAUDAQAGBhUEfwFBAAt/AUEAC38BQQALfwFBAAsHPQYGbWVtb3J5AgAEc2NhbgABCWxpbmVT' +
  'dGFydAMAB21heExpbmUDAQVmbGFncwMCC2JhcmVMZkNvdW50AwMKtQMCggIBA38gAS0AECIDQQpGBEAgASEEIAEtAA9BDUYEQCAB' +
  'QQFrIQQFIwJBCHIkAkGggAQjA0EEbGogACABajYCACMDQQFqJAMLIAAgBGojAGsiBSMBSgRAIAUkAQsgBUEASgRAIARBD2otAAAi' +
  'A0EgRiADQQlGcgRAIwJBIHIkAgsLIAAgAWpBAWokACABQQZqIAJLRQRAIAEoABFBxuS96wZGIAEtABVBIEZxBEAjAkEQciQCCwsF' +
  'IANBDUYEQCABQQFqIAJPBEAjAkEEciQCBSABLQARQQpHBEAjAkEEciQCCwsFIANFBEAjAkECciQCCyADQf8ASwRAIwJBAXIkAgsL' +
  'CwuuAQIDfwF7/QwODg4ODg4ODg4ODg4ODg4OIQYCQANAIANBIGogAUsNASAD/QAAECAG/SX9ZCAD/QAAICAG/SX9ZEEQdHIiBARA' +
  'A0AgAyAEaGohBSAFQQFqIAFPIAUtABBBDUdyIAUtABFBCkdyBEAgACAFIAIQAAsgBCAEQQFrcSIEDQALCyADQSBqIQMMAAsLAkAD' +
  'QCADIAFPDQEgACADIAIQACADQQFqIQMMAAsLCw==';

let instance: LineScanExports | null | undefined;

/**
 * The scanner's exports, made once per process; null where WebAssembly or its SIMD instructions are unavailable
 * (the caller then scans in JavaScript, with the same results).
 */
export function lineScanner(): LineScanExports | null {
  if (instance === undefined) {
    try {
      instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(LINE_SCAN_MODULE, 'base64'))).exports as unknown as LineScanExports;
    } catch {
      instance = null;
    }
  }
  return instance;
}
