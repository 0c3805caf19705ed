/**
 * The write path's one-pass body scan (bodyScan.ts with the WebAssembly scanner of lineScanWasm.ts) against the
 * behaviour it replaced: transferEncode.ts's scanBody of the input, then of its canonical form when the input had
 * bare LFs, and canonical.ts's toCanonicalCrlf. Edge cases sit on the places the new scan treats specially: its
 * 16-byte blocks, its 64 KB chunks (a CRLF, a "From " or a line's last byte across a chunk border), the first
 * and last bytes of a body, and the line length limits.
 *
 * LINE_SCAN_MODULE must equal what lineScanModule.ts assembles. After changing the assembler, print the new value
 * with: node -e "console.log(Buffer.from(require('./out/test/unit/compose/bodyScan.test.js').assembled()).toString('base64'))"
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { toCanonicalCrlf } from '../../../src/core/smime/canonical';
import { scanCanonical, scanInJavaScript, type CanonicalScan } from '../../../src/core/smime/compose/bodyScan';
import { lineScanModuleBytes } from '../../../src/core/smime/compose/lineScanModule';
import { LINE_SCAN_MODULE, lineScanner, SCAN_CHUNK } from '../../../src/core/smime/compose/lineScanWasm';
import { scanBody, type BodyScan } from '../../../src/core/smime/compose/transferEncode';
import { Rand } from './randomMessages';

export const assembled = lineScanModuleBytes;

/** What the write path did before: scan, and when there were bare LFs, convert and scan the converted body. */
function previous(raw: Buffer): { scan: BodyScan; hadBareLf: boolean; canonical: Buffer } {
  const scan = scanBody(raw);
  if (!scan.bareLf) return { scan, hadBareLf: false, canonical: raw };
  const canonical = toCanonicalCrlf(raw);
  return { scan: scanBody(canonical, true), hadBareLf: true, canonical };
}

/** The one-pass result, with what its sink received, in the shape of `previous`. */
function onePass(raw: Buffer, scanner: (raw: Buffer, sink: (piece: Buffer) => void) => CanonicalScan = scanCanonical) {
  const sunk: Buffer[] = [];
  const result = scanner(raw, (piece) => sunk.push(Buffer.from(piece)));
  const canonical = Buffer.concat(result.canonical);
  assert.ok(Buffer.concat(sunk).equals(canonical), 'the sink receives the canonical form, in order');
  return { scan: result.scan, hadBareLf: result.hadBareLf, canonical };
}

function agrees(raw: Buffer, label = JSON.stringify(raw.subarray(0, 80).toString('latin1'))): void {
  const expected = previous(raw);
  for (const scanner of [scanCanonical, scanInJavaScript]) {
    const actual = onePass(raw, scanner);
    assert.deepEqual(actual.scan, expected.scan, label);
    assert.equal(actual.hadBareLf, expected.hadBareLf, label);
    assert.ok(actual.canonical.equals(expected.canonical), label);
  }
}

const B = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('one-pass body scan', () => {
  test('the bytes kept in lineScanWasm.ts are the assembled module, and it loads here', () => {
    assert.ok(Buffer.from(LINE_SCAN_MODULE, 'base64').equals(Buffer.from(lineScanModuleBytes())));
    assert.ok(lineScanner(), 'the WebAssembly scanner must be in use on supported Node versions');
  });

  test('short edge cases: empty, bare CR and LF, NUL, 8-bit, "From ", trailing white space', () => {
    const cases = [
      '', '\r', '\n', '\r\n', '\n\r', '\r\r\n', 'a\r', '\ra', 'a\rb\r\n', 'a\nb', '\n\n', 'a\r\n\n', '\u0000', 'a\u0000\r\n',
      '\u0080', '\u00ff\r\n', 'From ', 'From', 'From x', 'x\r\nFrom ', 'x\nFrom y\n', 'x\r\nFrom\r\n', ' From x', 'x\r\n\r\nFrom x',
      'a \r\n', 'a\t\n', 'a \r', ' ', '\t', ' \r\n \r\n', 'a\u000b\u000c\t\r\n', 'abc \r\r\n', 'From \r\n',
    ];
    for (const text of cases) agrees(B(text));
  });

  test('every position of a special byte around the 16-byte blocks and in the unaligned tail', () => {
    for (const special of ['\r', '\n', '\r\n', '\u0000', '\u0085', ' \r\n', '\nFrom ', '\t\n']) {
      for (let length = 1; length <= 40; length++) {
        for (let at = 0; at + special.length <= length; at++) agrees(B('x'.repeat(at) + special + 'y'.repeat(length - at - special.length)));
      }
    }
  });

  test('chunk borders: a CRLF, a bare CR, a line end and a "From " split across them; views at odd offsets', () => {
    const around = [SCAN_CHUNK - 6, SCAN_CHUNK - 5, SCAN_CHUNK - 2, SCAN_CHUNK - 1, SCAN_CHUNK, SCAN_CHUNK + 1, 2 * SCAN_CHUNK - 1];
    for (const at of around) {
      for (const special of ['\r\n', '\r', '\n', ' \r\n', '\t\n', '\r\nFrom x', '\nFrom ', '\u0000', '\u00e9']) {
        const body = Buffer.alloc(2 * SCAN_CHUNK + 100, 'a');
        // Lines of 70 so that the line length is known, then the special bytes at `at`.
        for (let i = 70; i < body.length; i += 72) body.write('\r\n', i, 'latin1');
        body.write(special, at, 'latin1');
        agrees(body, `${JSON.stringify(special)} at ${at}`);
        agrees(Buffer.concat([B('z'), body]).subarray(1), `${JSON.stringify(special)} at ${at}, unaligned view`);
      }
    }
  });

  test('line length limits: exactly 76 and 998 octets, and one more, also as the last line', () => {
    for (const length of [75, 76, 77, 997, 998, 999]) {
      const line = 'q'.repeat(length);
      for (const text of [`${line}\r\n`, `a\r\n${line}`, `${line}\n`, `${line}\r`, `${line} \r\n`]) {
        agrees(B(text));
        assert.equal(scanCanonical(B(text)).scan.maxLine, previous(B(text)).scan.maxLine);
      }
    }
  });

  test('random bodies of special bytes, a few chunks long, agree with the previous scan', () => {
    const r = new Rand(11);
    const alphabet = B('\r\n\r\n \tFrom a=.\u0000\u00e9\u0080xyz');
    for (let i = 0; i < 3000; i++) {
      const length = i < 2900 ? r.int(200) : r.int(3 * SCAN_CHUNK);
      const data = Buffer.alloc(length);
      for (let k = 0; k < length; k++) data[k] = r.int(4) === 0 ? alphabet[r.int(alphabet.length)] : 0x61;
      agrees(data, `random body ${i}`);
    }
  });

  test('1 MB of one repeated character, for each of CR, LF, space, F, x and 0x80, in linear time', () => {
    for (const byte of [0x0d, 0x0a, 0x20, 0x46, 0x78, 0x80]) {
      const data = Buffer.alloc(1 << 20, byte);
      const started = process.hrtime.bigint();
      const result = scanCanonical(data);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 2000, `0x${byte.toString(16)}: ${ms} ms`);
      assert.deepEqual(result.scan, previous(data).scan);
      // LF only: every LF becomes CRLF, in one copy per chunk (a few pieces, not one per line).
      if (byte === 0x0a) assert.ok(result.canonical.length <= (1 << 20) / SCAN_CHUNK);
    }
  });

  test('a body that is already canonical is passed on as the input itself, not a copy', () => {
    const body = B('line one\r\nline two\r\n'.repeat(20_000));
    const result = scanCanonical(body);
    assert.equal(result.canonical.length, 1);
    assert.equal(result.canonical[0].buffer, body.buffer);
    assert.equal(result.canonical[0].byteOffset, body.byteOffset);
  });

  test('the hash of what the sink receives is the hash of the canonical body', () => {
    const body = B('text\nwith bare LF\r\nand CRLF\n'.repeat(10_000));
    const hash = createHash('sha256');
    scanCanonical(body, (piece) => hash.update(piece));
    assert.equal(hash.digest('hex'), createHash('sha256').update(toCanonicalCrlf(body)).digest('hex'));
  });
});
