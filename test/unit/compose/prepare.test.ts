/**
 * The ESP-safe preparation: which header fields stay outside, which parts are re-encoded and why, that the
 * content survives (decoded bodies equal), that safe parts stay byte for byte, and that preparing twice
 * changes nothing. Quoted-printable output is decoded with libqp, an independent implementation.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import libqp from 'libqp';
import { decodeBody, parseMessage, walk, type MimeEntity } from '../../../src/core/mime';
import { parseAddressList } from '../../../src/core/smime/addresses';
import { toCanonicalCrlf } from '../../../src/core/smime/canonical';
import { prepareMessage } from '../../../src/core/smime/compose';
import { encodeQuotedPrintable, scanBody } from '../../../src/core/smime/compose/transferEncode';
import { Rand, randomMessage } from './randomMessages';

const SEEDS = Number(process.env.COMPOSE_PROPERTY_RUNS ?? 60);
const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');

function leaves(root: MimeEntity): MimeEntity[] {
  return [...walk(root)].filter((e) => e.children.length === 0);
}

/** What a reader sees in a leaf: its type, file name, and decoded body (text compared in canonical form). */
function contentOf(e: MimeEntity): { type: string; filename?: string; body: string } {
  const data = decodeBody(e).data;
  const text = e.contentType.mimeType.startsWith('text/') || ['7bit', '8bit'].includes(e.transferEncoding);
  return { type: e.contentType.mimeType, filename: e.filename, body: (text ? toCanonicalCrlf(data) : data).toString('hex') };
}

describe('prepareMessage: header split', () => {
  const input = crlf(
    'Received: from relay\nReturn-Path: <a@example.com>\nFrom: Alice <alice@example.com>\nTo: bob@example.com\nBcc: eve@example.com\n' +
      'Subject: hi\nX-Custom: 1\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\nHello\n',
  );

  test('non-Content-* fields stay outside, Content-* go inside, MIME-Version is dropped', () => {
    const p = prepareMessage(input);
    const outer = p.outerHeaders.toString('latin1');
    for (const name of ['Received', 'Return-Path', 'From', 'To', 'Bcc', 'Subject', 'X-Custom']) assert.match(outer, new RegExp(`^${name}:`, 'm'));
    assert.doesNotMatch(outer, /^(MIME-Version|Content-)/im);
    assert.equal(p.entity.toString('latin1'), 'Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello\r\n');
    assert.deepEqual(p.preflight, []);
    assert.ok(p.warnings.some((w) => w.code === 'bcc-present'));
    assert.deepEqual(p.addresses.bcc.map((a) => a.address), ['eve@example.com']);
  });

  test('protectHeaders wraps the message as message/rfc822 without Bcc and trace fields', () => {
    const p = prepareMessage(input, { protectHeaders: true });
    const entity = p.entity.toString('latin1');
    assert.ok(entity.startsWith('Content-Type: message/rfc822\r\n\r\n'));
    assert.match(entity, /^From: Alice <alice@example.com>\r$/m);
    assert.match(entity, /^Subject: hi\r$/m);
    assert.doesNotMatch(entity, /^(Bcc|Received|Return-Path):/im);
    assert.ok(p.preflight.some((c) => /Bcc/.test(c.change)));
    const inner = parseMessage(p.entity).root.children[0];
    assert.equal(inner.contentType.mimeType, 'text/plain');
  });

  test('8-bit display names in the protected copy are encoded words, the addresses stay readable', () => {
    const p = prepareMessage(crlf('From: Jörg Müller <joerg@example.com>\nTo: "Ärger, Anna" <anna@example.com>, bob@example.com\nSubject: Grüße\n\nhi\n'), { protectHeaders: true });
    assert.ok(!scanBody(p.entity).eightBit);
    const inner = parseMessage(p.entity).root.children[0];
    const value = (key: string) => inner.headers.find((h) => h.key === key)?.value;
    assert.equal(value('from'), 'Jörg Müller <joerg@example.com>');
    assert.equal(value('to'), 'Ärger, Anna <anna@example.com>, bob@example.com');
    assert.equal(value('subject'), 'Grüße');
    assert.deepEqual(parseAddressList(inner.headers.find((h) => h.key === 'to')?.rawValue ?? '').map((a) => a.address), ['anna@example.com', 'bob@example.com']);
  });

  test('a bare entity has no outer fields and is copied as is', () => {
    const entity = crlf('Content-Type: text/plain\n\nbody\n');
    const p = prepareMessage(entity);
    assert.equal(p.outerHeaders.length, 0);
    assert.ok(p.entity.equals(entity));
  });
});

describe('prepareMessage: re-encoding', () => {
  const wrap = (headers: string, body: string | Buffer) =>
    Buffer.concat([crlf(`From: a@example.com\n${headers}\n\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]);

  test('8-bit text becomes quoted-printable with the same charset and content', () => {
    const p = prepareMessage(wrap('Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit', 'Grüße aus Köln\r\n'));
    const root = parseMessage(p.entity).root;
    assert.equal(root.transferEncoding, 'quoted-printable');
    assert.equal(root.charset, 'utf-8');
    assert.equal(decodeBody(root).data.toString('utf8'), 'Grüße aus Köln\r\n');
    assert.ok(p.preflight.some((c) => c.change === 'Content-Transfer-Encoding 8bit -> quoted-printable'));
  });

  test('8-bit UTF-8 text without a charset gets charset=utf-8', () => {
    const p = prepareMessage(wrap('Content-Transfer-Encoding: 8bit', 'naïve\r\n'));
    assert.equal(parseMessage(p.entity).root.charset, 'utf-8');
    assert.ok(p.preflight.some((c) => c.change === 'charset=utf-8 declared'));
  });

  test('text with a NUL byte and binary data become base64 of the exact bytes', () => {
    const bin = Buffer.from([0, 1, 2, 13, 10, 10, 255, 13]);
    for (const [headers, body] of [['Content-Type: text/plain\nContent-Transfer-Encoding: 8bit', Buffer.from('a\u0000b\r\n')], ['Content-Type: application/octet-stream\nContent-Transfer-Encoding: binary', bin]] as const) {
      const root = parseMessage(prepareMessage(wrap(headers, body)).entity).root;
      assert.equal(root.transferEncoding, 'base64');
      assert.ok(decodeBody(root).data.equals(body));
    }
  });

  test('base64 with long lines is re-wrapped at 76, other base64 is kept byte for byte', () => {
    const data = Buffer.alloc(600, 7);
    const long = prepareMessage(wrap('Content-Type: image/png\nContent-Transfer-Encoding: base64', data.toString('base64') + '\r\n'));
    assert.ok(scanBody(long.entity).maxLine <= 76);
    assert.ok(decodeBody(parseMessage(long.entity).root).data.equals(data));
    const wrapped = data.toString('base64').replace(/(.{76})/g, '$1\r\n') + '\r\n';
    const kept = prepareMessage(wrap('Content-Type: image/png\nContent-Transfer-Encoding: base64', wrapped));
    assert.deepEqual(kept.preflight, []);
    assert.ok(kept.entity.toString('latin1').endsWith(wrapped));
  });

  test('7-bit text with a long line becomes quoted-printable; an 8bit label on 7-bit text becomes 7bit', () => {
    const long = prepareMessage(wrap('Content-Type: text/plain', 'x'.repeat(300) + '\r\n'));
    assert.equal(parseMessage(long.entity).root.transferEncoding, 'quoted-printable');
    const relabel = prepareMessage(wrap('Content-Type: text/plain\nContent-Transfer-Encoding: 8bit', 'short\r\n'));
    assert.equal(parseMessage(relabel.entity).root.transferEncoding, '7bit');
    assert.ok(relabel.entity.toString('latin1').endsWith('\r\n\r\nshort\r\n'));
  });

  test('an 8-bit filename is written as an RFC 2231 parameter and still reads back', () => {
    const p = prepareMessage(wrap('Content-Type: text/plain\nContent-Disposition: attachment; filename="Grüße.txt"', 'x\r\n'));
    assert.ok(!scanBody(p.entity).eightBit);
    assert.equal(parseMessage(p.entity).root.filename, 'Grüße.txt');
  });

  test('LF input is reported and made CRLF; 7-bit "From " lines are kept and warned about', () => {
    const p = prepareMessage(Buffer.from('From: a@example.com\nContent-Type: text/plain\n\nFrom here\n'));
    assert.ok(p.warnings.some((w) => w.code === 'bare-lf'));
    assert.ok(p.warnings.some((w) => w.code === 'from-line'));
    assert.equal(p.entity.toString('latin1'), 'Content-Type: text/plain\r\n\r\nFrom here\r\n');
  });

  test('a missing final line break is added', () => {
    const p = prepareMessage(Buffer.from('Content-Type: text/plain\r\n\r\nno newline'));
    assert.ok(p.entity.toString('latin1').endsWith('no newline\r\n'));
    assert.ok(p.preflight.some((c) => c.change === 'final line break added'));
  });
});

describe('quoted-printable encoder', () => {
  test('random CRLF text decodes back with libqp and keeps lines within 76', () => {
    const r = new Rand(7);
    for (let i = 0; i < 200; i++) {
      const lines = Array.from({ length: 1 + r.int(5) }, () => r.bytes(r.int(300)).toString('latin1').replace(/[\r\n]/g, ''));
      const text = Buffer.from(lines.join('\r\n') + (r.bool() ? '\r\n' : ''), 'latin1');
      const encoded = encodeQuotedPrintable(text);
      const scan = scanBody(encoded);
      assert.ok(scan.maxLine <= 76 && !scan.eightBit && !scan.bareLf && !scan.nul, `case ${i}`);
      assert.ok(libqp.decode(encoded.toString('latin1')).equals(text), `case ${i}`);
    }
  });

  test('"From " at a line start and a lone dot are escaped', () => {
    assert.equal(encodeQuotedPrintable(Buffer.from('From me\r\n.\r\n')).toString(), '=46rom me\r\n=2E\r\n');
  });
});

describe(`prepareMessage: ${SEEDS} random messages`, () => {
  test('the entity is 7-bit, CRLF, short-lined, keeps every part\'s content, and preparing again changes nothing', () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { bytes } = randomMessage(seed, { from: 'alice@example.com', to: 'bob@example.com' });
      const p = prepareMessage(bytes);
      const scan = scanBody(p.entity);
      const where = `seed ${seed}`;
      assert.ok(!scan.eightBit && !scan.nul && !scan.bareCr && !scan.bareLf, `${where}: not 7-bit CRLF`);
      assert.ok(scan.maxLine <= 76, `${where}: line of ${scan.maxLine}`);
      assert.ok(p.entity.subarray(-2).toString() === '\r\n', `${where}: no final CRLF`);
      const before = leaves(parseMessage(bytes).root).map(contentOf);
      const after = leaves(parseMessage(p.entity).root).map(contentOf);
      assert.deepEqual(after, before, `${where}: content changed`);
      const again = prepareMessage(p.entity);
      assert.deepEqual(again.preflight, [], `${where}: second preparation changed ${JSON.stringify(again.preflight)}`);
      assert.ok(again.entity.equals(p.entity), `${where}: not idempotent`);
    }
  });
});
