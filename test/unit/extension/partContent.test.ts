/**
 * The part actions both views share (partContent.ts): how a part opens as text, and the one rule for the file
 * name a save dialog suggests, the same in the raw view as in the message view (core's safeFileName).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeFileName } from '../../../src/core/mail';
import { parseMessage } from '../../../src/core/mime/parser';
import { walk } from '../../../src/core/mime/parser';
import { attachmentFileName, contentName, partContent } from '../../../src/extension/partContent';

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const entityOf = (text: string) => parseMessage(Buffer.from(crlf(text), 'latin1')).root;

describe('part content', () => {
  test('text parts decode by their charset into a language that fits the type', () => {
    const text = partContent(entityOf('Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=C3=9Fe\n'));
    assert.deepEqual(text, { kind: 'text', text: 'Grüße\r\n', language: 'plaintext' });
    const html = partContent(entityOf('Content-Type: text/html\nContent-Disposition: attachment; filename=a.html\n\n<p>x</p>\n'));
    assert.equal(html.kind === 'text' && html.language, 'html', 'an HTML attachment is still HTML');
    const csv = partContent(entityOf('Content-Type: text/csv\n\na,b\n'));
    assert.equal(csv.kind === 'text' && csv.language, 'plaintext');
    const json = partContent(entityOf('Content-Type: application/json\n\n{}\n'));
    assert.equal(json.kind === 'text' && json.language, 'json');
  });

  test('an attached message opens as its own decoded bytes; anything else as its MIME source', () => {
    const message = partContent(entityOf('Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeA0KDQpib2R5DQo=\n'));
    assert.equal(message.kind, 'message');
    assert.equal(message.kind === 'message' && message.bytes.toString('latin1'), 'Subject: x\r\n\r\nbody\r\n');
    const pdf = 'Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n';
    assert.deepEqual(partContent(entityOf(pdf)), { kind: 'binary', source: crlf(pdf) });
  });

  test('document names say which message they come from', () => {
    assert.equal(contentName('/work/mail/in box.eml', 'part 1.2'), 'in box.eml part 1.2');
    assert.equal(contentName('mail.eml', 'decrypted 1.eml'), 'mail.eml decrypted 1.eml');
  });
});

describe('save names, the same rule in both views', () => {
  const named = (filename: string) =>
    entityOf(`Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename*=utf-8''${encodeURIComponent(filename)}\n\nx\n--b--\n`).children[0];

  test('names from the message are cleaned by core safeFileName', () => {
    const cases: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\boot.ini', 'boot.ini'],
      // The raw view once kept these: a right-to-left override makes "invoice\u202Efdp.exe" read as "invoiceexe.pdf".
      ['invoice\u202Efdp.exe', 'invoice_fdp.exe'],
      ['report\u200F.pdf', 'report_.pdf'],
      ['CON.txt', '_CON.txt'],
      ['.bashrc', 'bashrc'],
      ['name. ', 'name'],
    ];
    for (const [given, expected] of cases) {
      const entity = named(given);
      assert.equal(entity.filename, given, 'the fixture carries the name as given');
      assert.equal(attachmentFileName(entity), expected, JSON.stringify(given));
      assert.equal(attachmentFileName(entity), safeFileName(given, 'unused'));
    }
    assert.equal(attachmentFileName(named('a'.repeat(300) + '.pdf')).length, 120);
  });

  test('a part without a usable name is named after its path', () => {
    assert.equal(attachmentFileName(named('...')), 'part-1.1.bin');
    assert.equal(attachmentFileName(entityOf('Content-Type: application/pdf\n\nx\n')), 'part-1.bin');
  });

  test('the raw view has no second sanitiser: its commands use the shared actions', () => {
    const raw = readFileSync(join(process.cwd(), 'src/extension/rawText/commands.ts'), 'utf8');
    assert.match(raw, /from '\.\.\/partActions'/);
    assert.doesNotMatch(raw, /filename|replace\(/, 'no name handling of its own');
    for (const entity of walk(named('a\u202E.txt'))) assert.equal(attachmentFileName(entity), 'a_.txt');
  });
});
