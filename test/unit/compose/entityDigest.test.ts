/**
 * The entity's digest taken in the scanning pass (entityDigest.ts): whenever prepareMessage returns one, it is the
 * digest of the entity it returns, whatever had to change; it is returned for the usual message (CRLF, ESP-safe,
 * Content-* fields last), and OpenSSL verifies what is signed with it.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { prepareMessage, signMessage, type SignerIdentity } from '../../../src/core/smime/compose';
import { occursIn, sameBytes } from '../../../src/core/smime/compose/entityDigest';
import { signerFrom } from '../../helpers/certFiles';
import { sharedTestPki, workFile, type TestPki } from '../../helpers/pki';
import { randomMessage } from './randomMessages';

const B = (text: string): Buffer => Buffer.from(text, 'latin1');
const sha = (algorithm: string, data: Buffer): string => createHash(algorithm).update(data).digest('hex');

const HEAD = 'From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n';
const MULTIPART =
  'Content-Type: multipart/mixed; boundary="b"\r\n\r\npreamble\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n' +
  '--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--b--\r\nepilogue\r\n';

/** Prepares with a one-pass digest; checks that a digest given is the entity's. Returns whether one was given. */
function digestHolds(input: Buffer, algorithm: 'sha256' | 'sha384' | 'sha512' = 'sha256'): boolean {
  const prepared = prepareMessage(input, { onePassDigest: algorithm });
  if (!prepared.digest) return false;
  assert.equal(prepared.digest.algorithm, algorithm);
  assert.equal(prepared.digest.value.toString('hex'), sha(algorithm, prepared.entity));
  return true;
}

describe('one-pass entity digest', () => {
  test('an ESP-safe CRLF message gets the digest of its entity, for each digest', () => {
    for (const algorithm of ['sha256', 'sha384', 'sha512'] as const) {
      assert.ok(digestHolds(B(HEAD + MULTIPART), algorithm));
      assert.ok(digestHolds(B(HEAD + 'Content-Type: text/plain\r\n\r\nFrom here\r\n'), algorithm));
    }
  });

  test('when something outside the bodies changes, no digest is given or it is still the entity\'s', () => {
    const cases = [
      // Content-Type before MIME-Version: the entity is not one stretch of the input.
      'From: a@example.com\r\nContent-Type: text/plain\r\nMIME-Version: 1.0\r\n\r\nhi\r\n',
      // No Content-Type: one is written out before the entity.
      'From: a@example.com\r\nMIME-Version: 1.0\r\n\r\nhi\r\n',
      // Bare LFs in the header block and in bodies.
      HEAD.replace(/\r\n/g, '\n') + MULTIPART.replace(/\r\n/g, '\n'),
      HEAD + MULTIPART.replace('hello\r\n', 'hello\nworld\n'),
      // A part relabelled (8bit -> 7bit), a part re-encoded (long line), a header refolded, no final CRLF.
      HEAD + MULTIPART.replace('Content-Type: text/plain\r\n', 'Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n'),
      HEAD + MULTIPART.replace('hello', 'x'.repeat(200)),
      HEAD + MULTIPART.replace('Content-Type: text/plain', `Content-Type: text/plain; name="${'n'.repeat(40)} ${'m'.repeat(40)}"`),
      HEAD + 'Content-Type: text/plain\r\n\r\nno final line break',
      HEAD + 'Content-Type: text/plain\r\n\r\n8-bit \u00e9\r\n',
    ];
    for (const text of cases) digestHolds(B(text));
    assert.equal(digestHolds(B(cases[0])), false);
    assert.equal(digestHolds(B(cases[1])), false);
  });

  test('random messages: a digest given is always the entity\'s, and most CRLF ones get one', () => {
    let given = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { bytes } = randomMessage(seed, { from: 'Alice <alice@example.com>', to: 'bob@example.com' });
      if (digestHolds(bytes)) given++;
    }
    assert.ok(given > 30, `digests given: ${given}`);
  });

  test('the boundary search finds a boundary anywhere in the pieces hashed: inside one, across a seam, across pieces shorter than it', () => {
    const needle = Buffer.from('--=_boundary_01');
    const text = Buffer.concat([Buffer.from('x'.repeat(40)), needle, Buffer.from('y'.repeat(40))]);
    const without = Buffer.from('x'.repeat(40) + '--=_boundary_0' + 'z'.repeat(40));
    // Every way of cutting the text into three pieces (the middle one from empty to longer than the boundary).
    for (let a = 0; a <= text.length; a++) {
      for (let b = a; b <= Math.min(text.length, a + needle.length + 2); b++) {
        const cut = (t: Buffer) => [t.subarray(0, a), t.subarray(a, b), t.subarray(b)];
        assert.equal(occursIn(needle, cut(text)), true, `cut at ${a}, ${b}`);
        assert.equal(occursIn(needle, cut(without)), false, `cut at ${a}, ${b}, no boundary`);
      }
    }
    // One octet per piece.
    assert.equal(occursIn(needle, [...text].map((x) => Buffer.from([x]))), true);
    assert.equal(occursIn(needle, [...without].map((x) => Buffer.from([x]))), false);
  });

  test('a boundary candidate is proven absent only when it occurs nowhere in the entity, split across pieces or not', () => {
    const candidate = '----=_smime_candidate';
    const prepare = (text: string) => prepareMessage(B(text), { onePassDigest: 'sha256', boundaryCandidate: candidate });
    assert.equal(prepare(HEAD + MULTIPART).boundary, candidate);
    assert.equal(prepare(HEAD + MULTIPART.replace('hello', `x--${candidate}y`)).boundary, undefined);
    assert.equal(prepare(HEAD + MULTIPART.replace('preamble', candidate)).boundary, undefined, 'in the bytes between bodies');
    // Across the 64 KB chunks of the scan (counted from the body's start), at every split of the boundary.
    const line = 'z'.repeat(30) + '\r\n';
    for (let split = 0; split <= candidate.length; split++) {
      // Lines of 32 octets, then z's up to the boundary's start at 64 KB - split (no line gets long, no CR is cut).
      const at = 65536 - split;
      const before = line.repeat(Math.floor(at / line.length)) + 'z'.repeat(at % line.length);
      const text = HEAD + 'Content-Type: text/plain\r\n\r\n' + before + candidate + '\r\n' + line.repeat(100);
      const prepared = prepare(text);
      assert.ok(prepared.digest, 'digest given');
      assert.equal(prepared.boundary, undefined, `split ${split}`);
    }
  });

  test('sameBytes: same memory is equal unread, other memory is compared, splits do not matter', () => {
    const a = B('0123456789');
    assert.ok(sameBytes([a], [a.subarray(0, 4), a.subarray(4)]));
    assert.ok(sameBytes([a.subarray(0, 3), B('345'), a.subarray(6)], [a]));
    assert.ok(sameBytes([B(''), a, B('')], [a]));
    assert.ok(sameBytes([], [B('')]));
    assert.ok(!sameBytes([a], [a.subarray(0, 9)]));
    assert.ok(!sameBytes([a.subarray(0, 5), B('x'), a.subarray(6)], [a]));
    assert.ok(!sameBytes([a.subarray(1)], [a.subarray(0, 9)]));
  });
});

describe('signing with the one-pass digest', () => {
  let pki: TestPki;
  let alice: SignerIdentity;
  before(async () => {
    pki = await sharedTestPki();
    alice = signerFrom(pki.users.alice);
  });

  test('openssl cms -verify accepts it, detached and opaque, for each digest', () => {
    const input = B(HEAD + MULTIPART);
    for (const digest of ['sha256', 'sha384', 'sha512'] as const) {
      for (const detached of [true, false]) {
        const signed = signMessage({ input, signer: alice, detached, digest }).message;
        const args = ['cms', '-verify', '-in', workFile(pki, 'one-pass.eml', signed), '-CAfile', pki.root.cert, '-purpose', 'any'];
        const out = execFileSync('openssl', detached ? args : [...args, '-binary'], { stdio: ['pipe', 'pipe', 'pipe'] });
        assert.ok(out.equals(prepareMessage(input).entity), `${digest} ${detached ? 'detached' : 'opaque'}`);
      }
    }
  });
});
