/**
 * The SMTP catcher: what it saves is byte for byte what came in DATA, what it refuses gets the reply RFC 5321 and
 * its extensions call for, and nothing partial is ever written (refused, oversized and dropped messages leave the
 * folder as it was; a saved message appears complete or not at all).
 */
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { startCatcher, type Catcher, type ReceivedMessage } from '../../../src/inbox/catcher';
import { createDemoTlsCertificate } from '../../../src/inbox/demoTls';
import { storeMessage } from '../../../src/inbox/store';
import { RawSmtp } from './smtpClient';

const root = mkdtempSync(join(tmpdir(), 'smime-inbox-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let folderCount = 0;
let catcher: Catcher | undefined;
let received: ReceivedMessage[] = [];

async function start(options: Partial<Parameters<typeof startCatcher>[0]> = {}): Promise<Catcher> {
  received = [];
  catcher = await startCatcher({ folder: join(root, `inbox-${++folderCount}`), port: 0, onMessage: (m) => received.push(m), ...options });
  return catcher;
}

function files(c: Catcher): string[] {
  try {
    return readdirSync(c.folder).sort();
  } catch {
    return [];
  }
}

afterEach(async () => {
  await catcher?.close();
  catcher = undefined;
});

const message = (subject: string, body: string) => `From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: ${subject}\r\n\r\n${body}`;

describe('test inbox: what is saved', () => {
  test('listens on 127.0.0.1 unless told otherwise', async () => {
    const c = await start();
    assert.equal(c.host, '127.0.0.1');
    assert.ok(c.port > 0);
  });

  test('byte-exact: dot-stuffing undone, trailing spaces, 8-bit bytes, a long line and no added headers', async () => {
    const c = await start();
    const longLine = 'x'.repeat(1500);
    const stored = Buffer.from(message('Grüße', `.leading dot\r\ntrailing spaces   \r\n\tä ö ü\r\n${longLine}\r\n..two dots\r\n`), 'utf8');
    // On the wire, a line starting with "." gets another one (RFC 5321 §4.5.2).
    const wire = Buffer.from(stored.toString('latin1').replace(/^\./gm, '..'), 'latin1');
    const smtp = await RawSmtp.open(c.port);
    assert.equal((await smtp.begin(' BODY=8BITMIME')).code, 354);
    const reply = await smtp.data(wire);
    assert.equal(reply.code, 250, reply.text);
    assert.match(reply.text, /^Saved as \d{8}-\d{6}-\d{3}-Gr\?\?e\.eml$/);
    assert.match(received[0]?.file ?? '', /^\d{8}-\d{6}-\d{3}-Grüße\.eml$/);
    smtp.close();
    assert.equal(received.length, 1);
    assert.deepEqual(readFileSync(received[0].path), stored);
    assert.equal(received[0].mailFrom, 'alice@example.com');
    assert.deepEqual(received[0].rcptTo, ['bob@example.com']);
    assert.deepEqual(files(c), [received[0].file]);
  });

  test('several messages on one connection, and the count', async () => {
    const c = await start();
    const smtp = await RawSmtp.open(c.port);
    for (let i = 0; i < 3; i++) {
      assert.equal((await smtp.begin()).code, 354);
      assert.equal((await smtp.data(message(`n${i}`, 'hello\r\n'))).code, 250);
    }
    smtp.close();
    assert.equal(c.count, 3);
    assert.equal(files(c).length, 3);
  });

  test('two messages with one subject in the same millisecond get two names, neither replaced', async () => {
    const folder = join(root, 'same-name');
    const at = new Date('2026-12-03T08:00:00.000Z');
    const first = await storeMessage(folder, Buffer.from('one'), at, 'Same');
    const second = await storeMessage(folder, Buffer.from('two'), at, 'Same');
    assert.equal(first, '20261203-080000-000-Same.eml');
    assert.equal(second, '20261203-080000-000-Same-2.eml');
    assert.equal(readFileSync(join(folder, first), 'utf8'), 'one');
    assert.equal(readFileSync(join(folder, second), 'utf8'), 'two');
    assert.deepEqual(readdirSync(folder).sort(), [second, first]);
  });

  test('atomic: while a 6 MB message is written, the folder never shows a partial .eml', async () => {
    const c = await start();
    const body = ('a'.repeat(998) + '\r\n').repeat(6 * 1024);
    const full = Buffer.from(message('big', body));
    const seen: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        for (const name of files(c)) if (name.endsWith('.eml')) seen.push(statSync(join(c.folder, name)).size);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const smtp = await RawSmtp.open(c.port);
    await smtp.begin();
    assert.equal((await smtp.data(full)).code, 250);
    smtp.close();
    polling = false;
    await poll;
    assert.ok(seen.length > 0, 'the poll never saw the file');
    assert.ok(seen.every((size) => size === full.length), `partial sizes seen: ${[...new Set(seen)].join(', ')}`);
    assert.deepEqual(files(c).filter((n) => !n.endsWith('.eml')), [], 'no temporary file is left behind');
  });
});

describe('test inbox: bad input gets the right reply and nothing is written', () => {
  test('oversized: SIZE is announced, a larger SIZE= is refused at MAIL, a larger message at its end (552)', async () => {
    const c = await start({ maxMessageBytes: 1000 });
    const smtp = await RawSmtp.open(c.port);
    const ehlo = await smtp.command('EHLO client.example');
    assert.match(ehlo.text, /SIZE 1000/);
    assert.equal((await smtp.command('MAIL FROM:<alice@example.com> SIZE=5000')).code, 552);
    await smtp.command('RSET');
    assert.equal((await smtp.begin()).code, 354);
    const reply = await smtp.data(message('too big', 'y'.repeat(70) + '\r\n').repeat(30));
    assert.equal(reply.code, 552, reply.text);
    // The connection stays usable, and a message within the limit is saved.
    assert.equal((await smtp.begin()).code, 354);
    assert.equal((await smtp.data(message('fits', 'small\r\n'))).code, 250);
    smtp.close();
    assert.deepEqual(received.map((m) => m.subject), ['fits']);
    assert.equal(files(c).length, 1);
  });

  test('bare LF in DATA: 550, nothing saved, and "\\n.\\n" does not end the data (no smuggling)', async () => {
    const c = await start();
    const smtp = await RawSmtp.open(c.port);
    assert.equal((await smtp.begin()).code, 354);
    // "\n.\n" is not the end of data: a second message smuggled behind it must not be seen as one.
    const reply = await smtp.data(message('bare', 'line one\nline two\n.\nMAIL FROM:<mallory@example.com>\r\n'));
    assert.equal(reply.code, 550, reply.text);
    assert.match(reply.text, /CRLF/);
    smtp.close();
    assert.deepEqual(files(c), []);
    assert.equal(c.count, 0);
  });

  test('8-bit data without BODY=8BITMIME: 554 and nothing saved; with it, saved', async () => {
    const c = await start();
    const smtp = await RawSmtp.open(c.port);
    assert.equal((await smtp.begin()).code, 354);
    const reply = await smtp.data(Buffer.from(message('eight', 'Grüße\r\n'), 'utf8'));
    assert.equal(reply.code, 554, reply.text);
    assert.match(reply.text, /8BITMIME/);
    assert.deepEqual(files(c), []);
    assert.equal((await smtp.begin(' BODY=8BITMIME')).code, 354);
    assert.equal((await smtp.data(Buffer.from(message('eight', 'Grüße\r\n'), 'utf8'))).code, 250);
    smtp.close();
    assert.equal(files(c).length, 1);
  });

  test('the connection drops mid-DATA: nothing written, no temporary file left', async () => {
    const c = await start();
    const smtp = await RawSmtp.open(c.port);
    assert.equal((await smtp.begin()).code, 354);
    smtp.write(message('dropped', 'half a message\r\n'.repeat(1000)));
    await new Promise((r) => setTimeout(r, 100));
    smtp.close();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(files(c), []);
    assert.equal(c.count, 0);
    // The inbox goes on working.
    const next = await RawSmtp.open(c.port);
    assert.equal((await next.begin()).code, 354);
    assert.equal((await next.data(message('after', 'ok\r\n'))).code, 250);
    next.close();
    assert.equal(files(c).length, 1);
  });

  test('the port is taken: starting fails with EADDRINUSE', async () => {
    const c = await start();
    await assert.rejects(startCatcher({ folder: join(root, 'taken'), port: c.port }), /EADDRINUSE/);
  });
});

describe('test inbox: AUTH and STARTTLS', () => {
  test('AUTH required when configured: none → 530, wrong password → 535, right one → saved', async () => {
    const c = await start({ auth: { user: 'dev', password: 'secret-1' } });
    const smtp = await RawSmtp.open(c.port);
    await smtp.command('EHLO client.example');
    assert.equal((await smtp.command('MAIL FROM:<alice@example.com>')).code, 530);
    smtp.close();
    const send = (pass: string) =>
      createTransport({ host: '127.0.0.1', port: c.port, auth: { user: 'dev', pass }, ignoreTLS: true }).sendMail({ envelope: { from: 'alice@example.com', to: ['bob@example.com'] }, raw: message('auth', 'hi\r\n') });
    await assert.rejects(send('wrong'), (e: { responseCode?: number }) => e.responseCode === 535);
    await send('secret-1');
    assert.equal(files(c).length, 1);
  });

  test('STARTTLS with the demo certificate: the message arrives over TLS', async () => {
    const c = await start({ tls: createDemoTlsCertificate() });
    const smtp = await RawSmtp.open(c.port);
    assert.match((await smtp.command('EHLO client.example')).text, /STARTTLS/);
    smtp.close();
    const transport = createTransport({ host: '127.0.0.1', port: c.port, requireTLS: true, tls: { rejectUnauthorized: false } });
    const info = await transport.sendMail({ envelope: { from: 'alice@example.com', to: ['bob@example.com'] }, raw: message('tls', 'over tls\r\n') });
    assert.match(String(info.response), /^250/);
    assert.equal(files(c).length, 1);
  });

  test('without TLS configured, STARTTLS is not offered', async () => {
    const c = await start();
    const smtp = await RawSmtp.open(c.port);
    assert.doesNotMatch((await smtp.command('EHLO client.example')).text, /STARTTLS/);
    smtp.close();
  });
});

