// The byte <-> position map against an independent model of the editor: the text decoded as a whole and split
// on CRLF, LF and lone CR, with characters counted in UTF-16 units.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ByteLineMap, decodeLatin1 } from '../../../src/extension/rawText/byteLineMap';

/** The editor's view of `bytes`: [line, character] of every byte offset, computed by decoding prefixes. */
function expectedPosition(bytes: Buffer, offset: number, decode: (b: Buffer) => string): { line: number; character: number } {
  // An offset between CR and LF sits at the end of the line's content.
  if (offset > 0 && bytes[offset - 1] === 0x0d && bytes[offset] === 0x0a) return expectedPosition(bytes, offset - 1, decode);
  const lines = decode(bytes.subarray(0, offset)).split(/\r\n|\n|\r/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

const utf8 = (b: Buffer) => b.toString('utf8');

test('line numbers follow CRLF, LF and lone CR line breaks', () => {
  const bytes = Buffer.from('a\r\nbc\nd\re\r\n\r\nf', 'latin1');
  const map = new ByteLineMap(bytes);
  assert.equal(map.lineCount, 6);
  for (let offset = 0; offset <= bytes.length; offset++) assert.deepEqual(map.positionAt(offset), expectedPosition(bytes, offset, utf8), `offset ${offset}`);
  assert.equal(map.lineText(1), 'bc');
  assert.equal(map.lineContentEnd(0), 1);
  assert.equal(map.lineStart(5), bytes.length - 1);
});

test('characters count UTF-16 units of UTF-8 text (2-, 3- and 4-byte sequences)', () => {
  const bytes = Buffer.from('Subject: Grüße €\r\nTo: 😀 x\r\n', 'utf8');
  const map = new ByteLineMap(bytes);
  for (let offset = 0; offset <= bytes.length; offset++) {
    // Offsets inside a multi-byte sequence have no editor position of their own; check sequence starts only.
    if ((bytes[offset] & 0xc0) === 0x80) continue;
    assert.deepEqual(map.positionAt(offset), expectedPosition(bytes, offset, utf8), `offset ${offset}`);
  }
  const x = bytes.indexOf('x');
  assert.deepEqual(map.positionAt(x), { line: 1, character: 7 });
  assert.equal(map.offsetAt({ line: 1, character: 7 }), x);
  assert.equal(map.offsetAt({ line: 0, character: 16 }), bytes.indexOf('\r'));
});

test('8-bit bytes read as latin1 when the editor did so', () => {
  const bytes = Buffer.from([0x41, 0xe9, 0xe8, 0x0d, 0x0a, 0x42]);
  const map = new ByteLineMap(bytes, decodeLatin1);
  for (let offset = 0; offset <= bytes.length; offset++) {
    assert.deepEqual(map.positionAt(offset), expectedPosition(bytes, offset, (b) => b.toString('latin1')), `offset ${offset}`);
  }
  assert.equal(map.lineText(0), 'Aéè');
  assert.equal(map.offsetAt({ line: 0, character: 2 }), 2);
});

test('offsets past the end clamp to the last position; lines past the end to the last line', () => {
  const map = new ByteLineMap(Buffer.from('ab\ncd'));
  assert.deepEqual(map.positionAt(99), { line: 1, character: 2 });
  assert.equal(map.offsetAt({ line: 7, character: 0 }), 3);
  assert.equal(map.offsetAt({ line: 0, character: 50 }), 2);
  assert.deepEqual(new ByteLineMap(Buffer.alloc(0)).positionAt(0), { line: 0, character: 0 });
});
