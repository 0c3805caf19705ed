// Header parameters (RFC 2045 §5.1, RFC 2231): values as mail clients read them, every place where readers
// differ reported as an ambiguity, and linear time on a megabyte of any one character.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeaderValue, withoutComments } from '../../../src/core/mime/headerParams';
import { parseMessage } from '../../../src/core/mime/parser';

const MB = 1_000_000;
/** Generous for a 2-core machine shared with other work; the quadratic scans this replaced took minutes. */
const BUDGET_MS = 1000;

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('parameter values', () => {
  test('plain, quoted and escaped values; a trailing comment is dropped', () => {
    const r = parseHeaderValue('Text/Plain; charset="utf-8"; format=flowed (yes); name="a \\"b\\".txt"');
    assert.equal(r.value, 'Text/Plain');
    assert.deepEqual(r.params, { charset: 'utf-8', format: 'flowed', name: 'a "b".txt' });
    assert.deepEqual(r.ambiguities, []);
  });

  test('RFC 2231 continuations and a charset-tagged value are joined and decoded, with no ambiguity', () => {
    const r = parseHeaderValue("attachment; filename*0*=utf-8''%E2%82%AC; filename*1=\" rate.pdf\"");
    assert.equal(r.params.filename, '€ rate.pdf');
    assert.deepEqual(r.ambiguities, []);
  });

  test('RFC 2047 words are decoded in file names only, never in structural parameters', () => {
    const r = parseHeaderValue('multipart/signed; protocol="=?us-ascii?Q?application/pkcs7-signature?="; name="=?utf-8?Q?caf=C3=A9?="');
    assert.equal(r.params.name, 'café');
    assert.equal(r.params.protocol, '=?us-ascii?Q?application/pkcs7-signature?=');
  });

  test('a boundary given only in RFC 2231 form is read and is not an ambiguity (mutt wrote it so)', () => {
    const r = parseHeaderValue("multipart/signed; micalg*=ansi-x3.4-1968''pgp-md5; boundary*=\"ansi-x3.4-1968''EeQf\"");
    assert.equal(r.params.boundary, 'EeQf');
    assert.deepEqual(r.ambiguities, []);
  });

  test('an unquoted file name with spaces is kept whole and is not an ambiguity', () => {
    const r = parseHeaderValue('application/pdf; name=My Report.pdf');
    assert.equal(r.params.name, 'My Report.pdf');
    assert.deepEqual(r.ambiguities, []);
  });
});

describe('ambiguities (parser differentials)', () => {
  const cases: [string, string, RegExp][] = [
    ['a repeated parameter', 'multipart/mixed; boundary=a; boundary=b', /boundary is given more than once/],
    ['plain and RFC 2231 forms of one parameter', 'multipart/mixed; boundary=a; boundary*=us-ascii\'\'b', /both plainly and as RFC 2231/],
    ['plain and continued forms', 'multipart/mixed; boundary=a; boundary*0=b; boundary*1=c', /both plainly and as RFC 2231/],
    ['a repeated section number', 'multipart/mixed; boundary*0=a; boundary*0=b', /section 0 more than once/],
    ['a missing section', 'multipart/mixed; boundary*0=a; boundary*2=b', /lacks RFC 2231 section 1/],
    ['no section 0', 'multipart/mixed; boundary*1=a', /lacks RFC 2231 section 0/],
    ['a section number with a leading zero', 'multipart/mixed; boundary*00=a', /leading zero/],
    ['an unclosed quoted string', 'multipart/mixed; boundary="abc', /never closed/],
    ['text after a quoted value', 'multipart/mixed; boundary="abc"def', /text follows the quoted value/],
    ['a comment holding a semicolon', 'multipart/mixed; charset=x (a; boundary=z); boundary=y', /comment holds parameter syntax/],
    ['an unclosed comment', 'multipart/mixed; boundary=y (oops', /comment holds parameter syntax/],
    ['an unquoted boundary with a space', 'multipart/mixed; boundary=ab cd', /boundary: an unquoted value holds white space/],
    ['a boundary ending in a space', 'multipart/mixed; boundary="abc "', /boundary ends in white space/],
  ];
  for (const [name, text, why] of cases) {
    test(name, () => {
      const r = parseHeaderValue(text);
      assert.ok(r.ambiguities.some((a) => why.test(a)), `${text}: ${JSON.stringify(r.ambiguities)}`);
    });
  }

  test('the parser turns them into ambiguity warnings on the entity', () => {
    const msg = parseMessage(Buffer.from('Content-Type: multipart/mixed; boundary=a; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n'));
    assert.ok(msg.warnings.some((w) => w.code === 'ambiguous-parameter' && /boundary is given more than once/.test(w.message)));
  });

  test('a well-formed structure gives no ambiguity warning', () => {
    const msg = parseMessage(Buffer.from('Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nx\r\n--b--\r\n'));
    assert.deepEqual(msg.warnings, []);
  });
});

describe('comments', () => {
  test('withoutComments removes nested comments and keeps quoted parentheses', () => {
    assert.equal(withoutComments('base64 (a (nested) comment)'), 'base64 ');
    assert.equal(withoutComments('"(kept)" x'), '"(kept)" x');
  });
});

describe('linear time on 1 MB of one repeated character', () => {
  const CHARS = [' ', '\t', '(', ')', '"', '\\', ';', '=', '*', "'", '%', 'a', '0'];
  for (const ch of CHARS) {
    test(`"${JSON.stringify(ch).slice(1, -1)}" as value, name and whole field`, () => {
      const run = ch.repeat(MB);
      const inputs = [`text/plain; name=a${run}b`, `text/plain; ${run}=x`, run, `text/plain; name="${run}`, `text/plain; name*0*=utf-8''${run}; name*1=x`];
      for (const input of inputs) {
        const { ms } = timed(() => parseHeaderValue(input));
        assert.ok(ms < BUDGET_MS, `${JSON.stringify(ch)}: ${ms.toFixed(0)} ms`);
      }
      const { ms } = timed(() => withoutComments(run));
      assert.ok(ms < BUDGET_MS, `withoutComments ${JSON.stringify(ch)}: ${ms.toFixed(0)} ms`);
    });
  }

  test('a megabyte of "(" in Content-Transfer-Encoding, and of ";" or "(" in Content-Type, parse quickly', () => {
    // (White space runs inside a whole field go through the header reader's unfolding, tested with headers.ts.)
    const inputs = [
      Buffer.from(`Content-Transfer-Encoding: ${'('.repeat(MB)}\r\n\r\nx`),
      Buffer.from(`Content-Type: text/plain; name=a${';'.repeat(MB)}b\r\n\r\nx`),
      Buffer.from(`Content-Type: multipart/mixed; boundary=${'('.repeat(MB)}\r\n\r\nx`),
    ];
    for (const input of inputs) {
      const { value, ms } = timed(() => parseMessage(input));
      console.log(`# ${input.subarray(0, 40).toString('latin1')}… (1 MB): ${ms.toFixed(1)} ms`);
      assert.ok(ms < BUDGET_MS, `${ms.toFixed(0)} ms`);
      assert.equal(value.root.children.length, 0);
    }
  });
});
