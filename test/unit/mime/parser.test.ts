import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, findEntity, walk, entityBytes, bodyBytes, headerValue, headersOf, decodeBody, entityRanges } from '../../../src/core/mime/index';
import { assertLayout, crlf, lf, mixed, summarize, textOf } from './mimeTestUtil';

const NESTED = `From: a@example.com
To: b@example.com
Subject: nested
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

This is the preamble. --outer in running text is not a delimiter.
--outerX is not one either, nor is --outer-- followed by text.

--outer
Content-Type: text/plain; charset=us-ascii

Hello.
--outer
Content-Type: message/rfc822

From: c@example.com
Subject: inner
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain

inner plain
--inner
Content-Type: text/html

<p>inner html</p>
--inner--
--outer \t
Content-Type: application/octet-stream; name="a.bin"
Content-Transfer-Encoding: base64

AAECAw==
--outer--
epilogue text
`;

test('parses nested multipart with message/rfc822 into paths, types and bodies', () => {
  const msg = parseMessage(crlf(NESTED));
  assertLayout(msg);
  const tree = [...walk(msg.root)].map((e) => `${e.path} ${e.contentType.mimeType}`);
  assert.deepEqual(tree, ['1 multipart/mixed', '1.1 text/plain', '1.2 message/rfc822', '1.2.1 multipart/alternative', '1.2.1.1 text/plain', '1.2.1.2 text/html', '1.3 application/octet-stream']);
  assert.equal(msg.entityCount, 7);
  assert.equal(msg.lineEndings, 'crlf');
  // "--outerX" in the preamble is not a delimiter here, but is one to readers that match by prefix: flagged.
  assert.deepEqual(msg.warnings.map((w) => w.code), ['ambiguous-boundary']);
  assert.match(msg.warnings[0].message, /goes on with other text/);
  const root = msg.root;
  assert.equal(root.multipart?.boundary, 'outer');
  assert.equal(root.multipart?.closed, true);
  assert.match(msg.source.toString('latin1', ...(root.multipart?.preamble ?? [0, 0])), /^This is the preamble[^]*followed by text\.\r\n$/);
  assert.equal(msg.source.toString('latin1', ...(root.multipart?.epilogue ?? [0, 0])), 'epilogue text\r\n');
  // RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter, not to the part.
  assert.equal(textOf(findEntity(root, '1.1')!), 'Content-Type: text/plain; charset=us-ascii\r\n\r\nHello.');
  assert.equal(bodyBytes(findEntity(root, '1.1')!).toString(), 'Hello.');
  assert.match(textOf(findEntity(root, '1.2.1')!), /^From: c@example\.com\r\n[^]*<p>inner html<\/p>\r\n--inner--$/);
  assert.equal(findEntity(root, '1.2.1.2')!.bodyStart, findEntity(root, '1.2.1.2')!.headerEnd);
  const attachment = findEntity(root, '1.3')!;
  assert.equal(attachment.filename, 'a.bin');
  assert.equal(attachment.transferEncoding, 'base64');
  assert.deepEqual([...decodeBody(attachment).data], [0, 1, 2, 3]);
  assert.equal(findEntity(root, '1.1')!.charset, 'us-ascii');
});

test('LF, CRLF and mixed line endings give the same tree', () => {
  const variants = [crlf(NESTED), lf(NESTED), mixed(NESTED)].map((buf) => parseMessage(buf));
  assert.deepEqual(variants.map((m) => m.lineEndings), ['crlf', 'lf', 'mixed']);
  for (const msg of variants) assertLayout(msg);
  assert.deepEqual(summarize(variants[1]), summarize(variants[0]));
  assert.deepEqual(summarize(variants[2]), summarize(variants[0]));
  assert.equal(textOf(findEntity(variants[1].root, '1.1')!), 'Content-Type: text/plain; charset=us-ascii\n\nHello.');
});

test('line numbers and header offsets point into the input', () => {
  const text = crlf(NESTED);
  const msg = parseMessage(text);
  const lines = NESTED.split('\n');
  const lineOf = (prefix: string, from = 0) => lines.findIndex((l, i) => i >= from && l.startsWith(prefix)) + 1;
  assert.equal(msg.root.line, 1);
  assert.equal(findEntity(msg.root, '1.1')!.line, lineOf('Content-Type: text/plain; charset'));
  assert.equal(findEntity(msg.root, '1.2.1')!.line, lineOf('From: c@'));
  assert.equal(findEntity(msg.root, '1.2.1.2')!.line, lineOf('Content-Type: text/html'));
  const subject = headersOf(msg.root, 'SUBJECT')[0];
  assert.equal(subject.line, 3);
  assert.equal(text.toString('latin1', subject.start, subject.end), 'Subject: nested\r\n');
  assert.equal(headerValue(findEntity(msg.root, '1.2.1')!, 'subject'), 'inner');
  assert.equal(headerValue(msg.root, 'x-absent'), undefined);
});

test('entityBytes of a multipart/signed first part is exactly the signed content', () => {
  const signed = crlf(`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary=sig

--sig
Content-Type: text/plain

signed text

--sig
Content-Type: application/pkcs7-signature

AAAA
--sig--
`);
  const msg = parseMessage(signed);
  assertLayout(msg);
  assert.equal(entityBytes(msg.root.children[0]).toString(), 'Content-Type: text/plain\r\n\r\nsigned text\r\n');
  assert.equal(entityBytes(msg.root).length, signed.length);
});

test('missing close delimiter: last part runs to the end, with a warning', () => {
  const msg = parseMessage(crlf('Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n'));
  assertLayout(msg);
  assert.equal(msg.root.children.length, 2);
  assert.equal(msg.root.multipart?.closed, false);
  assert.equal(bodyBytes(msg.root.children[1]).toString(), 'two\r\n');
  assert.deepEqual(msg.warnings.map((w) => w.code), ['missing-close-boundary']);
});

test('boundary never found, missing boundary parameter, only a close delimiter', () => {
  const notFound = parseMessage(crlf('Content-Type: multipart/mixed; boundary=zz\n\n--b\nhello\n'));
  assertLayout(notFound);
  assert.deepEqual(notFound.warnings.map((w) => w.code), ['boundary-not-found']);
  assert.deepEqual(notFound.root.multipart?.preamble, [notFound.root.bodyStart, notFound.source.length]);

  const noParam = parseMessage(crlf('Content-Type: multipart/mixed\n\n--b\nhello\n'));
  assertLayout(noParam);
  assert.deepEqual(noParam.warnings.map((w) => w.code), ['missing-boundary']);
  assert.equal(noParam.root.children.length, 0);

  const onlyClose = parseMessage(crlf('Content-Type: multipart/mixed; boundary=b\n\npre\n--b--\n'));
  assertLayout(onlyClose);
  assert.deepEqual(onlyClose.warnings.map((w) => w.code), ['no-parts']);
  assert.equal(onlyClose.root.multipart?.closed, true);
});

test('empty parts, transport padding and delimiters at the very start and end', () => {
  const msg = parseMessage(Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b  \r\n--b\t\r\nContent-Type: text/x-a\r\n\r\nA\r\n--b--'));
  assertLayout(msg);
  assert.equal(msg.root.children.length, 2);
  assert.equal(msg.root.children[0].start, msg.root.children[0].end);
  assert.equal(msg.root.children[1].contentType.mimeType, 'text/x-a');
  assert.deepEqual(msg.root.multipart?.preamble, [msg.root.bodyStart, msg.root.bodyStart]);
  assert.deepEqual(msg.root.multipart?.epilogue, [msg.source.length, msg.source.length]);
  assert.deepEqual(msg.warnings.map((w) => w.code), ['empty-part']);
});

test('a part with no header fields starts with the blank line and defaults to text/plain', () => {
  const msg = parseMessage(crlf('Content-Type: multipart/mixed; boundary=b\n\n--b\n\nno headers\n--b--\n'));
  const part = msg.root.children[0];
  assert.deepEqual(part.headers, []);
  assert.equal(part.contentType.defaulted, true);
  assert.equal(part.contentType.mimeType, 'text/plain');
  assert.equal(part.bodyStart, part.start + 2);
  assert.equal(bodyBytes(part).toString(), 'no headers');
});

test('multipart/digest parts default to message/rfc822 (RFC 2046 §5.1.5)', () => {
  const msg = parseMessage(crlf('Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody one\n--d\nContent-Type: text/plain\n\nplain\n--d--\n'));
  assertLayout(msg);
  const [first, second] = msg.root.children;
  assert.equal(first.contentType.mimeType, 'message/rfc822');
  assert.equal(first.contentType.defaulted, true);
  assert.equal(headerValue(first.children[0], 'subject'), 'one');
  assert.equal(second.contentType.mimeType, 'text/plain');
});

test('header/body separation without a blank line, mbox envelope line and byte order mark', () => {
  const noBlank = parseMessage(crlf('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\nbody right away\n--b--\n'));
  const part = noBlank.root.children[0];
  assert.equal(bodyBytes(part).toString(), 'body right away');
  assert.deepEqual(noBlank.warnings.map((w) => w.code), ['missing-header-separator']);

  const mbox = parseMessage(lf('From sender@example.com Mon Jan  1 00:00:00 2024\nSubject: s\n\nbody\n'));
  assert.equal(headerValue(mbox.root, 'subject'), 's');
  assert.deepEqual(mbox.warnings.map((w) => w.code), ['mbox-envelope-line']);

  const bom = parseMessage(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), lf('Subject: s\n\nbody\n')]));
  assert.equal(headerValue(bom.root, 'subject'), 's');
  assert.equal(bom.root.headers[0].start, 3);
  assertLayout(bom);
});

test('only headers, empty input and non-message bytes still produce a covering root', () => {
  for (const input of [Buffer.alloc(0), Buffer.from('Subject: x'), Buffer.from([0x30, 0x82, 0x01, 0x00, 0x0a, 0xff]), Buffer.from('\r\n\r\n')]) {
    const msg = parseMessage(input);
    assertLayout(msg);
    assert.equal(msg.entityCount, 1);
  }
  assert.equal(parseMessage(Buffer.from('Subject: x')).root.headers[0].value, 'x');
});

test('findEntity rejects malformed paths; walk is in document order', () => {
  const msg = parseMessage(crlf(NESTED));
  for (const bad of ['', '0', '1.0', '1.9', '1.a', '2', '1..1', '1.1.1']) assert.equal(findEntity(msg.root, bad), undefined, bad);
  const sub = findEntity(msg.root, '1.2')!;
  assert.equal(findEntity(sub, '1.2.1.2')?.contentType.mimeType, 'text/html');
  const starts = [...walk(msg.root)].map((e) => e.start);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  const kinds = entityRanges(msg).map((r) => r.kind);
  assert.equal(kinds[0], 'headers');
  assert.ok(kinds.includes('preamble') && kinds.includes('epilogue') && kinds.includes('delimiter'));
});

test('every truncation and byte flip of a message parses without throwing and keeps the layout', () => {
  const full = crlf(NESTED);
  for (let cut = 0; cut <= full.length; cut++) assertLayout(parseMessage(full.subarray(0, cut)));
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let round = 0; round < 500; round++) {
    const copy = Buffer.from(full);
    for (let flips = 0; flips < 4; flips++) copy[Math.floor(random() * copy.length)] = [0x0a, 0x0d, 0x2d, 0x3a, 0x20, Math.floor(random() * 256)][Math.floor(random() * 6)];
    const msg = parseMessage(copy);
    assertLayout(msg);
    assert.ok(!msg.warnings.some((w) => w.code === 'internal-error'));
  }
});

test('message/global is parsed in place; a base64-encoded message/rfc822 stays opaque with a warning', () => {
  const global = parseMessage(crlf('Content-Type: message/global\n\nSubject: =?utf-8?Q?gr=C3=BC=C3=9Fe?=\n\nbody\n'));
  assert.equal(headerValue(findEntity(global.root, '1.1')!, 'subject'), 'grüße');
  assertLayout(global);
  const encoded = parseMessage(crlf('Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeA0KDQpib2R5\n'));
  assert.equal(encoded.root.children.length, 0);
  assert.deepEqual(encoded.warnings.map((w) => w.code), ['encoded-message']);
});

test('if the parser itself fails, the whole input comes back as one opaque entity with internal-error', () => {
  const input = crlf('Subject: x\n\nbody\n');
  // Still a Buffer (the prototype chain reaches Buffer.prototype), but every search throws.
  const hostile = Buffer.from(input);
  const throwingSearch = { value: () => { throw new Error('boom'); } };
  Object.setPrototypeOf(hostile, Object.create(Buffer.prototype, { indexOf: throwingSearch }));
  const msg = parseMessage(hostile);
  assert.equal(msg.root.start, 0);
  assert.equal(msg.root.end, input.length);
  assert.deepEqual(msg.warnings.map((w) => w.code), ['internal-error']);
  assert.match(msg.warnings[0].message, /boom/);
});
