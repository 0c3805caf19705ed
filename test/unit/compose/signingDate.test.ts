/**
 * Date is refreshed to the signing time when asked (the extension's Sign command always asks), so a draft signed
 * long after it was written never shows a signing time far from Date to its readers.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_HEADER_BYTES } from '../../../src/core/mime/limits';
import { parseMessage } from '../../../src/core/mime/parser';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import { prepareMessage, signMessage, type SignerIdentity } from '../../../src/core/smime/compose';
import { rfc5322Date, withSigningDate } from '../../../src/core/smime/compose/signingDate';
import type { Certificate } from '../../../src/core/x509/certificate';
import { sharedTestPki, type TestPki } from '../../helpers/pki';
import { certificatesIn, identityFrom } from '../../helpers/certFiles';

let pki: TestPki;
let anchors: Certificate[];
let alice: SignerIdentity;
const OLD_DATE = 'Mon, 01 Jan 2024 09:00:00 +0000';
const NOW = new Date('2026-12-03T07:45:28Z');

function draft(date: string | null, eol = '\r\n'): Buffer {
  const lines = ['From: Alice <alice@example.com>', 'To: bob@example.com', 'Subject: draft', ...(date ? [`Date: ${date}`] : []), 'Content-Type: text/plain', '', 'hello', ''];
  return Buffer.from(lines.join(eol));
}

const dateFields = (message: Buffer) => parseMessage(message).root.headers.filter((h) => h.key === 'date').map((h) => h.value);

before(async () => {
  pki = await sharedTestPki();
  anchors = certificatesIn([pki.root.cert]).certs;
  const user = pki.users.alice;
  alice = { ...identityFrom({ certPath: user.cert, keyPath: user.key }), chain: certificatesIn([user.chain]).certs };
});

describe('withSigningDate', () => {
  test('replaces Date in place and leaves every other byte as it was', () => {
    const input = draft(OLD_DATE);
    const out = withSigningDate(input, NOW).input;
    assert.equal(out.toString(), input.toString().replace(OLD_DATE, 'Thu, 03 Dec 2026 07:45:28 +0000'));
  });
  test('adds Date when there is none, with the input line endings', () => {
    const out = withSigningDate(draft(null, '\n'), NOW).input.toString();
    assert.ok(out.startsWith('Date: Thu, 03 Dec 2026 07:45:28 +0000\nFrom:'), out);
    assert.ok(!out.includes('\r'));
  });
  test('keeps one Date field when there were several', () => {
    const input = Buffer.from(`Date: ${OLD_DATE}\r\n` + draft(OLD_DATE).toString());
    assert.deepEqual(dateFields(withSigningDate(input, NOW).input), [rfc5322Date(NOW)]);
  });
});

describe('signing refreshes Date', () => {
  test('with refreshDate the signed message has Date = signing time and verifies without a signing-time warning', () => {
    const result = signMessage({ input: draft(OLD_DATE), signer: alice, refreshDate: true });
    const [date] = dateFields(result.message);
    assert.ok(Math.abs(new Date(date).getTime() - Date.now()) < 60_000, date);
    assert.match(result.preflight[0].change, /^Date "Mon, 01 Jan 2024 09:00:00 \+0000" -> /);
    assert.ok(!result.warnings.some((w) => w.code === 'date-mismatch'));
    const report = analyzeMessage(result.message, { anchors }).report;
    assert.equal(report.verdict, 'valid', report.summary);
    assert.ok(!report.reasons.includes('signing-time-mismatch'), report.reasons.join());
  });
  test('without it the old Date stays, the signer is warned and the reader flags the signing time', () => {
    const result = signMessage({ input: draft(OLD_DATE), signer: alice });
    assert.deepEqual(dateFields(result.message), [OLD_DATE]);
    assert.ok(result.warnings.some((w) => w.code === 'date-mismatch'));
    assert.ok(analyzeMessage(result.message, { anchors }).report.reasons.includes('signing-time-mismatch'));
  });
  test('with header protection the protected copy carries the new Date too', () => {
    const result = signMessage({ input: draft(OLD_DATE), signer: alice, refreshDate: true, protectHeaders: true, now: NOW });
    const text = result.message.toString('latin1');
    assert.equal(text.split(`Date: ${rfc5322Date(NOW)}`).length - 1, 2, text);
    assert.ok(!text.includes(OLD_DATE));
    // What we write under header protection verifies with nothing to report about the protected fields.
    const report = analyzeMessage(result.message, { anchors, at: NOW }).report;
    assert.equal(report.verdict, 'valid', report.summary);
    assert.ok(!report.reasons.includes('header-protection-mismatch'), report.reasons.join());
  });
});

describe('no Date stalls signing', () => {
  // Just under the MIME reader's header limit (MAX_HEADER_BYTES), so the field is read, not cut off.
  const NEAR_MB = Number(process.env.SMIME_LONG_FIELD ?? MAX_HEADER_BYTES - 4096);
  for (const ch of [' ', '(', 'a']) {
    test(`a Date of almost 1 MB of ${JSON.stringify(ch)}`, () => {
      const input = draft(`${ch.repeat(NEAR_MB)}x`);
      const t0 = performance.now();
      const prepared = prepareMessage(input);
      const ms = performance.now() - t0;
      assert.equal(prepared.date, null);
      assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
    });
  }
});
