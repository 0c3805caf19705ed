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
