import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, headerValue, headersOf } from '../../../src/core/mime/index';
import { assertLayout, crlf } from './mimeTestUtil';

test('RFC 2047 encoded words are decoded, whitespace between adjacent words dropped (§6.2)', () => {
  const msg = parseMessage(crlf('Subject: =?utf-8?B?w6TDtsO8?= =?iso-8859-1?Q?_=E9t=E9?= plain\nFrom: =?UTF-8?Q?J=C3=BCrgen?= <j@example.com>\n\n'));
  assert.equal(headerValue(msg.root, 'subject'), 'äöü été plain');
  assert.equal(headerValue(msg.root, 'from'), 'Jürgen <j@example.com>');
  assert.equal(headersOf(msg.root, 'subject')[0].rawValue, '=?utf-8?B?w6TDtsO8?= =?iso-8859-1?Q?_=E9t=E9?= plain');
});

test('malformed encoded words never throw and keep the header readable', () => {
  const msg = parseMessage(crlf('Subject: =?utf-8?B?***?= a =?no-such-charset?Q?abc?= b =?utf-8?Q?unterminated\nX: =?=?=?\n\n'));
  assert.equal(typeof headerValue(msg.root, 'subject'), 'string');
  assert.match(headerValue(msg.root, 'subject')!, /a .*b =\?utf-8\?Q\?unterminated/);
  assert.equal(headerValue(msg.root, 'x'), '=?=?=?');
});

test('RFC 2231 parameter continuations and charset/language values', () => {
  const msg = parseMessage(crlf(`Content-Type: multipart/mixed; boundary=b

--b
Content-Type: application/octet-stream;
 name*=iso-8859-1'fr'%E9t%E9.txt
Content-Disposition: ATTACHMENT;
 filename*0*=utf-8'de'%C3%A4rger;
 filename*1*=%20und%20mehr;
 filename*2=".txt"

x
--b
Content-Type: application/octet-stream; name*=iso-8859-1'fr'%E9t%E9.txt

y
--b
Content-Type: text/plain; name="=?utf-8?B?w6Q=?=.txt"; CHARSET="UTF-8"

z
--b--
`));
  assertLayout(msg);
  const [first, second, third] = msg.root.children;
  assert.equal(first.filename, 'ärger und mehr.txt');
  assert.equal(first.disposition, 'attachment');
  assert.equal(first.contentType.params.name, 'été.txt');
  assert.equal(second.filename, 'été.txt');
  assert.equal(third.filename, 'ä.txt');
  assert.equal(third.charset, 'utf-8');
});

test('8-bit header bytes: UTF-8 is read as UTF-8 (RFC 6532), anything else as latin1 with a warning', () => {
  const utf8 = parseMessage(Buffer.concat([Buffer.from('Subject: Gr'), Buffer.from('üße', 'utf8'), Buffer.from('\r\n\r\n')]));
  assert.equal(headerValue(utf8.root, 'subject'), 'Grüße');
  assert.equal(headersOf(utf8.root, 'subject')[0].rawValue, Buffer.from('Grüße', 'utf8').toString('latin1'));
  assert.deepEqual(utf8.warnings, []);
  const latin = parseMessage(Buffer.from('Subject: Gr\xfc\xdfe\r\n\r\n', 'latin1'));
  assert.equal(headerValue(latin.root, 'subject'), 'Grüße');
  assert.deepEqual(latin.warnings.map((w) => w.code), ['header-8bit-not-utf8']);
});

test('folded fields are unfolded; repeated fields are all kept in order', () => {
  const text = 'Received: from a\n  by b;\n\tMon, 1 Jan 2024\nReceived: from c\nSubject: one\n  two\nX-Empty:\nName Space : v\n\n';
  const msg = parseMessage(crlf(text));
  assert.deepEqual(headersOf(msg.root, 'received').map((f) => f.value), ['from a  by b;\tMon, 1 Jan 2024', 'from c']);
  assert.equal(headerValue(msg.root, 'subject'), 'one  two');
  assert.equal(headerValue(msg.root, 'x-empty'), '');
  const first = msg.root.headers[0];
  assert.equal(msg.source.toString('latin1', first.start, first.end), 'Received: from a\r\n  by b;\r\n\tMon, 1 Jan 2024\r\n');
  assert.equal(msg.root.headers[1].line, 4);
  // "Name Space : v" has a space inside the name: not a field, so the body starts there.
  assert.deepEqual(msg.warnings.map((w) => w.code), ['missing-header-separator']);
});

test('obsolete whitespace before the colon is accepted (RFC 5322 §4.5, obs-optional)', () => {
  const msg = parseMessage(crlf('Subject  : spaced\n\n'));
  assert.equal(headerValue(msg.root, 'subject'), 'spaced');
  assert.equal(msg.root.headers[0].name, 'Subject');
});

test('a folded line that lost its whitespace stays in its field when more fields follow', () => {
  const msg = parseMessage(crlf('To: a@example.com\nX-Long: part one\npart two\nSubject: after\n\nbody\n'));
  assert.equal(headerValue(msg.root, 'subject'), 'after');
  assert.equal(headerValue(msg.root, 'x-long'), 'part onepart two');
  assert.deepEqual(msg.warnings.map((w) => w.code), ['header-broken-fold']);
  const noFields = parseMessage(crlf('To: a@example.com\nnot a header\n\nbody\n'));
  assert.deepEqual(noFields.warnings.map((w) => w.code), ['missing-header-separator']);
});

test('content type, transfer encoding and disposition are normalised', () => {
  const msg = parseMessage(crlf('Content-Type: Text/HTML ; Charset="ISO-8859-1"\nContent-Transfer-Encoding: Quoted-Printable (comment)\nContent-Disposition: Inline\n\n'));
  assert.equal(msg.root.contentType.mimeType, 'text/html');
  assert.equal(msg.root.charset, 'iso-8859-1');
  assert.equal(msg.root.transferEncoding, 'quoted-printable');
  assert.equal(msg.root.disposition, 'inline');
  assert.equal(msg.root.contentType.defaulted, false);
});

test('invalid and duplicate Content-Type fields: RFC 2045 §5.2 default and first-wins, with warnings', () => {
  const invalid = parseMessage(crlf('Content-Type: text\n\nx'));
  assert.equal(invalid.root.contentType.mimeType, 'text/plain');
  assert.equal(invalid.root.contentType.defaulted, true);
  assert.deepEqual(invalid.warnings.map((w) => w.code), ['invalid-content-type']);
  const duplicate = parseMessage(crlf('Content-Type: text/html\nContent-Type: text/plain\n\nx'));
  assert.equal(duplicate.root.contentType.mimeType, 'text/html');
  assert.deepEqual(duplicate.warnings.map((w) => w.code), ['duplicate-header']);
});

test('an 8-bit boundary is matched byte for byte', () => {
  const msg = parseMessage(Buffer.from('Content-Type: multipart/mixed; boundary="b\xe4r"\r\n\r\n--b\xe4r\r\n\r\none\r\n--b\xe4r--\r\n', 'latin1'));
  assertLayout(msg);
  assert.equal(msg.root.children.length, 1);
  assert.equal(msg.root.multipart?.closed, true);
});
