// Speed of CMS creation on a 10 MB body, next to `openssl cms` doing the same (whole process, as interop.md's
// anchors). Medians of a few runs; the machine is shared, so the bounds are ratios with wide margins that only
// a copy per nesting level or quadratic building would break.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildEnvelopedData } from '../../../src/core/cms/build/envelopedDataBuilder';
import { buildSignedData, type SignerSpec } from '../../../src/core/cms/build/signedDataBuilder';
import { sharedTestPki, workFile, type TestPki } from '../../helpers/pki';
import { identityOf, opensslDecryptDer, opensslVerifyDer, type BuildIdentity } from './buildFixtures';

/** The size of interop.md's speed anchor message. */
const BODY_BYTES = 10_263_454;
const RUNS = 5;

let pki: TestPki;
let alice: BuildIdentity;
let body: Buffer;
let bodyFile: string;

before(async () => {
  pki = await sharedTestPki();
  alice = identityOf(pki, pki.users.alice);
  body = randomBytes(BODY_BYTES);
  bodyFile = workFile(pki, 'speed-body.bin', body);
});

function medianMs(fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function signer(): SignerSpec {
  return { privateKey: alice.privateKey, certificate: alice.certificate, chain: alice.chain };
}

describe('10 MB body, RSA-2048', () => {
  test('SignedData: in-process build vs openssl cms -sign -binary (whole process)', (t) => {
    const out = workFile(pki, 'speed-sig.der');
    const detached = medianMs(() => buildSignedData(body, [signer()], { detached: true }));
    const opaque = medianMs(() => buildSignedData(body, [signer()], { detached: false }));
    const small = medianMs(() => buildSignedData(body.subarray(0, BODY_BYTES / 10), [signer()], { detached: false }));
    const theirs = medianMs(() => openssl(['cms', '-sign', '-binary', '-in', bodyFile, '-signer', alice.certPath, '-inkey', alice.keyPath,
      '-md', 'sha256', '-outform', 'DER', '-out', out]));
    t.diagnostic(`buildSignedData detached ${detached.toFixed(1)} ms, opaque ${opaque.toFixed(1)} ms (1 MB opaque ${small.toFixed(1)} ms); openssl cms -sign -binary ${theirs.toFixed(1)} ms`);
    assert.ok(opensslVerifyDer(pki, buildSignedData(body, [signer()], { detached: false })).ok, 'what was measured verifies');
    assert.ok(opaque < theirs * 3 + 20, 'not far behind a whole OpenSSL process');
    assert.ok(opaque < small * 25 + 20, 'linear in the body size');
  });

  test('EnvelopedData / AuthEnvelopedData: in-process build vs openssl cms -encrypt (whole process)', (t) => {
    const out = workFile(pki, 'speed-env.der');
    const cbc = medianMs(() => buildEnvelopedData(body, [alice.certificate]));
    const gcm = medianMs(() => buildEnvelopedData(body, [alice.certificate], { cipher: 'aes-256-gcm' }));
    const small = medianMs(() => buildEnvelopedData(body.subarray(0, BODY_BYTES / 10), [alice.certificate]));
    const theirs = medianMs(() => openssl(['cms', '-encrypt', '-binary', '-aes256', '-in', bodyFile, '-recip', alice.certPath, '-outform', 'DER', '-out', out]));
    t.diagnostic(`buildEnvelopedData aes-256-cbc ${cbc.toFixed(1)} ms, aes-256-gcm ${gcm.toFixed(1)} ms (1 MB cbc ${small.toFixed(1)} ms); openssl cms -encrypt -aes256 ${theirs.toFixed(1)} ms`);
    const decrypted = opensslDecryptDer(pki, buildEnvelopedData(body, [alice.certificate]).der, alice);
    assert.ok(decrypted.ok && decrypted.output.equals(body), 'what was measured decrypts');
    assert.ok(cbc < theirs * 3 + 20, 'not far behind a whole OpenSSL process');
    assert.ok(cbc < small * 25 + 20, 'linear in the body size');
  });
});
