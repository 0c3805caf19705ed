/**
 * CompressedData layers share one budget per message (MAX_DECOMPRESSED_TOTAL): a compressed layer that inflates
 * to many compressed parts, each just under the per-layer limit, would otherwise multiply the limit by the number
 * of copies and layers. The zlib streams come from Python's zlib, not from us.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { contextExplicit, integer, octetString, oid, sequence } from '../../../src/core/asn1/derWriter';
import { OID } from '../../../src/core/asn1/oids';
import { MAX_DECOMPRESSED_SIZE, MAX_DECOMPRESSED_TOTAL } from '../../../src/core/cms/compressed';
import { analyzeMessage } from '../../../src/core/smime/analyze';

const PART_SIZE = 8 * 1024 * 1024;
const COPIES = 12;

/** zlib (RFC 1950) of `length` zero bytes, made by Python. */
function pythonZlibZeros(length: number): Buffer {
  return execFileSync('python3', ['-c', `import sys,zlib; sys.stdout.buffer.write(zlib.compress(bytes(${length}), 9))`]);
}

/** ContentInfo { id-ct-compressedData, CompressedData { 0, zlib, { id-data, [0] OCTET STRING } } } (RFC 3274 §1.1). */
function compressedData(zlibBytes: Buffer): Buffer {
  const encap = sequence(oid(OID.data), contextExplicit(0, octetString(zlibBytes)));
  return sequence(oid(OID.compressedData), contextExplicit(0, sequence(integer(0), sequence(oid(OID.zlibCompress)), encap))).toBuffer();
}

function compressedPart(der: Buffer): string {
  const base64 = der.toString('base64').replace(/(.{76})/g, '$1\r\n');
  return `Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64}\r\n`;
}

function mixed(parts: string[]): string {
  return `Content-Type: multipart/mixed; boundary="b"\r\n\r\n${parts.map((p) => `--b\r\n${p}`).join('\r\n')}\r\n--b--\r\n`;
}

/** Bytes inflated while analysing: every decompressed content is kept as an inner message. */
function inflatedBytes(inner: Map<string, { source: Buffer }>): number {
  return [...inner.values()].reduce((sum, m) => sum + m.source.length, 0);
}

test(`a compressed layer holding ${COPIES} compressed parts of ${PART_SIZE >> 20} MiB each inflates at most ${MAX_DECOMPRESSED_TOTAL >> 20} MiB in total`, () => {
  // Text of zeros after a header: each part is a valid entity of PART_SIZE bytes.
  const bomb = compressedPart(compressedData(pythonZlibZeros(PART_SIZE)));
  assert.ok(PART_SIZE < MAX_DECOMPRESSED_SIZE, 'each copy is within the per-layer limit');
  const inner = Buffer.from(mixed(Array.from({ length: COPIES }, () => bomb)), 'latin1');
  const outer = compressedData(execFileSync('python3', ['-c', 'import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 9))'], { input: inner }));
  const message = Buffer.from(`From: a@example.com\r\nSubject: bombs\r\n${compressedPart(outer)}`, 'latin1');

  const start = performance.now();
  const result = analyzeMessage(message);
  const ms = performance.now() - start;
  console.log(`# ${COPIES} x ${PART_SIZE >> 20} MiB compressed parts in a compressed layer: ${ms.toFixed(0)} ms, ${inflatedBytes(result.inner) >> 20} MiB inflated`);

  assert.ok(inflatedBytes(result.inner) <= MAX_DECOMPRESSED_TOTAL, `inflated ${inflatedBytes(result.inner)} bytes`);
  const layers = result.report.layers.filter((l) => l.kind === 'compressed');
  assert.equal(layers.length, 1 + COPIES);
  const refused = layers.filter((l) => l.reasons.some((r) => r.code === 'too-large'));
  const expectedInflated = Math.floor((MAX_DECOMPRESSED_TOTAL - inner.length) / PART_SIZE);
  assert.equal(COPIES - refused.length, expectedInflated, 'the parts that fit in the rest of the budget were opened');
  assert.ok(refused.length > 0);
  assert.ok(result.report.reasons.includes('too-large'));
  assert.equal(result.report.verdict, 'unsigned');
});
