/**
 * Load: 1,000 messages over 10 parallel SMTP connections. None may be lost: the folder holds 1,000 files whose
 * bytes are exactly the 1,000 messages sent (compared by SHA-256), and the run finishes within a time bound.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCatcher } from '../../../src/inbox/catcher';
import { RawSmtp } from './smtpClient';

const MESSAGES = 1000;
const CONNECTIONS = 10;
/** Measured at about 7 s on the shared 2-core build machine (one fsync per message); the bound leaves room for a busy CI host. */
const TIME_BOUND_MS = 60_000;

const folder = mkdtempSync(join(tmpdir(), 'smime-inbox-load-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function testMessage(n: number): Buffer {
  // Every message differs (number and random bytes), and every fifth has the same subject as the others so names collide.
  const subject = n % 5 === 0 ? 'Same subject' : `Load ${n}`;
  const body = `Message ${n}\r\n${randomBytes(200 + (n % 7) * 300).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;
  return Buffer.from(`From: app@example.com\r\nTo: dev@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${n}@load.example>\r\n\r\n${body}`);
}

test(`${MESSAGES} messages over ${CONNECTIONS} parallel connections: none lost, bytes identical`, { timeout: TIME_BOUND_MS * 2 }, async () => {
  const catcher = await startCatcher({ folder, port: 0 });
  const sent = Array.from({ length: MESSAGES }, (_, n) => testMessage(n));
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, c) => {
        const smtp = await RawSmtp.open(catcher.port);
        for (let n = c; n < MESSAGES; n += CONNECTIONS) {
          assert.equal((await smtp.begin()).code, 354);
          const reply = await smtp.data(sent[n]);
          assert.equal(reply.code, 250, `message ${n}: ${reply.text}`);
        }
        await smtp.command('QUIT');
        smtp.close();
      }),
    );
  } finally {
    await catcher.close();
  }
  const elapsed = performance.now() - started;
  console.log(`[measure] inbox load: ${MESSAGES} messages over ${CONNECTIONS} connections in ${elapsed.toFixed(0)} ms (${((MESSAGES / elapsed) * 1000).toFixed(0)} messages/s)`);
  assert.ok(elapsed < TIME_BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
  const names = readdirSync(folder);
  assert.equal(names.length, MESSAGES, 'one file per message, no temporary file left');
  assert.equal(catcher.count, MESSAGES);
  const stored = names.map((name) => sha256(readFileSync(join(folder, name)))).sort();
  assert.deepEqual(stored, sent.map(sha256).sort());
});
