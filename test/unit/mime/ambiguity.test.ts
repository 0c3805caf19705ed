// The parser marks input that other mail readers read differently with one of the ambiguity warnings, and
// well-formed input with none: the verifier refuses the first (smime/structureAttacks.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AMBIGUITY_WARNINGS, isAmbiguityWarning } from '../../../src/core/mime/ambiguity';
import { parseMessage } from '../../../src/core/mime/parser';

function ambiguities(text: string): string[] {
  return parseMessage(Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1')).warnings.filter(isAmbiguityWarning).map((w) => w.code);
}

const CASES: [string, string, string][] = [
  ['two Content-Type fields', 'Content-Type: text/plain\nContent-Type: text/html\n\nx', 'duplicate-header'],
  ['two Content-Transfer-Encoding fields', 'Content-Transfer-Encoding: base64\nContent-Transfer-Encoding: 7bit\n\nx', 'duplicate-header'],
  ['two Content-Disposition fields', 'Content-Disposition: inline\nContent-Disposition: attachment; filename=a.p7m\n\nx', 'duplicate-header'],
  ['white space before the colon', 'Content-Type : text/html\n\nx', 'ambiguous-field-name'],
  ['a repeated parameter', 'Content-Type: text/plain; charset=utf-8; charset=iso-8859-1\n\nx', 'ambiguous-parameter'],
  ['a type followed by junk', 'Content-Type: multipart/mixed junk; boundary=b\n\nx', 'ambiguous-content-type'],
  ['an unknown transfer encoding', 'Content-Transfer-Encoding: base64 quoted-printable\n\nx', 'ambiguous-transfer-encoding'],
  ['the same boundary nested', 'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n', 'ambiguous-boundary'],
  ['a boundary line with trailing text', 'Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b junk\n\ny\n--b--\n', 'ambiguous-boundary'],
];

for (const [name, text, code] of CASES) {
  test(`${name} is an ambiguity (${code})`, () => {
    assert.ok(AMBIGUITY_WARNINGS.has(code));
    assert.ok(ambiguities(text).includes(code), `${JSON.stringify(ambiguities(text))}`);
  });
}

test('well-formed nesting, padding after a delimiter and a comment in the transfer encoding are not ambiguities', () => {
  const text = 'Content-Type: multipart/mixed; boundary="outer"\nContent-Transfer-Encoding: 7bit (plain)\n\n--outer  \nContent-Type: multipart/alternative; boundary=inner\n\n--inner\n\nx\n--inner--\n--outer--\n';
  assert.deepEqual(ambiguities(text), []);
});
