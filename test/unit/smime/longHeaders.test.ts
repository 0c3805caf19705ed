/**
 * Header fields of 1 MB made of one repeated character, in every field the analysis reads, through the whole
 * read path (analyzeMessage of a signed message): each finishes within a second, and the verdict says what a
 * cut field means. A regex that rescans or backtracks on such a run takes minutes at this size.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeMessage, type AnalyzeOptions } from '../../../src/core/smime/analyze';
import { MAX_FIELD_ANALYSIS_BYTES } from '../../../src/core/mime/limits';
import { Certificate } from '../../../src/core/x509/certificate';
import type { SecurityReport } from '../../../src/core/smime/report';
import { signersOf } from '../../helpers/report';

/** One megabyte, below the 1 MiB header block limit so that the field is read, not cut off with the block. */
const RUN_LENGTH = 1_000_000;
const BOUND_MS = 1000;
/** Characters that drive the regex classes that went quadratic: whitespace, comment and quote openers, escapes,
 *  address and parameter punctuation, encoded-word starts, plain letters, and folded lines. */
const RUNS = [' ', '\t', '(', ')', '"', '<', '>', '\\', '=', '?', '=?', ';', ',', ':', '@', '%', '*', "'", 'a', '\r\n ', '\r\n\t('];

/** Runs that leave a comment or quoted string open in a parameter: other parsers read those differently. */
const AMBIGUOUS_RUNS = new Set(['(', '"', '\r\n\t(']);

let dir = '';
let options: AnalyzeOptions;
let signedEntity = '';

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

function run(ch: string): string {
  return ch.repeat(Math.ceil(RUN_LENGTH / ch.length)).slice(0, RUN_LENGTH);
}

function outerHeaders(overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    From: 'Alice <alice@example.com>',
    To: 'bob@example.com',
    Subject: 'long header test',
    Date: new Date().toUTCString(),
    'MIME-Version': '1.0',
    ...overrides,
  };
  return Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`).join('');
}

function timedAnalyze(message: string): { report: SecurityReport; ms: number } {
  const input = Buffer.from(message, 'latin1');
  const start = performance.now();
  const { report } = analyzeMessage(input, options);
  return { report, ms: performance.now() - start };
}

/** The multipart/signed Content-Type line of OpenSSL's output (its outer lines end in LF). */
function signedTypeLine(): string {
  const line = /^Content-Type: multipart\/signed[^\r\n]*/m.exec(signedEntity)?.[0];
  assert.ok(line, 'OpenSSL wrote no multipart/signed Content-Type');
  return line;
}

function signerWarnings(report: SecurityReport): string[] {
  return signersOf(report.layers).flatMap((s) => s.reasons.filter((r) => r.severity === 'warning').map((r) => r.code));
}

function signerReasons(report: SecurityReport): string[] {
  return signersOf(report.layers).flatMap((s) => s.reasons.filter((r) => r.severity === 'error').map((r) => r.code));
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'smime-long-headers-'));
  writeFileSync(join(dir, 'ext.cnf'), '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\n[leaf]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=emailProtection\nsubjectAltName=email:alice@example.com\n');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Long Header CA', '-days', '30', '-extensions', 'ca', '-config', 'ext.cnf']);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'alice.key', '-out', 'alice.csr', '-subj', '/CN=Alice']);
  openssl(['x509', '-req', '-in', 'alice.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'alice.pem', '-days', '10', '-extfile', 'ext.cnf', '-extensions', 'leaf']);
  writeFileSync(join(dir, 'body.txt'), 'Content-Type: text/plain; charset=utf-8\r\n\r\nPay 100 EUR to account 42.\r\n');
  openssl(['cms', '-sign', '-in', 'body.txt', '-signer', 'alice.pem', '-inkey', 'alice.key', '-md', 'sha256', '-binary', '-out', 'signed.eml']);
  signedEntity = readFileSync(join(dir, 'signed.eml'), 'latin1');
  const pem = readFileSync(join(dir, 'ca.pem'), 'latin1').replace(/-----[^-]+-----|\s/g, '');
  options = { anchors: [new Certificate(Buffer.from(pem, 'base64'))] };
});

test('the untouched signed message is valid (the cases below change one field of it)', () => {
  const { report } = timedAnalyze(outerHeaders() + signedEntity);
  assert.equal(report.verdict, 'valid', report.summary);
});

describe('1 MB From: analysed in part, never matched to the signer (mismatch); a long Sender beside a matching From is information', () => {
  for (const ch of RUNS) {
    test(`From: alice@example.com followed by 1 MB of ${JSON.stringify(ch)}`, () => {
      const { report, ms } = timedAnalyze(outerHeaders({ From: `Alice <alice@example.com>${run(ch)}x` }) + signedEntity);
      assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
      assert.equal(report.verdict, 'mismatch', report.summary);
      assert.deepEqual(signerReasons(report), ['sender-mismatch']);
      assert.ok(report.warnings.some((w) => w.code === 'header-field-truncated'));
    });
    // RFC 8550 §3 as Thunderbird reads it: From decides; Sender is shown, not compared, when From is present.
    test(`Sender: alice@example.com followed by 1 MB of ${JSON.stringify(ch)}, beside a matching From`, () => {
      const { report, ms } = timedAnalyze(outerHeaders({ Sender: `Alice <alice@example.com>${run(ch)}x` }) + signedEntity);
      assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
      assert.equal(report.verdict, 'valid', report.summary);
      assert.ok(report.reasons.includes('sender-header'));
      assert.ok(report.warnings.some((w) => w.code === 'header-field-truncated'));
    });
  }
  test('a From without "@" (1 MB of letters) is cut and not matched', () => {
    const { report, ms } = timedAnalyze(outerHeaders({ From: run('a') }) + signedEntity);
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
    assert.equal(report.verdict, 'mismatch');
    assert.deepEqual(signerReasons(report), ['sender-mismatch']);
  });
});

describe('1 MB Date: unreadable, so the signing time cannot be compared (a warning, the verdict stands)', () => {
  for (const ch of RUNS) {
    test(`Date: a date followed by 1 MB of ${JSON.stringify(ch)}`, () => {
      const { report, ms } = timedAnalyze(outerHeaders({ Date: `${new Date().toUTCString()} ${run(ch)}` }) + signedEntity);
      assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
      assert.equal(report.verdict, 'valid', report.summary);
      assert.deepEqual(signerReasons(report), []);
      assert.ok(signerWarnings(report).includes('signing-time-mismatch'));
    });
  }
  test('a Date made of parentheses only (one unclosed comment) is unreadable', () => {
    const { report, ms } = timedAnalyze(outerHeaders({ Date: run('(') }) + signedEntity);
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
    assert.ok(signerWarnings(report).includes('signing-time-mismatch'));
  });
});

describe('1 MB in fields that are only shown: the verdict stands, with a warning', () => {
  for (const name of ['Subject', 'To', 'Cc', 'Reply-To', 'Message-ID', 'References', 'MIME-Version', 'X-Mailer']) {
    for (const ch of RUNS) {
      test(`${name}: 1 MB of ${JSON.stringify(ch)}`, () => {
        const { report, ms } = timedAnalyze(outerHeaders({ [name]: `${run(ch)}x` }) + signedEntity);
        assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
        assert.equal(report.verdict, 'valid', report.summary);
        const warning = report.warnings.find((w) => w.code === 'header-field-truncated');
        assert.ok(warning, 'no warning about the cut field');
        assert.match(warning.message, new RegExp(`^${name} .*first ${MAX_FIELD_ANALYSIS_BYTES} bytes`));
      });
    }
  }
});

describe('1 MB in the MIME fields of the signed message', () => {
  for (const ch of RUNS) {
    test(`Content-Type: a parameter of 1 MB of ${JSON.stringify(ch)} after the boundary: still valid, with a warning`, () => {
      const typeLine = signedTypeLine();
      const entity = signedEntity.replace(typeLine, `${typeLine}; x-pad=${run(ch)}x`);
      const { report, ms } = timedAnalyze(outerHeaders() + entity);
      assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
      // An unclosed comment or quoted string is read differently by other parsers: refused as ambiguous.
      assert.equal(report.verdict, AMBIGUOUS_RUNS.has(ch) ? 'invalid' : 'valid', report.summary);
      if (AMBIGUOUS_RUNS.has(ch)) assert.ok(report.reasons.includes('ambiguous-content'));
      assert.ok(report.warnings.some((w) => w.code === 'header-field-truncated'));
    });
    test(`Content-Type: 1 MB of ${JSON.stringify(ch)} before the boundary: the structure is lost, never valid`, () => {
      const typeLine = signedTypeLine();
      const entity = signedEntity.replace(typeLine, typeLine.replace('multipart/signed;', `multipart/signed; x-pad=${run(ch)};`));
      const { report, ms } = timedAnalyze(outerHeaders() + entity);
      assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
      assert.notEqual(report.verdict, 'valid', report.summary);
    });
  }
});

describe('1 MB in the MIME fields of a part', () => {
  const part = (field: string) =>
    outerHeaders() + `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n${field}\r\n\r\nhello\r\n--b--\r\n`;
  for (const name of ['Content-Type', 'Content-Transfer-Encoding', 'Content-Disposition', 'Content-ID', 'Content-Description']) {
    for (const prefix of ['', 'text/plain; name=', 'attachment; filename*0*=', '"']) {
      for (const ch of RUNS) {
        test(`${name}: ${JSON.stringify(prefix)} + 1 MB of ${JSON.stringify(ch)}: unsigned, within the bound`, () => {
          const { report, ms } = timedAnalyze(part(`${name}: ${prefix}${run(ch)}x`));
          assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
          // Unsigned, or invalid when the field reads differently in other parsers (ambiguous-content).
          assert.equal(report.verdict, report.reasons.includes('ambiguous-content') ? 'invalid' : 'unsigned', report.summary);
          assert.ok(report.warnings.some((w) => w.code === 'header-field-truncated'));
        });
      }
    }
  }
});
