import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decodeBase64 } from '../../../src/core/mime/transferDecoding';

function wrap(b64: string, width: number, eol: string): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
  return Buffer.from(lines.join(eol) + eol, 'latin1');
}

test('large clean base64 decodes in slices to exactly what Node decodes in one piece', () => {
  for (const [size, width, eol] of [[300_001, 76, '\r\n'], [250_000, 64, '\n'], [120_002, 73, '\r\n'], [400_000, 100_000, '\n']] as const) {
    const data = randomBytes(size);
    const input = wrap(data.toString('base64'), width, eol);
    const { data: decoded, warnings } = decodeBase64(input, 0, 1 << 30);
    assert.deepEqual(warnings, []);
    assert.ok(decoded.equals(data), `size ${size}, lines of ${width}`);
  }
});

test('line endings of large inputs are told apart across scan slices', async () => {
  const { detectLineEndings } = await import('../../../src/core/mime/lineIndex');
  const crlfLines = Buffer.from('x'.repeat(70) + '\r\n').toString('latin1').repeat(4000);
  assert.equal(detectLineEndings(Buffer.from(crlfLines, 'latin1')), 'crlf');
  assert.equal(detectLineEndings(Buffer.from(crlfLines.replace(/\r\n/g, '\n'), 'latin1')), 'lf');
  // One bare LF far in, and a CR LF pair split exactly at a 64 KiB slice edge.
  const mixed = crlfLines + 'tail\n';
  assert.equal(detectLineEndings(Buffer.from(mixed, 'latin1')), 'mixed');
  const edge = Buffer.alloc(65536 + 10, 0x61);
  edge[65535] = 0x0d;
  edge[65536] = 0x0a;
  assert.equal(detectLineEndings(edge), 'crlf');
  assert.equal(detectLineEndings(Buffer.from('\nabc')), 'lf');
  assert.equal(detectLineEndings(Buffer.from('abc')), 'none');
});

test('fixed-width base64 takes the fast path only when clean; anything odd still decodes, with warnings', () => {
  const data = randomBytes(200_000);
  const good = wrap(data.toString('base64'), 76, '\r\n');
  assert.ok(decodeBase64(good, 0, 1 << 30).data.equals(data));
  // A stray character inside a line: same layout, but the count no longer adds up.
  const bad = Buffer.from(good);
  bad[1000] = 0x21; // "!"
  const r = decodeBase64(bad, 0, 1 << 30);
  assert.ok(r.warnings.some((w) => w.code === 'base64-invalid-characters'));
  // Padding in the middle of the data (two blobs glued together) is reported too.
  const glued = Buffer.concat([wrap(Buffer.from('ab').toString('base64') + 'QUJD', 8, '\r\n'), good]);
  assert.ok(decodeBase64(glued, 0, 1 << 30).warnings.length > 0);
  // Every odd layout and every truncation agrees with the tolerant reading of the same bytes.
  for (let cut = good.length - 200; cut < good.length; cut += 7) {
    const part = good.subarray(0, cut);
    const fast = decodeBase64(part, 0, 1 << 30);
    const expectedText = part.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
    const usable = expectedText.slice(0, expectedText.length - (expectedText.length % 4));
    assert.ok(fast.data.subarray(0, (usable.length / 4) * 3).equals(Buffer.from(usable, 'base64')), `cut ${cut}`);
  }
});
