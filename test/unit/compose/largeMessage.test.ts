/**
 * The write path on messages larger than its internal blocks and slices (base64 blocks of 57 KB, ciphertext
 * slices of 256 KB): OpenSSL decrypts and verifies what we write, the base64 writer matches Node's encoder at
 * every block and chunk border, the body scan matches a byte-by-byte model, and a message that needs no change
 * is passed on as the input's own bytes, not a copy.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptMessage, prepareMessage, signMessage, type ContentCipherName, type SignerIdentity } from '../../../src/core/smime/compose';
import { base64LinesLength, encodeBase64Lines, writeBase64Lines } from '../../../src/core/smime/compose/base64Lines';
import { Pieces } from '../../../src/core/smime/compose/pieces';
import { writeFileAtomic } from '../../../src/cli/atomicWrite';
import { scanBody, type BodyScan } from '../../../src/core/smime/compose/transferEncode';
import { sharedTestPki, workFile, type TestPki } from '../../helpers/pki';
import { Rand } from './randomMessages';
import { signerFrom } from '../../helpers/certFiles';

let pki: TestPki;
let alice: SignerIdentity;

before(async () => {
  pki = await sharedTestPki();
  alice = signerFrom(pki.users.alice);
});

/** About 3 MB: 7-bit text and a base64 attachment, both already ESP-safe, CRLF throughout. */
function largeMessage(): Buffer {
  const r = new Rand(5);
  const text = Array.from({ length: 18_000 }, (_, i) => `line ${i} of the text part, plain 7-bit words and numbers ${r.int(1e6)}`).join('\r\n');
  const attachment = (r.bytes(1_500_000).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
  return Buffer.from(
    'From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: large\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n' +
      `${text}\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b--\r\n`,
    'latin1',
  );
}

function openssl(args: string[], input?: Buffer): Buffer {
  return execFileSync('openssl', args, { input, maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('large messages', () => {
  test('an already safe message is passed on as a view of the input; its LF copy gives the same entity', () => {
    const input = largeMessage();
    const prepared = prepareMessage(input);
    assert.deepEqual(prepared.preflight, []);
    assert.equal(prepared.entity.buffer, input.buffer, 'the entity shares the input memory');
    assert.equal(prepared.entity.byteOffset, input.byteOffset + input.indexOf('Content-Type: multipart'));
    const lf = Buffer.from(input.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    assert.ok(prepareMessage(lf).entity.equals(prepared.entity));
  });

  for (const cipher of ['aes-256-cbc', 'aes-128-gcm'] as ContentCipherName[]) {
    test(`encrypt ${cipher} -> openssl cms -decrypt gives the prepared entity`, () => {
      const input = largeMessage();
      const result = encryptMessage({ input, recipients: [alice.certificate], includeSelf: false, cipher });
      const decrypted = openssl(['cms', '-decrypt', '-binary', '-in', workFile(pki, 'large-enc.eml', result.message), '-recip', pki.users.alice.cert, '-inkey', pki.users.alice.key]);
      assert.ok(decrypted.equals(prepareMessage(input).entity));
    });
  }

  test('sign detached and opaque -> openssl cms -verify', () => {
    const input = largeMessage();
    const entity = prepareMessage(input).entity;
    for (const detached of [true, false]) {
      const signed = signMessage({ input, signer: alice, detached }).message;
      const args = ['cms', '-verify', '-in', workFile(pki, 'large-signed.eml', signed), '-CAfile', pki.root.cert, '-purpose', 'any'];
      // Opaque content comes out byte for byte with -binary; multipart/signed is read as S/MIME text.
      const out = openssl(detached ? args : [...args, '-binary']);
      assert.ok(out.equals(entity), detached ? 'detached' : 'opaque');
    }
  });
});

/** Node's encoder cut into lines of 76, each ended by CRLF: the reference for the line writer. */
function referenceBase64(data: Buffer): Buffer {
  const b64 = data.toString('base64');
  return Buffer.from((b64.match(/.{1,76}/g) ?? []).map((l) => l + '\r\n').join(''), 'latin1');
}

function* split(data: Buffer, r: Rand): Generator<Buffer> {
  for (let at = 0; at < data.length; ) {
    const n = r.pick([0, 1, 2, 3, 57, 1000, 58_367, 58_368, 200_000]);
    yield data.subarray(at, at + n);
    at += n;
  }
}

describe('base64 lines', () => {
  const BLOCK = 57 * 1024;
  test('match Node at block borders, from one buffer and from chunks of any size', () => {
    const r = new Rand(9);
    for (const n of [0, 1, 2, 3, 56, 57, 58, 114, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 5, 400_001]) {
      const data = r.bytes(n);
      const expected = referenceBase64(data);
      assert.equal(base64LinesLength(n), expected.length, `length for ${n}`);
      assert.ok(encodeBase64Lines(data).equals(expected), `one buffer of ${n}`);
      const out = Buffer.alloc(expected.length + 10, 0xff);
      const end = writeBase64Lines(split(data, r), out, 5);
      assert.equal(end, expected.length + 5);
      assert.ok(out.subarray(5, end).equals(expected), `chunks of ${n}`);
      assert.ok(out.subarray(0, 5).equals(Buffer.alloc(5, 0xff)) && out.subarray(end).equals(Buffer.alloc(5, 0xff)), 'nothing outside');
    }
  });
});

/** The scan written the plain way, one byte at a time. */
function referenceScan(data: Buffer): BodyScan {
  const scan: BodyScan = { eightBit: false, nul: false, bareCr: false, bareLf: false, maxLine: 0, fromLine: false, trailingSpace: false };
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b > 0x7f) scan.eightBit = true;
    if (b === 0) scan.nul = true;
    if (b === 0x0d && data[i + 1] !== 0x0a) scan.bareCr = true;
    if (b === 0x0a) {
      const crlf = i > 0 && data[i - 1] === 0x0d;
      if (!crlf) scan.bareLf = true;
      lines.push(data.subarray(start, crlf ? i - 1 : i));
      start = i + 1;
    }
  }
  lines.push(data.subarray(start));
  for (const line of lines) {
    scan.maxLine = Math.max(scan.maxLine, line.length);
    if (line.subarray(0, 5).toString('latin1') === 'From ') scan.fromLine = true;
    if (line.length > 0 && (line[line.length - 1] === 0x20 || line[line.length - 1] === 0x09)) scan.trailingSpace = true;
  }
  return scan;
}

describe('body scan', () => {
  test('matches the byte-by-byte model; on CRLF-only data the fast mode agrees', () => {
    const r = new Rand(13);
    const alphabet = Buffer.from('\r\n\r\n \tFrom a=.\u0000\u00e9xyz', 'latin1');
    for (let i = 0; i < 4000; i++) {
      const data = Buffer.from(Array.from({ length: r.int(i < 3000 ? 30 : 300) }, () => alphabet[r.int(alphabet.length)]));
      assert.deepEqual(scanBody(data), referenceScan(data), JSON.stringify(data.toString('latin1')));
      const canonical = Buffer.from(data.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
      assert.deepEqual(scanBody(canonical, true), referenceScan(canonical), JSON.stringify(canonical.toString('latin1')));
    }
  });
});

describe('pieces', () => {
  test('neighbouring views of one buffer join into one view; others are copied once', () => {
    const source = Buffer.from('0123456789');
    const joined = new Pieces().add(source.subarray(0, 3), source.subarray(3, 3), source.subarray(3, 7)).toBuffer();
    assert.equal(joined.buffer, source.buffer);
    assert.equal(joined.toString(), '0123456');
    const copied = new Pieces().add(source.subarray(0, 2), 'ab', source.subarray(5), { base64: [Buffer.from('hi')], byteLength: 2 }).toBuffer();
    assert.equal(copied.toString(), '01ab56789aGk=\r\n');
  });

  test('as separate buffers: views stay views, base64 pieces are encoded, the join is the same bytes', () => {
    const source = Buffer.from('0123456789');
    const parts = new Pieces().add(source.subarray(0, 4), 'ab', source.subarray(4), { base64: [Buffer.from('h'), Buffer.from('i')], byteLength: 2 }).toBuffers();
    assert.equal(parts.length, 4);
    assert.equal(parts[0].buffer, source.buffer);
    assert.equal(parts[2].buffer, source.buffer);
    assert.equal(Buffer.concat(parts).toString(), '0123ab456789aGk=\r\n');
    assert.throws(() => new Pieces().add({ base64: [Buffer.from('hi')], byteLength: 5 }).toBuffers(), /declared length/);
  });
});

describe('atomic write', () => {
  test('parts are written in order without joining, across writev batches and empty parts; nothing is left beside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smime-atomic-'));
    try {
      const r = new Rand(21);
      const parts = Array.from({ length: 2500 }, (_, i) => Buffer.from(i % 7 === 0 ? '' : `${i}:${'x'.repeat(r.int(40))}\r\n`));
      const path = join(dir, 'out.eml');
      writeFileSync(path, 'old contents');
      writeFileAtomic(path, parts);
      assert.ok(readFileSync(path).equals(Buffer.concat(parts)));
      writeFileAtomic(path, Buffer.from('one buffer'));
      assert.equal(readFileSync(path, 'latin1'), 'one buffer');
      assert.deepEqual(readdirSync(dir), ['out.eml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failed write leaves the old file and no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smime-atomic-'));
    try {
      const path = join(dir, 'out.eml');
      writeFileSync(path, 'old contents');
      // A directory in the way of the rename: the write itself succeeds, the rename fails.
      const blocked = join(dir, 'sub');
      mkdirSync(join(blocked, 'x'), { recursive: true });
      assert.throws(() => writeFileAtomic(blocked, [Buffer.from('new')]));
      assert.equal(readFileSync(path, 'latin1'), 'old contents');
      assert.deepEqual(readdirSync(dir).sort(), ['out.eml', 'sub']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
