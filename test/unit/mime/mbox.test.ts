/**
 * Splitting mbox archives: messages come back byte for byte as they were before the archive's writer quoted them,
 * however the archive is cut into chunks, in linear time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MboxSplitter, looksLikeMbox, splitMbox } from '../../../src/core/mime/mbox';

const m1 = 'From: a@example.com\r\nSubject: one\r\n\r\nFrom the start of a line\r\n>From quoted already\r\nend\r\n';
const m2 = 'From: b@example.com\r\nSubject: two\r\n\r\n\r\nbody after an empty line\r\n\r\n';
/** mboxrd: every "From " line, quoted or not, gets one more ">". */
function quote(message: string): string {
  return message.replace(/^(>*From )/gm, '>$1');
}
const archive = `From a@example.com Thu Dec  3 07:00:00 2026\n${quote(m1)}\nFrom b@example.com Thu Dec  3 07:01:00 2026\n${quote(m2)}\n`;

function split(data: Buffer, chunk: number): string[] {
  const s = new MboxSplitter();
  const out = [];
  for (let i = 0; i < data.length; i += chunk) out.push(...s.push(data.subarray(i, i + chunk)));
  out.push(...s.end());
  return out.map((m) => m.bytes.toString('latin1'));
}

describe('mbox archives', () => {
  test('each message comes back unquoted, without the separator and the empty line after it', () => {
    const messages = splitMbox(Buffer.from(archive, 'latin1'));
    assert.deepEqual(messages.map((m) => m.bytes.toString('latin1')), [m1, m2]);
    assert.deepEqual(messages.map((m) => m.index), [1, 2]);
    assert.equal(messages[1].envelope, 'From b@example.com Thu Dec  3 07:01:00 2026');
  });

  test('the same messages whatever the chunk size (a line, a separator or a CRLF cut anywhere)', () => {
    const data = Buffer.from(archive, 'latin1');
    for (const chunk of [1, 2, 3, 5, 7, 64, data.length]) assert.deepEqual(split(data, chunk), [m1, m2], `chunks of ${chunk}`);
  });

  test('a "From " line not after an empty line is body (an unquoted mboxo line does not cut the message)', () => {
    const text = 'From x Thu Dec  3 07:00:00 2026\nSubject: a\n\nline\nFrom inside the body\nmore\n\nFrom y Thu Dec  3 07:00:00 2026\nSubject: b\n\nz\n';
    const messages = splitMbox(Buffer.from(text));
    assert.equal(messages.length, 2);
    assert.equal(messages[0].bytes.toString(), 'Subject: a\n\nline\nFrom inside the body\nmore\n');
    assert.equal(messages[1].bytes.toString(), 'Subject: b\n\nz\n');
  });

  test('text before the first separator is skipped and counted; not an mbox gives nothing', () => {
    const s = new MboxSplitter();
    const out = [...s.push(Buffer.from(`garbage\n${archive}`, 'latin1')), ...s.end()];
    assert.equal(out.length, 2);
    assert.equal(s.skippedBytes, 8);
    assert.deepEqual(splitMbox(Buffer.from('Subject: x\r\n\r\nbody\r\n')), []);
    assert.equal(looksLikeMbox(Buffer.from('From x')), true);
    assert.equal(looksLikeMbox(Buffer.from('From: x')), false);
    assert.equal(looksLikeMbox(Buffer.from('Fro')), false);
  });

  test('linear time on 1 MB of one repeated character, in small chunks', () => {
    for (const ch of ['>', 'F', '\n', ' ', 'a']) {
      const data = Buffer.concat([Buffer.from('From x Thu Dec  3 07:00:00 2026\n'), Buffer.alloc(1 << 20, ch)]);
      const started = performance.now();
      const messages = split(data, 4096);
      const ms = performance.now() - started;
      assert.equal(messages.length, 1, JSON.stringify(ch));
      assert.ok(ms < 1000, `${JSON.stringify(ch)}: ${ms.toFixed(0)} ms`);
    }
  });
});
