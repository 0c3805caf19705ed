/**
 * The before/after comparison against what real relays do to signed mail: each rewrite is simulated on a message
 * OpenSSL signed, and the comparison's "breaks the signature" answer is checked against OpenSSL's own verification
 * of the relayed message (an independent implementation), besides naming the rewrite.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareMessages, formatCompareReport, type CompareReport } from '../../../src/core/compare';
import { CRLF, entity, sampleMixedEntity, toLf, wrapMessage } from '../../helpers/mime';
import { opensslSigned, opensslVerify } from '../../helpers/openssl';
import { sharedTestPki, type TestPki } from '../../helpers/pki';

let pki: TestPki;
const env = { from: 'Alice <alice@example.com>', to: 'bob@example.com', subject: 'Relay test' };
const eightBitText = entity(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'], `Grüße aus Köln,${CRLF}the invoice is attached.${CRLF}`);

function signedMessage(content: Buffer, opaque = false): Buffer {
  return wrapMessage(env, opensslSigned(pki, pki.users.alice, content, { opaque }));
}

function replace(message: Buffer, from: string | RegExp, to: string): Buffer {
  const text = message.toString('latin1');
  const next = text.replace(from, to);
  assert.notEqual(next, text, `the simulated rewrite did not apply: ${from}`);
  return Buffer.from(next, 'latin1');
}

/** Quoted-printable (RFC 2045 §6.7) of 8-bit text, as a relay without 8BITMIME downgrades it (lines are short). */
function toQuotedPrintable(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += byte >= 0x80 || byte === 0x3d ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
  return out;
}

/** What a relay without 8BITMIME does to the signed 8bit part: re-encodes it as quoted-printable. */
function downgrade8bit(message: Buffer): Buffer {
  const text = message.toString('latin1');
  const utf8 = Buffer.from(text, 'latin1');
  const start = text.indexOf('Content-Transfer-Encoding: 8bit');
  const bodyStart = text.indexOf(CRLF + CRLF, start) + 4;
  const bodyEnd = text.indexOf('the invoice is attached.' + CRLF, bodyStart) + 'the invoice is attached.'.length + 2;
  const qp = toQuotedPrintable(utf8.subarray(bodyStart, bodyEnd));
  return Buffer.from(text.slice(0, start) + 'Content-Transfer-Encoding: quoted-printable' + text.slice(start + 31, bodyStart) + qp + text.slice(bodyEnd), 'latin1');
}

/** Re-wraps every base64 body line run from 76 to 64 characters, as some gateways do. */
function rewrapBase64(message: Buffer, attachmentOnly: boolean): Buffer {
  const text = message.toString('latin1');
  const marker = attachmentOnly ? 'filename="data.bin"' : 'filename="smime.p7s"';
  const start = text.indexOf(CRLF + CRLF, text.indexOf(marker)) + 4;
  const end = text.indexOf(CRLF + '--', start);
  const joined = text.slice(start, end).replace(/\r\n/g, '');
  const lines = joined.match(/.{1,64}/g) ?? [];
  return Buffer.from(text.slice(0, start) + lines.join(CRLF) + text.slice(end), 'latin1');
}

function kinds(report: CompareReport): string[] {
  return report.rewrites.map((r) => r.kind);
}

function assertAgreesWithOpenssl(after: Buffer, report: CompareReport): void {
  const openssl = opensslVerify(pki, after);
  assert.equal(report.breaksSignature, !openssl.ok, `OpenSSL says ${openssl.ok ? 'verifies' : 'fails'}: ${openssl.stderr.split('\n')[0]}; we say ${report.summary}`);
}

before(async () => {
  pki = await sharedTestPki();
});

describe('comparing a signed message before and after a relay', () => {
  test('identical bytes: nothing changed', () => {
    const message = signedMessage(eightBitText);
    const { report } = compareMessages(message, Buffer.from(message));
    assert.equal(report.identical, true);
    assert.equal(report.breaksSignature, false);
    assert.equal(report.integrity.before, 'intact');
    assert.deepEqual(report.rewrites, []);
  });

  test('CRLF to LF over the whole message: undone by canonicalisation, the signature survives', () => {
    const message = signedMessage(eightBitText);
    const after = toLf(message);
    const { report } = compareMessages(message, after);
    assert.equal(report.breaksSignature, false, report.summary);
    assert.equal(report.signedPartIdentical, true);
    assert.equal(report.integrity.after, 'intact');
    assert.ok(kinds(report).includes('line-endings'));
    assertAgreesWithOpenssl(after, report);
  });

  test('a header of the signed part refolded: breaks, named header-refolded, with its line', () => {
    const message = signedMessage(eightBitText);
    const after = replace(message, 'Content-Type: text/plain; charset=utf-8', 'Content-Type: text/plain;\r\n\tcharset=utf-8');
    const { report } = compareMessages(message, after);
    assert.equal(report.breaksSignature, true);
    assert.deepEqual(kinds(report).filter((k) => k !== 'outer-headers'), ['header-refolded']);
    const line = message.toString('latin1').split(CRLF).indexOf('Content-Type: text/plain; charset=utf-8') + 1;
    assert.equal(report.rewrites[0].lineBefore, line);
    assert.equal(report.firstDifference?.lineBefore, line);
    assert.equal(report.integrity.after, 'broken');
    assertAgreesWithOpenssl(after, report);
  });

  test('8bit re-encoded as quoted-printable by a relay without 8BITMIME: breaks, named transfer-reencoded', () => {
    const message = signedMessage(eightBitText);
    const after = downgrade8bit(message);
    const { report } = compareMessages(message, after);
    assert.equal(report.breaksSignature, true);
    assert.deepEqual(kinds(report), ['transfer-reencoded']);
    assert.match(report.rewrites[0].detail, /8bit to quoted-printable/);
    assertAgreesWithOpenssl(after, report);
  });

  test('a base64 attachment re-wrapped to 64 columns: breaks, named base64-rewrapped', () => {
    const message = signedMessage(sampleMixedEntity());
    const after = rewrapBase64(message, true);
    const { report } = compareMessages(message, after);
    assert.equal(report.breaksSignature, true);
    assert.deepEqual(kinds(report), ['base64-rewrapped']);
    assert.match(report.rewrites[0].detail, /76 → 64/);
    assertAgreesWithOpenssl(after, report);
  });

  test('the signature part re-wrapped: harmless, the signature survives', () => {
    const message = signedMessage(eightBitText);
    const after = rewrapBase64(message, false);
    const { report } = compareMessages(message, after);
    assert.equal(report.breaksSignature, false, report.summary);
    assert.deepEqual(kinds(report), ['signature-rewrapped']);
    assertAgreesWithOpenssl(after, report);
  });

  test('a footer appended to the signed text: breaks, named footer-added with the text', () => {
    const message = signedMessage(eightBitText);
    const after = replace(message, `the invoice is attached.${CRLF}`, `the invoice is attached.${CRLF}--${CRLF}Scanned by MailGuard${CRLF}`);
    const { report } = compareMessages(message, after);
    assert.equal(report.breaksSignature, true);
    assert.deepEqual(kinds(report), ['footer-added']);
    assert.match(report.rewrites[0].detail, /Scanned by MailGuard/);
    assertAgreesWithOpenssl(after, report);
  });

  test('headers outside the signature (Received added, Subject tagged): harmless', () => {
    const message = signedMessage(eightBitText);
    const after = Buffer.concat([Buffer.from(`Received: from relay.example.com by mx.example.org;${CRLF} Thu, 3 Dec 2026 08:00:00 +0000${CRLF}`), replace(message, 'Subject: Relay test', 'Subject: [EXTERNAL] Relay test')]);
    const { report } = compareMessages(message, after);
    assert.equal(report.breaksSignature, false, report.summary);
    assert.deepEqual(kinds(report), ['outer-headers']);
    assert.match(report.rewrites[0].detail, /received added/i);
    assert.match(report.rewrites[0].detail, /subject changed/i);
    assertAgreesWithOpenssl(after, report);
  });

  test('trailing spaces stripped from a signed line: breaks, named trailing-whitespace', () => {
    const content = entity(['Content-Type: text/plain; charset=us-ascii'], `Signed text with a trailing space ${CRLF}second line${CRLF}`);
    const message = signedMessage(content);
    const after = replace(message, `trailing space ${CRLF}`, `trailing space${CRLF}`);
    const { report } = compareMessages(message, after);
    assert.equal(report.breaksSignature, true);
    assert.deepEqual(kinds(report), ['trailing-whitespace']);
    assertAgreesWithOpenssl(after, report);
  });

  test('opaque signed-data re-wrapped by a relay: the content is inside the CMS, the signature survives', () => {
    const message = signedMessage(eightBitText, true);
    const after = rewrapBase64(Buffer.from(message.toString('latin1').replace('filename="smime.p7m"', 'filename="smime.p7s"'), 'latin1'), false);
    const { report } = compareMessages(message, after);
    assert.equal(report.form, 'opaque');
    assert.equal(report.breaksSignature, false, report.summary);
    assert.equal(report.integrity.after, 'intact');
  });

  test('an unsigned message: nothing to break, said plainly', () => {
    const plain = wrapMessage(env, eightBitText);
    const { report } = compareMessages(plain, toLf(plain));
    assert.equal(report.form, 'none');
    assert.equal(report.breaksSignature, false);
    assert.match(report.summary, /not signed/);
  });

  test('the text report names each change and marks what breaks', () => {
    const message = signedMessage(eightBitText);
    const after = downgrade8bit(replace(message, 'Subject: Relay test', 'Subject: [EXT] Relay test'));
    const text = formatCompareReport(compareMessages(message, after).report, { before: 'sent.eml', after: 'received.eml' });
    assert.match(text, /BREAKS {2}transfer-reencoded/);
    assert.match(text, /ok {6}outer-headers/);
    assert.match(text, /First difference: line \d+ before/);
  });

  test('1 MB of one repeated character on either side stays fast (linear passes only)', () => {
    const message = signedMessage(eightBitText);
    for (const junk of [Buffer.alloc(1 << 20, 0x20), Buffer.alloc(1 << 20, 0x0a), Buffer.alloc(1 << 20, 0x3d)]) {
      const started = performance.now();
      compareMessages(message, junk);
      compareMessages(junk, message);
      const body = Buffer.concat([message.subarray(0, message.indexOf('the invoice')), junk, message.subarray(message.indexOf('the invoice'))]);
      compareMessages(message, body);
      assert.ok(performance.now() - started < 5000, `took ${performance.now() - started} ms`);
    }
  });
});
