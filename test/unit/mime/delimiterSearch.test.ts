/**
 * The multipart delimiter search (multipart.ts's nextCandidate) past its short byte-by-byte look: "--" is searched
 * and the byte before it checked, runs of dashes are stepped over, and after many "--" not at a line start the
 * search for "\n--" takes over. Each body here is long enough to reach those paths; the parts found must be the
 * ones a plain split at CRLF "--b" gives (RFC 2046 §5.1.1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../src/core/mime/parser';

const filler = 'text without dashes, long enough to go past the first look at the line '.repeat(3);

/** The part bodies of "multipart/mixed; boundary=b" with `parts`, as the parser finds them. */
function partBodies(parts: string[]): string[] {
  const text = `Content-Type: multipart/mixed; boundary="b"\r\n\r\n` + parts.map((p) => `--b\r\n\r\n${p}\r\n`).join('') + '--b--\r\n';
  const source = Buffer.from(text, 'latin1');
  return parseMessage(source).root.children.map((c) => source.toString('latin1', c.bodyStart, c.end));
}

test('parts are split at their delimiters whatever dashes come before', () => {
  const bodies = [
    `${filler}a--b not a delimiter`,
    `${filler}\r\n---b three dashes: not this boundary`,
    `${filler}${'-'.repeat(300)}\r\n${'-'.repeat(5)}`,
    `${filler}${'x--y '.repeat(40)}\r\nmore than sixteen "--" not at a line start`,
    `${filler}\r\n--bb a longer boundary is not this one`,
    `${filler}\r\n-- b`,
    filler,
  ];
  for (const body of bodies) assert.deepEqual(partBodies([body, 'second part']), [body, 'second part'], body.slice(-40));
  assert.deepEqual(partBodies(bodies), bodies);
});

test('1 MB of dashes, and of "a--", in a part: linear, one part', () => {
  for (const body of ['-'.repeat(1 << 20), 'a--'.repeat(350_000)]) {
    const started = process.hrtime.bigint();
    assert.deepEqual(partBodies([body]).map((b) => b.length), [body.length]);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 2000);
  }
});
