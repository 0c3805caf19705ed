/**
 * Property round trips through the core API over seeded random messages: what we sign verifies as valid
 * (RSA, RSA-PSS, ECDSA P-256/P-384; detached and opaque) and covers exactly the prepared entity; what we
 * encrypt decrypts to exactly the prepared entity (RSA and ECDH recipients, CBC and GCM); signed and
 * encrypted messages are both, in all three orders.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecipientKey } from '../../../src/core/cms/enveloped';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import { encryptMessage, prepareMessage, signAndEncrypt, signMessage, type ContentCipherName, type SignerIdentity, type WrapOrder } from '../../../src/core/smime/compose';
import type { Certificate } from '../../../src/core/x509/certificate';
import { sharedTestPki, type TestIdentity, type TestPki, type UserName } from '../../helpers/pki';
import { expectedSignedVerdict, Rand, randomMessage } from './randomMessages';
import { certificatesIn, identityFrom } from '../../helpers/certFiles';
import { signersOf } from '../../helpers/report';

const RUNS = Number(process.env.COMPOSE_PROPERTY_RUNS ?? 40);
const SIGNERS: { name: UserName; pss?: boolean }[] = [{ name: 'alice' }, { name: 'pssuser', pss: true }, { name: 'ecuser' }, { name: 'ec384' }];
const RECIPIENTS: UserName[] = ['bob', 'bobec'];
const CIPHERS: ContentCipherName[] = ['aes-256-cbc', 'aes-128-cbc', 'aes-128-gcm', 'aes-256-gcm'];

let pki: TestPki;
let anchors: Certificate[];

function identity(user: TestIdentity): SignerIdentity {
  const id = identityFrom({ certPath: user.cert, keyPath: user.key });
  return { ...id, chain: certificatesIn([user.chain]).certs };
}

function key(user: TestIdentity): RecipientKey {
  const id = identityFrom({ certPath: user.cert, keyPath: user.key });
  return { privateKey: id.privateKey, certificate: id.certificate };
}

before(async () => {
  pki = await sharedTestPki();
  anchors = certificatesIn([pki.root.cert]).certs;
});

function inputFor(seed: number, from: TestIdentity, to: TestIdentity): Buffer {
  return randomMessage(seed, { from: `Sender <${from.email}>`, to: to.email }).bytes;
}

describe(`core round trips over ${RUNS} random messages`, () => {
  test('sign -> valid, and the signed bytes are exactly the prepared entity', () => {
    const r = new Rand(101);
    for (let seed = 1; seed <= RUNS; seed++) {
      const s = r.pick(SIGNERS);
      const user = pki.users[s.name];
      const detached = r.bool();
      const digest = user.kind === 'rsa' ? r.pick(['sha256', 'sha384', 'sha512'] as const) : undefined;
      const input = inputFor(seed, user, pki.users.bob);
      const where = `seed ${seed}, ${s.name}, ${detached ? 'detached' : 'opaque'}, ${digest ?? 'default digest'}`;
      const result = signMessage({ input, signer: identity(user), detached, digest, pss: s.pss });
      const analysis = analyzeMessage(result.message, { anchors });
      assert.equal(analysis.report.verdict, expectedSignedVerdict(input), `${where}: ${analysis.report.summary}`);
      const prepared = prepareMessage(input).entity;
      const layer = analysis.report.layers[0];
      const signed = detached ? result.message.subarray(layer.range.start, layer.range.end) : analysis.inner.get('1')?.source;
      assert.ok(signed?.equals(prepared), `${where}: signed bytes differ from the prepared entity`);
    }
  });

  test('encrypt -> each recipient and the sender decrypt exactly the prepared entity', () => {
    const r = new Rand(202);
    const sender = pki.users.alice;
    for (let seed = 1; seed <= RUNS; seed++) {
      const to = pki.users[r.pick(RECIPIENTS)];
      const cipher = r.pick(CIPHERS);
      const oaep = r.bool();
      const input = inputFor(seed, sender, to);
      const where = `seed ${seed}, ${to.name}, ${cipher}${oaep ? ', OAEP' : ''}`;
      const result = encryptMessage({ input, recipients: [identity(to).certificate], self: identity(sender).certificate, cipher, oaep });
      const prepared = prepareMessage(input).entity;
      for (const reader of [to, sender]) {
        const analysis = analyzeMessage(result.message, { anchors, keys: [key(reader)] });
        const layer = analysis.report.layers[0];
        assert.equal(layer.kind, cipher.endsWith('gcm') ? 'authEnveloped' : 'enveloped', where);
        assert.ok(analysis.inner.get('1')?.source.equals(prepared), `${where}: ${reader.name} did not get the prepared entity (${analysis.report.summary})`);
      }
    }
  });

  test('sign and encrypt in every order -> decrypted, and valid where the signature is inside', () => {
    const r = new Rand(303);
    for (let seed = 1; seed <= RUNS; seed++) {
      const s = r.pick(SIGNERS);
      const user = pki.users[s.name];
      const to = pki.users[r.pick(RECIPIENTS)];
      const order = r.pick(['sign-encrypt', 'encrypt-sign', 'triple'] as WrapOrder[]);
      const detached = r.bool();
      const input = inputFor(seed, user, to);
      const where = `seed ${seed}, ${s.name} -> ${to.name}, ${order}, ${detached ? 'detached' : 'opaque'}`;
      const signer = identity(user);
      const result = signAndEncrypt({ input, signer, recipients: [identity(to).certificate], self: signer.certificate, order, detached, pss: s.pss });
      const analysis = analyzeMessage(result.message, { anchors, keys: [key(to)] });
      const layers = analysis.report.layers;
      assert.ok(layers.some((l) => l.kind === 'enveloped' && l.decrypted), `${where}: not decrypted`);
      const signers = signersOf(layers);
      assert.equal(signers.length, order === 'triple' ? 2 : 1, where);
      const inner = signers[order === 'triple' ? 1 : 0];
      for (const signerReport of signers) {
        assert.equal(signerReport.status, signerReport === inner ? expectedSignedVerdict(input) : 'valid', `${where}: ${JSON.stringify(signerReport.reasons)}`);
      }
      assert.equal(analysis.report.verdict, order === 'encrypt-sign' ? 'unsigned' : expectedSignedVerdict(input), `${where}: ${analysis.report.summary}`);
    }
  });
});
