import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as libqp from 'libqp';
import { parseMessage, decodeBody, decodeText, type MimeEntity } from '../../../src/core/mime/index';

function entity(headers: string, body: Buffer | string): MimeEntity {
  const bytes = Buffer.concat([Buffer.from(`${headers}\r\n\r\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
  return parseMessage(bytes).root;
}

const b64 = (body: string) => entity('Content-Transfer-Encoding: base64', body);
const qp = (body: string) => entity('Content-Transfer-Encoding: quoted-printable', body);
const codes = (warnings: { code: string }[]) => warnings.map((w) => w.code);

test('base64 matches Node for wrapped data with CRLF and LF line breaks', () => {
  for (const size of [0, 1, 2, 3, 57, 1000, 65_537]) {
    const data = randomBytes(size);
    const encoded = data.toString('base64');
    for (const eol of ['\r\n', '\n']) {
      const decoded = decodeBody(b64(encoded.replace(/.{76}/g, `$&${eol}`) + eol));
      assert.ok(decoded.data.equals(data), `size ${size}`);
      assert.deepEqual(decoded.warnings, []);
    }
  }
});

test('base64 tolerates garbage and bad padding, and says so', () => {
  const garbage = decodeBody(b64('aGVs*bG8g\r\nd29y!bGQ=\r\n'));
  assert.equal(garbage.data.toString(), 'hello world');
  assert.deepEqual(codes(garbage.warnings), ['base64-invalid-characters']);
  assert.equal(garbage.warnings[0].offset, b64('').bodyStart + 4);

  const unpadded = decodeBody(b64('aGVsbG8'));
  assert.equal(unpadded.data.toString(), 'hello');
  assert.deepEqual(codes(unpadded.warnings), ['base64-missing-padding']);

  const lone = decodeBody(b64('aGVsbG8hZ'));
  assert.equal(lone.data.toString(), 'hello!');
  assert.deepEqual(codes(lone.warnings), ['base64-truncated']);

  // Two padded blobs back to back decode as two runs.
  const joined = decodeBody(b64(`${Buffer.from('ab').toString('base64')}\r\n${Buffer.from('cd').toString('base64')}`));
  assert.equal(joined.data.toString(), 'abcd');
  assert.deepEqual(codes(joined.warnings), ['base64-data-after-padding']);
});

test('quoted-printable agrees with libqp on well-formed input, with CRLF and LF soft breaks', () => {
  const samples = ['caf=C3=A9 au lait=\r\n continues', 'line one  \r\nline two\t\r\n', 'equals =3D sign=\nsoft LF break', '=E2=82=AC=\r\n'];
  for (const sample of samples) {
    const ours = decodeBody(qp(sample));
    assert.ok(ours.data.equals(libqp.decode(sample)), JSON.stringify(sample));
    assert.deepEqual(ours.warnings, []);
  }
  assert.equal(decodeBody(qp('a=\r\nb=  \r\nc=\nd')).data.toString(), 'abcd');
  assert.equal(decodeBody(qp('trailing   \r\nspace\t \nkept inside  here')).data.toString(), 'trailing\r\nspace\nkept inside  here');
});

test('quoted-printable keeps stray "=" literally, with a warning; lower-case hex is accepted', () => {
  const stray = decodeBody(qp('100% =4 sure = yes =zz'));
  assert.equal(stray.data.toString(), '100% =4 sure = yes =zz');
  assert.deepEqual(codes(stray.warnings), ['qp-invalid-escape']);
  assert.deepEqual([...decodeBody(qp('=c3=a9')).data], [0xc3, 0xa9]);
});

test('identity and unknown transfer encodings return the raw body', () => {
  const raw = Buffer.from([0, 1, 0xff, 0x0d, 0x0a]);
  assert.ok(decodeBody(entity('Content-Transfer-Encoding: binary', raw)).data.equals(raw));
  assert.deepEqual(decodeBody(entity('Content-Transfer-Encoding: 8bit', raw)).warnings, []);
  const unknown = decodeBody(entity('Content-Transfer-Encoding: x-uuencode', 'begin 644 a\r\n'));
  assert.equal(unknown.data.toString(), 'begin 644 a\r\n');
  assert.deepEqual(codes(unknown.warnings), ['unknown-transfer-encoding']);
});

test('decoded size is capped by MAX_DECODED_SIZE (or the caller limit)', () => {
  const data = randomBytes(3000);
  const capped = decodeBody(b64(data.toString('base64')), { maxDecodedSize: 1000 });
  assert.ok(capped.data.equals(data.subarray(0, 1000)));
  assert.deepEqual(codes(capped.warnings), ['decoded-size-limit']);
  assert.equal(decodeBody(qp('x'.repeat(50)), { maxDecodedSize: 10 }).data.length, 10);
  assert.equal(decodeBody(entity('', 'y'.repeat(50)), { maxDecodedSize: 10 }).data.length, 10);
});

test('decodeText reads the declared charset, including ISO-8859-1 as ISO-8859-1 (not windows-1252)', () => {
  const utf8 = decodeText(entity('Content-Type: text/plain; charset=UTF-8', Buffer.from('Grüße €', 'utf8')));
  assert.deepEqual([utf8.text, utf8.charset, utf8.warnings], ['Grüße €', 'utf-8', []]);
  const latin1 = decodeText(entity('Content-Type: text/plain; charset=iso-8859-1', Buffer.from([0x80, 0xe9])));
  assert.deepEqual([latin1.text, latin1.charset], ['\u0080é', 'iso-8859-1']);
  const cp1252 = decodeText(entity('Content-Type: text/plain; charset=windows-1252', Buffer.from([0x80, 0xe9])));
  assert.equal(cp1252.text, '€é');
  const koi8 = decodeText(entity('Content-Type: text/plain; charset=koi8-r\r\nContent-Transfer-Encoding: base64', Buffer.from([0xf0, 0xd2, 0xc9]).toString('base64')));
  assert.equal(koi8.text, 'При');
  const hebrew = decodeText(entity('Content-Type: text/plain; charset=iso-8859-8-i', Buffer.from([0xf9])));
  assert.deepEqual([hebrew.text, hebrew.warnings], ['ש', []]);
});

test('decodeText warns whenever it has to guess', () => {
  const unknownUtf8 = decodeText(entity('Content-Type: text/plain; charset=x-no-such', Buffer.from('é', 'utf8')));
  assert.deepEqual([unknownUtf8.text, unknownUtf8.charset, codes(unknownUtf8.warnings)], ['é', 'utf-8', ['unknown-charset']]);
  const unknownBytes = decodeText(entity('Content-Type: text/plain; charset=x-no-such', Buffer.from([0xe9, 0x80])));
  assert.deepEqual([unknownBytes.text, unknownBytes.charset, codes(unknownBytes.warnings)], ['é\u0080', 'iso-8859-1', ['unknown-charset']]);
  const undeclared = decodeText(entity('Content-Type: text/plain', Buffer.from([0xe9])));
  assert.deepEqual([undeclared.charset, codes(undeclared.warnings)], ['iso-8859-1', ['charset-missing']]);
  const ascii = decodeText(entity('Content-Type: text/plain; charset=us-ascii', 'plain'));
  assert.deepEqual([ascii.text, ascii.charset, ascii.warnings], ['plain', 'us-ascii', []]);
  const mislabelled = decodeText(entity('Content-Type: text/plain; charset=us-ascii', Buffer.from('ü', 'utf8')));
  assert.deepEqual([mislabelled.text, codes(mislabelled.warnings)], ['ü', ['charset-mismatch']]);
  const badUtf8 = decodeText(entity('Content-Type: text/plain; charset=utf-8', Buffer.from([0x61, 0xff])));
  assert.deepEqual([badUtf8.text, codes(badUtf8.warnings)], ['a\ufffd', ['invalid-utf8']]);
});
