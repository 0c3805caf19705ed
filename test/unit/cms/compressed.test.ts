// CompressedData (RFC 3274). This machine's openssl is built without zlib (`cms -compress` fails), so the
// structure is written by openssl's ASN.1 generator and the zlib stream by Python's zlib: neither is ours.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_DECOMPRESSED_SIZE, decompress } from '../../../src/core/cms/compressed';
import { OID } from '../../../src/core/asn1/oids';
import { makeTempDir, openssl } from './decryptFixtures';

let tmp: ReturnType<typeof makeTempDir>;
before(() => {
  tmp = makeTempDir();
});
after(() => tmp.cleanup());

/** zlib (RFC 1950) of `length` bytes of `text` repeated, made by Python. */
function pythonZlib(text: string, length: number): Buffer {
  const script = 'import sys,zlib; t=bytes.fromhex(sys.argv[1]); n=int(sys.argv[2]); sys.stdout.buffer.write(zlib.compress((t*(n//len(t)+1))[:n], 9))';
  return execFileSync('python3', ['-c', script, Buffer.from(text, 'latin1').toString('hex'), String(length)], { maxBuffer: 64 * 1024 * 1024 });
}

function compressedData(zlibBytes: Buffer, algorithm: string = OID.zlibCompress): Buffer {
  const conf = [
    'asn1 = SEQUENCE:contentInfo',
    '[contentInfo]', `type = OID:${OID.compressedData}`, 'content = EXPLICIT:0,SEQUENCE:compressedData',
    '[compressedData]', 'version = INTEGER:0', 'algorithm = SEQUENCE:algorithm', 'encap = SEQUENCE:encap',
    '[algorithm]', `oid = OID:${algorithm}`,
    '[encap]', `type = OID:${OID.data}`, `content = EXPLICIT:0,FORMAT:HEX,OCTETSTRING:${zlibBytes.toString('hex')}`,
    '',
  ].join('\n');
  const confPath = join(tmp.dir, 'compressed.cnf');
  const out = join(tmp.dir, 'compressed.der');
  writeFileSync(confPath, conf);
  openssl(['asn1parse', '-genconf', confPath, '-out', out, '-noout']);
  return readFileSync(out);
}

const ENTITY = 'Content-Type: text/plain; charset=us-ascii\r\n\r\nCompressed S/MIME body line.\r\n';

test('decompresses zlib CompressedData to the original entity', () => {
  const der = compressedData(pythonZlib(ENTITY, ENTITY.length * 200));
  const result = decompress(der);
  assert.deepEqual(result.reasons, []);
  assert.equal(result.contentType, OID.data);
  assert.equal(result.content?.toString('latin1'), ENTITY.repeat(200));
});

test('stops inflating at the size cap (zip bomb)', () => {
  const der = compressedData(pythonZlib('\0', 4 * 1024 * 1024));
  assert.ok(der.length < 10 * 1024, 'a few kilobytes');
  const capped = decompress(der, 1024 * 1024);
  assert.equal(capped.content, undefined);
  assert.deepEqual(capped.reasons.map((r) => r.code), ['too-large']);
  assert.equal(decompress(der).content?.length, 4 * 1024 * 1024);
  const bomb = decompress(compressedData(pythonZlib('\0', MAX_DECOMPRESSED_SIZE + 1)));
  assert.deepEqual(bomb.reasons.map((r) => r.code), ['too-large']);
});

test('corrupt zlib, other algorithms and other content are reasons, not exceptions', () => {
  const good = pythonZlib(ENTITY, 500);
  const corrupt = Buffer.from(good);
  corrupt[10] ^= 0xff;
  assert.deepEqual(decompress(compressedData(corrupt)).reasons.map((r) => r.code), ['decompression-failed']);
  assert.deepEqual(decompress(compressedData(good.subarray(0, good.length - 6))).reasons.map((r) => r.code), ['decompression-failed']);
  assert.deepEqual(decompress(compressedData(good, '1.2.3.4')).reasons.map((r) => r.code), ['unsupported-algorithm']);
  const der = compressedData(good);
  for (let cut = 0; cut < der.length; cut += 7) {
    const result = decompress(der.subarray(0, cut));
    assert.equal(result.content, undefined);
    assert.ok(result.reasons.length > 0);
  }
  assert.deepEqual(decompress(Buffer.from('garbage')).reasons.map((r) => r.code), ['malformed']);
});
