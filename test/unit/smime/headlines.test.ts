/**
 * What the one-line verdict says when a file is not a message, when a message was cut short, and when the signed
 * part of a partly signed message has a broken signature: the first cause, in words a reader can act on.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import { buildViewModel } from '../../../src/extension/viewModel';
import { replaceOnce } from '../../helpers/mime';
import { sampleMessages, type SampleMessages } from '../extension/sampleMessages';

let s: SampleMessages;
before(async () => {
  s = await sampleMessages();
});

const view = (message: Buffer) => buildViewModel(analyzeMessage(message, s.trust), { fileName: 'x.eml', styleNonce: 'n' });

describe('not a MIME message', () => {
  const png = readFileSync('media/screenshots/certificate.png');
  const cases: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /the file is empty/],
    ['blank lines only', Buffer.from('\r\n\r\n  \n'), /only blank lines/],
    ['a PNG renamed to .eml', png, /this file is a PNG image, not a MIME message/],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n', 'latin1'), /a PDF document/],
    ['binary with NUL bytes', Buffer.concat([Buffer.from('Subject: x\r\n\r\n'), Buffer.alloc(64, 0)]), /binary data \(NUL bytes\)/],
    ['text without header fields', Buffer.from('just some notes\nnothing else\n'), /no header fields at the start/],
  ];
  for (const [what, bytes, message] of cases) {
    test(`${what}: verdict error, "Not a MIME message" at the top, no body shown`, () => {
      const report = analyzeMessage(bytes);
      assert.equal(report.report.verdict, 'error');
      assert.deepEqual(report.report.messageReasons.filter((r) => r.code === 'not-mime').length, 1);
      assert.match(report.report.summary, /^Not a MIME message: /);
      assert.match(report.report.summary, message);
      const v = view(bytes);
      assert.equal(v.summary.title, 'Not a MIME message');
      assert.equal(v.summary.tone, 'error');
      assert.deepEqual([v.bodies.length, v.attachments.length], [0, 0]);
    });
  }

  test('real messages are not flagged, and 1 MB of one character is judged in linear time', () => {
    for (const m of [s.valid, s.encrypted, s.partial, Buffer.from('Subject: hi\r\n\r\nbody\r\n')]) {
      assert.ok(!analyzeMessage(m).report.messageReasons.some((r) => r.code === 'not-mime'));
    }
    for (const ch of ['a', '\n', ' ', ':']) {
      const started = performance.now();
      const report = analyzeMessage(Buffer.alloc(1024 * 1024, ch)).report;
      assert.ok(performance.now() - started < 2000, `1 MB of ${JSON.stringify(ch)}`);
      assert.ok(['error', 'unsigned'].includes(report.verdict));
    }
  });
});

describe('cut short or malformed', () => {
  test('a detached signature cut short: the headline names the missing close boundary, not a DER length', () => {
    const cut = s.valid.subarray(0, Math.floor(s.valid.length * 0.8));
    const report = analyzeMessage(cut, s.trust).report;
    assert.equal(report.verdict, 'invalid');
    assert.match(report.summary, /cut short or malformed: close delimiter "[^"]+" not found \(part 1\)/);
    assert.doesNotMatch(report.summary, /runs past the end/);
  });
});

describe('partly signed', () => {
  test('when the signed part\'s own signature is broken the headline says so', () => {
    const tampered = replaceOnce(s.partial, 'Amount: 100 EUR', 'Amount: 900 EUR');
    const report = analyzeMessage(tampered, s.trust).report;
    assert.equal(report.verdict, 'unsigned');
    assert.match(report.summary, /is signed by alice@example\.com, but that signature is invalid \(.*digest.*\); the rest of the message is not signed/);
    const v = view(tampered);
    assert.equal(v.summary.title, 'Only part of the message is signed, and that signature is broken');
    assert.equal(v.summary.tone, 'error');
    // With the signed part intact the headline stays the partial-signing warning.
    assert.equal(view(s.partial).summary.title, 'Only part of the message is signed');
  });
});
