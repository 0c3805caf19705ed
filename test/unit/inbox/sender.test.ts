/**
 * Sending a finished message with nodemailer as raw bytes: what arrives is what was sent (a signed message still
 * verifies with OpenSSL after the trip), and the envelope comes from the message's own headers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCatcher, type Catcher, type ReceivedMessage } from '../../../src/inbox/catcher';
import { envelopeOf, sendRawMessage, type SmtpTarget } from '../../../src/inbox/sender';
import { entity, toLf, wrapMessage } from '../../helpers/mime';
import { opensslSigned, opensslVerify } from '../../helpers/openssl';
import { sharedTestPki, type TestPki } from '../../helpers/pki';

const folder = mkdtempSync(join(tmpdir(), 'smime-inbox-send-'));
let catcher: Catcher;
let pki: TestPki;
const received: ReceivedMessage[] = [];
let target: SmtpTarget;

before(async () => {
  pki = await sharedTestPki();
  catcher = await startCatcher({ folder, port: 0, onMessage: (m) => received.push(m) });
  target = { host: '127.0.0.1', port: catcher.port, security: 'none', rejectUnauthorized: true };
});
after(async () => {
  await catcher.close();
  rmSync(folder, { recursive: true, force: true });
});

function signed(): Buffer {
  const content = entity(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'], 'Grüße,\r\n.a line starting with a dot\r\nend\r\n');
  return wrapMessage({ from: 'Alice <alice@example.com>', to: 'Bob <bob@example.com>, carol@example.com', subject: 'Signed send' }, opensslSigned(pki, pki.users.alice, Buffer.from(content)));
}

describe('sending raw messages', () => {
  test('a signed message arrives byte for byte, and OpenSSL still verifies it', async () => {
    const message = signed();
    assert.equal(opensslVerify(pki, message).ok, true, 'the test message verifies before sending');
    const result = await sendRawMessage(target, message);
    assert.match(result.response, /^250/);
    assert.deepEqual(result.accepted.sort(), ['bob@example.com', 'carol@example.com']);
    const stored = readFileSync(received.at(-1)!.path);
    assert.deepEqual(stored, message);
    assert.equal(opensslVerify(pki, stored).ok, true);
    assert.equal(received.at(-1)!.mailFrom, 'alice@example.com');
  });

  test('an LF-only file goes out with CRLF line ends (SMTP requires them) and still verifies', async () => {
    const message = toLf(signed());
    await sendRawMessage(target, message);
    const stored = readFileSync(received.at(-1)!.path);
    assert.deepEqual(stored, Buffer.from(message.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'));
    assert.equal(opensslVerify(pki, stored).ok, true);
  });

  test('the envelope: From, then To, Cc and Bcc without duplicates; no From or no recipient is refused', () => {
    const env = envelopeOf(Buffer.from('From: "A" <a@example.com>\r\nTo: b@example.com, "C" <c@example.com>\r\nCc: b@example.com\r\nBcc: d@example.com\r\n\r\nx'));
    assert.deepEqual(env, { from: 'a@example.com', to: ['b@example.com', 'c@example.com', 'd@example.com'] });
    assert.throws(() => envelopeOf(Buffer.from('To: b@example.com\r\n\r\nx')), /no From/);
    assert.throws(() => envelopeOf(Buffer.from('From: a@example.com\r\n\r\nx')), /no To/);
  });

  test('a server that refuses the message: the send fails with its reply', async () => {
    const small = await startCatcher({ folder, port: 0, maxMessageBytes: 100 });
    try {
      await assert.rejects(sendRawMessage({ ...target, port: small.port }, signed()), /552/);
    } finally {
      await small.close();
    }
  });
});
