/**
 * One reading only: a multipart/signed that is not exactly "content, then S/MIME signature" (RFC 1847 §2.1), and
 * MIME headers that other readers take differently, make a message invalid even when the signature verifies.
 * Each attack is built around a signature OpenSSL makes at test time over the exact content bytes, so without the
 * structure checks every one of them would be reported valid (the control case shows that it is).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import type { SecurityReport } from '../../../src/core/smime/report';
import type { Certificate } from '../../../src/core/x509/certificate';
import { base64Lines, CRLF, entity, sampleTextEntity, wrapMessage } from '../../helpers/mime';
import { opensslSignDer, opensslSigned } from '../../helpers/openssl';
import { sharedTestPki, type TestPki } from '../../helpers/pki';
import { certificatesIn } from '../../helpers/certFiles';
import { asSigned } from '../../helpers/report';

const BOUNDARY = 'sig-b';
const TYPE = `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${BOUNDARY}"`;

let pki: TestPki;
let anchors: Certificate[];

function signaturePart(content: Buffer, type = 'application/pkcs7-signature'): Buffer {
  const der = opensslSignDer(pki, pki.users.alice, content);
  return entity([`Content-Type: ${type}; name="smime.p7s"`, 'Content-Transfer-Encoding: base64'], base64Lines(der));
}

interface Shape {
  /** Header lines of the multipart/signed entity (the Content-Type and anything around it). */
  headers?: string[];
  parts: Buffer[];
  boundary?: string;
  close?: boolean;
  preamble?: string;
}

function message(shape: Shape): Buffer {
  const b = shape.boundary ?? BOUNDARY;
  const chunks: Buffer[] = [Buffer.from((shape.headers ?? [TYPE]).join(CRLF) + CRLF + CRLF + (shape.preamble ?? ''))];
  for (const part of shape.parts) chunks.push(Buffer.from(`--${b}${CRLF}`), part, Buffer.from(CRLF));
  if (shape.close !== false) chunks.push(Buffer.from(`--${b}--${CRLF}`));
  return wrapMessage({ from: `Alice <${pki.users.alice.email}>`, to: pki.users.bob.email, subject: 'structure' }, Buffer.concat(chunks));
}

function analyze(bytes: Buffer): SecurityReport {
  return analyzeMessage(bytes, { anchors }).report;
}

function assertInvalid(report: SecurityReport, code: string, text?: RegExp): void {
  assert.equal(report.verdict, 'invalid', report.summary);
  assert.ok(report.reasons.includes(code as never), `${code} not in ${report.reasons.join(',')}`);
  if (text) {
    const all = [...report.messageReasons, ...report.layers.flatMap((l) => l.reasons)].map((r) => r.message).join(' | ');
    assert.match(all, text);
  }
}

before(async () => {
  pki = await sharedTestPki();
  anchors = certificatesIn([pki.root.cert]).certs;
});

describe('multipart/signed shape (RFC 1847 §2.1)', () => {
  test('control: content plus signature, protocol and close delimiter in place, is valid', () => {
    const content = sampleTextEntity();
    const report = analyze(message({ parts: [content, signaturePart(content)] }));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.deepEqual(report.messageReasons, []);
  });

  test('a third part after the signature makes it invalid', () => {
    const content = sampleTextEntity();
    const extra = entity(['Content-Type: text/html'], '<b>Pay 9000 EUR instead</b>\r\n');
    const report = analyze(message({ parts: [content, signaturePart(content), extra] }));
    assertInvalid(report, 'malformed', /has 3 part\(s\); it must have exactly two/);
    assert.equal(asSigned(report.layers[0]).checks.find((c) => c.id === 'structure')?.status, 'fail');
  });

  test('a single part (no signature part) is invalid', () => {
    const report = analyze(message({ parts: [sampleTextEntity()] }));
    assertInvalid(report, 'malformed', /has 1 part\(s\)/);
  });

  test('without a protocol parameter it is invalid, though the second part is a signature', () => {
    const content = sampleTextEntity();
    const headers = [`Content-Type: multipart/signed; micalg=sha-256; boundary="${BOUNDARY}"`];
    const report = analyze(message({ headers, parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'malformed', /has no protocol parameter/);
  });

  test('a signature part not labelled with the protocol type is invalid', () => {
    const content = sampleTextEntity();
    const report = analyze(message({ parts: [content, signaturePart(content, 'application/octet-stream')] }));
    assertInvalid(report, 'malformed', /second part is application\/octet-stream/);
  });

  test('without the close delimiter it is invalid', () => {
    const content = sampleTextEntity();
    const report = analyze(message({ parts: [content, signaturePart(content)], close: false }));
    assertInvalid(report, 'malformed', /no close delimiter/);
  });
});

describe('parser differentials are refused (ambiguous-content)', () => {
  test('a second Content-Type after the multipart/signed one', () => {
    const content = sampleTextEntity();
    const report = analyze(message({ headers: [TYPE, 'Content-Type: text/plain'], parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /2 Content-Type fields/);
  });

  test('a Content-Type before the multipart/signed one (we read text/plain, others the signature)', () => {
    const content = sampleTextEntity();
    const report = analyze(message({ headers: ['Content-Type: text/plain', TYPE], parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /2 Content-Type fields/);
  });

  test('two Content-Transfer-Encoding fields in the signed part', () => {
    const content = entity(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', 'Content-Transfer-Encoding: base64'], 'UGF5IDEwMCBFVVI=\r\n');
    const report = analyze(message({ parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /part 1\.1 .*2 Content-Transfer-Encoding fields/);
  });

  test('boundary given plainly and as RFC 2231 continuations', () => {
    const content = sampleTextEntity();
    const headers = [`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="decoy"; boundary*0="sig-"; boundary*1="b"`];
    const report = analyze(message({ headers, parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /boundary is given both plainly and as RFC 2231 continuations/);
  });

  test('boundary given twice', () => {
    const content = sampleTextEntity();
    const headers = [`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary="decoy"; micalg=sha-256; boundary="${BOUNDARY}"`];
    const report = analyze(message({ headers, parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /boundary is given more than once/);
  });

  test('RFC 2231 boundary sections with a gap', () => {
    const content = sampleTextEntity();
    const headers = [`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary*0="sig-"; boundary*2="b"`];
    const report = analyze(message({ headers, parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /boundary lacks RFC 2231 section 1/);
  });

  test('a boundary whose quoted string is never closed', () => {
    const content = sampleTextEntity();
    const headers = [`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${BOUNDARY}`];
    const report = analyze(message({ headers, parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /never closed/);
  });

  test('a comment that hides a parameter', () => {
    const content = sampleTextEntity();
    const headers = [`Content-Type: multipart/signed; protocol="application/pkcs7-signature" (; boundary=decoy); micalg=sha-256; boundary="${BOUNDARY}"`];
    const report = analyze(message({ headers, parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /comment holds parameter syntax/);
  });

  test('an unquoted protocol with white space in it', () => {
    const content = sampleTextEntity();
    const headers = [`Content-Type: multipart/signed; protocol=application/pkcs7-signature x; micalg=sha-256; boundary="${BOUNDARY}"`];
    const report = analyze(message({ headers, parts: [content, signaturePart(content)] }));
    assert.notEqual(report.verdict, 'valid', report.summary);
    assertInvalid(report, 'ambiguous-content', /protocol: an unquoted value holds white space/);
  });

  test('"multipart/signed junk": lenient readers see a signature, RFC 2045 §5.2 says text/plain', () => {
    const content = sampleTextEntity();
    const headers = [`Content-Type: multipart/signed junk; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${BOUNDARY}"`];
    const report = analyze(message({ headers, parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /reads as multipart\/signed to lenient readers/);
  });

  test('a transfer encoding outside RFC 2045 §6.1 on the signed part', () => {
    const content = entity(['Content-Type: text/plain', 'Content-Transfer-Encoding: x-uuencode'], 'begin 644 a\r\n`\r\nend\r\n');
    const report = analyze(message({ parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /x-uuencode/);
  });

  test('a nested multipart whose boundary starts with the enclosing one', () => {
    const inner = `${BOUNDARY}-inner`;
    const content = entity([`Content-Type: multipart/mixed; boundary="${inner}"`], `--${inner}\r\nContent-Type: text/plain\r\n\r\nPay 100 EUR\r\n--${inner}--\r\n`);
    const report = analyze(message({ parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /start alike/);
  });

  test('a preamble line that starts with the delimiter and goes on (a delimiter to prefix-matching readers)', () => {
    const content = sampleTextEntity();
    const preamble = `--${BOUNDARY} x${CRLF}Content-Type: text/html${CRLF}${CRLF}<b>Pay 9000 EUR instead</b>${CRLF}`;
    const report = analyze(message({ preamble, parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /goes on with other text/);
  });

  test('white space before the colon of Content-Type (RFC 5322 §4.5.3 obsolete syntax)', () => {
    const content = sampleTextEntity();
    const report = analyze(message({ headers: [TYPE.replace('Content-Type:', 'Content-Type :')], parts: [content, signaturePart(content)] }));
    assertInvalid(report, 'ambiguous-content', /white space between Content-Type and its colon/);
  });

  test('an opaque signature labelled smime-type=enveloped-data', () => {
    const signed = opensslSigned(pki, pki.users.alice, sampleTextEntity(), { opaque: true });
    const relabelled = Buffer.from(signed.toString('latin1').replace('smime-type=signed-data', 'smime-type=enveloped-data'), 'latin1');
    const envelope = { from: `Alice <${pki.users.alice.email}>`, to: pki.users.bob.email, subject: 'label' };
    assert.equal(analyze(wrapMessage(envelope, signed)).verdict, 'valid');
    assertInvalid(analyze(wrapMessage(envelope, relabelled)), 'ambiguous-content', /labelled smime-type=enveloped-data but holds signed-data/);
  });

  test('the summary says why the message is refused', () => {
    const content = sampleTextEntity();
    const report = analyze(message({ headers: [TYPE, 'Content-Type: text/plain'], parts: [content, signaturePart(content)] }));
    assert.match(report.summary, /^Invalid: the message can be read more than one way/);
  });
});
