import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseMessage, walk, decodeBody, MAX_DEPTH, MAX_PARTS, MAX_HEADER_BYTES, findEntity } from '../../../src/core/mime/index';
import { assertLayout } from './mimeTestUtil';

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

function maxDepthOf(root: ReturnType<typeof parseMessage>['root']): number {
  let deepest = 0;
  for (const entity of walk(root)) deepest = Math.max(deepest, entity.path.split('.').length);
  return deepest;
}

test('nesting 100,000 multiparts deep stops at MAX_DEPTH quickly, with a warning', () => {
  const levels = 100_000;
  const parts: string[] = [];
  for (let i = 0; i < levels; i++) parts.push(`Content-Type: multipart/mixed; boundary=b${i}z\r\n\r\n--b${i}z\r\n`);
  for (let i = levels - 1; i >= 0; i--) parts.push(`\r\n--b${i}z--`);
  const input = Buffer.from(parts.join(''));
  const { value: msg, ms } = timed(() => parseMessage(input));
  console.log(`# nested multipart x${levels} (${input.length} bytes): ${ms.toFixed(1)} ms`);
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.equal(maxDepthOf(msg.root), MAX_DEPTH + 1);
  assert.deepEqual(msg.warnings.map((w) => w.code), ['max-depth']);
  assertLayout(msg);
});

test('nesting 100,000 message/rfc822 levels deep stops at MAX_DEPTH quickly', () => {
  const input = Buffer.from('Content-Type: message/rfc822\r\n\r\n'.repeat(100_000) + 'Subject: bottom\r\n\r\nbody');
  const { value: msg, ms } = timed(() => parseMessage(input));
  console.log(`# nested message/rfc822 x100000 (${input.length} bytes): ${ms.toFixed(1)} ms`);
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.equal(maxDepthOf(msg.root), MAX_DEPTH + 1);
  assert.deepEqual(msg.warnings.map((w) => w.code), ['max-depth']);
  assertLayout(msg);
});

test('a million tiny parts stop at MAX_PARTS quickly; the rest is kept as epilogue', () => {
  const input = Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${'--b\r\n\r\nx\r\n'.repeat(1_000_000)}--b--\r\n`);
  const { value: msg, ms } = timed(() => parseMessage(input));
  console.log(`# 1,000,000 parts (${input.length} bytes): ${ms.toFixed(1)} ms, ${msg.entityCount} entities`);
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.equal(msg.entityCount, MAX_PARTS);
  assert.equal(msg.root.children.length, MAX_PARTS - 1);
  assert.equal(msg.root.multipart?.closed, false);
  assert.deepEqual(msg.warnings.map((w) => w.code), ['max-parts']);
  assertLayout(msg);
});

test('a header block over MAX_HEADER_BYTES is cut at a line boundary; the rest is an opaque body', () => {
  const huge = `Subject: ${'x'.repeat(MAX_HEADER_BYTES + 10)}\r\n`;
  const input = Buffer.from(`From: a@example.com\r\n${huge}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n`);
  const { value: msg, ms } = timed(() => parseMessage(input));
  console.log(`# ${input.length}-byte header: ${ms.toFixed(1)} ms`);
  assert.equal(msg.root.headers.length, 1);
  assert.equal(msg.root.bodyStart, 'From: a@example.com\r\n'.length);
  assert.equal(msg.root.children.length, 0);
  assert.deepEqual(msg.warnings.map((w) => w.code), ['header-too-large']);
  assertLayout(msg);
});

test('too many header fields, and caller-supplied limits', () => {
  const many = parseMessage(Buffer.from('X: y\r\n'.repeat(50) + '\r\nbody'), { maxHeaderFields: 10 });
  assert.equal(many.root.headers.length, 10);
  assert.deepEqual(many.warnings.map((w) => w.code), ['too-many-header-fields']);
  assertLayout(many);

  const nested = Buffer.from('Content-Type: message/rfc822\r\n\r\n'.repeat(5) + 'Subject: s\r\n\r\nx');
  const shallow = parseMessage(nested, { maxDepth: 2 });
  assert.equal(maxDepthOf(shallow.root), 3);
  const deep = parseMessage(nested, { maxDepth: 1e9, maxParts: Number.NaN });
  assert.equal(findEntity(deep.root, '1.1.1.1.1.1')?.headers[0].value, 's');
});

test('a 10 MB message parses in linear time; decoding its attachment is fast too', () => {
  const attachment = randomBytes(7 * 1024 * 1024).toString('base64').replace(/.{76}/g, '$&\r\n');
  const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n'.repeat(8_000);
  const input = Buffer.from(
    'From: a@example.com\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary="----=_Part_1"\r\n\r\n' +
      `------=_Part_1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n` +
      `------=_Part_1\r\nContent-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n` +
      '------=_Part_1--\r\n',
  );
  parseMessage(input); // warm-up
  const runs = [0, 1, 2, 3, 4].map(() => timed(() => parseMessage(input)).ms).sort((a, b) => a - b);
  const msg = parseMessage(input);
  const decode = timed(() => decodeBody(msg.root.children[1]));
  console.log(`# ${(input.length / 1e6).toFixed(1)} MB message: parse median ${runs[2].toFixed(1)} ms (min ${runs[0].toFixed(1)}), base64 decode ${decode.ms.toFixed(1)} ms`);
  assert.ok(runs[2] < 500, `parse took ${runs[2]} ms`);
  assert.equal(decode.value.data.length, 7 * 1024 * 1024);
  assert.deepEqual(decode.value.warnings, []);
  assertLayout(msg);
});
