/**
 * The verifier's verdicts on messages OpenSSL signs at test time, including the structural attacks
 * (ambiguous content, zero signers, partial signing, display-name spoofing) and LF-only files.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeMessage, type AnalyzeOptions } from '../../../src/core/smime/analyze';
import { Certificate } from '../../../src/core/x509/certificate';
import { asSigned, signersOf } from '../../helpers/report';

let dir = '';
let options: AnalyzeOptions;
const body = 'Content-Type: text/plain; charset=utf-8\r\n\r\nPay 100 EUR to account 42.\r\n';

function openssl(args: string[], input?: Buffer | string): Buffer {
  return execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function pemCert(name: string): Certificate {
  return new Certificate(Buffer.from(readFileSync(join(dir, name), 'latin1').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
}

function headers(from = 'Alice <alice@example.com>', date = new Date().toUTCString()): string {
  return `From: ${from}\r\nTo: bob@example.com\r\nSubject: test\r\nDate: ${date}\r\n`;
}

function signDetached(signer = 'alice', extra: string[] = []): string {
  writeFileSync(join(dir, 'body.txt'), body);
  return openssl(['cms', '-sign', '-in', 'body.txt', '-signer', `${signer}.pem`, '-inkey', `${signer}.key`, '-md', 'sha256', '-binary', ...extra]).toString('latin1');
}

function analyze(message: string, extra: AnalyzeOptions = {}) {
  return analyzeMessage(Buffer.from(message, 'latin1'), { ...options, ...extra }).report;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'smime-verify-'));
  writeFileSync(
    join(dir, 'ext.cnf'),
    [
      '[ca]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=keyCertSign,cRLSign',
      '[alice]', 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=emailProtection', 'subjectAltName=email:alice@example.com',
      '[mallory]', 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=emailProtection', 'subjectAltName=email:mallory@example.com',
      '[server]', 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=serverAuth', 'subjectAltName=email:alice@example.com',
    ].join('\n'),
  );
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test CA', '-days', '30', '-extensions', 'ca', '-config', 'ext.cnf']);
  for (const name of ['alice', 'mallory', 'server']) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '10', '-extfile', 'ext.cnf', '-extensions', name]);
  }
  options = { anchors: [pemCert('ca.pem')] };
});

describe('detached signatures', () => {
  test('a valid signature from a trusted signer whose address is From is valid', () => {
    const report = analyze(headers() + signDetached());
    assert.equal(report.verdict, 'valid', report.summary);
    assert.equal(report.layers[0].kind, 'signed');
    assert.equal(report.layers[0].covers, '1.1');
    assert.equal(report.layers[0].signers?.[0].email, 'alice@example.com');
  });

  test('one changed byte in the signed part gives digest-mismatch and invalid', () => {
    const report = analyze(headers() + signDetached().replace('100 EUR', '900 EUR'));
    assert.equal(report.verdict, 'invalid');
    assert.ok(report.reasons.includes('digest-mismatch'));
  });

  test('without the CA configured the signer is untrusted', () => {
    const report = analyze(headers() + signDetached(), { anchors: [] });
    assert.equal(report.verdict, 'untrusted');
    assert.ok(report.reasons.includes('untrusted-root'));
  });

  test('validation after the certificate expired gives cert-expired, saying it was valid when signed; the path still reaches the anchor', () => {
    const report = analyze(headers() + signDetached(), { at: new Date(Date.now() + 20 * 86400_000) });
    assert.equal(report.verdict, 'untrusted');
    assert.ok(report.reasons.includes('cert-expired'));
    const checks = signersOf(report.layers[0])[0].checks;
    const check = (id: string) => checks.find((c) => c.id === id);
    assert.equal(check('trust-anchor')?.status, 'pass');
    assert.match(check('trust-anchor')?.detail ?? '', /^anchored at /);
    assert.equal(check('validity')?.status, 'fail');
    assert.match(check('validity')?.detail ?? '', /expired on \d{4}-\d\d-\d\d \(valid when signed on \d{4}-\d\d-\d\d\)$/);
    assert.match(report.summary, /valid when signed on/);
    // Without a path to an anchor the anchor check fails, whatever else holds.
    const unanchored = signersOf(analyze(headers() + signDetached(), { anchors: [] }).layers[0])[0].checks;
    assert.equal(unanchored.find((c) => c.id === 'trust-anchor')?.status, 'fail');
  });

  test('a signer whose address differs from From is a mismatch', () => {
    const report = analyze(headers() + signDetached('mallory'));
    assert.equal(report.verdict, 'mismatch');
    assert.ok(report.reasons.includes('sender-mismatch'));
    assert.equal(signersOf(report.layers[0])[0].emailMatchesFrom, false);
  });

  test('a From display name showing another address is a mismatch', () => {
    const report = analyze(headers('"boss@example.com" <alice@example.com>') + signDetached());
    assert.equal(report.verdict, 'mismatch');
  });

  test('two From headers are a mismatch', () => {
    const report = analyze(headers() + 'From: boss@example.com\r\n' + signDetached());
    assert.equal(report.verdict, 'mismatch');
  });

  test('a certificate without emailProtection fails ext-key-usage', () => {
    const report = analyze(headers() + signDetached('server'));
    assert.equal(report.verdict, 'untrusted');
    assert.ok(report.reasons.includes('ext-key-usage'));
  });

  test('SHA-1 is rejected by default and allowed by option, always flagged weak', () => {
    const msg = headers() + signDetached('alice', ['-md', 'sha1']);
    const strict = analyze(msg);
    assert.equal(strict.verdict, 'invalid');
    assert.ok(strict.reasons.includes('weak-algorithm'));
    const relaxed = analyze(msg, { allowSha1: true });
    assert.equal(relaxed.verdict, 'valid');
    assert.ok(relaxed.reasons.includes('weak-algorithm'));
    // The rejection says how to allow it: the command line's flag, or the caller's own way (VS Code: a setting).
    const sha1Reason = (r: typeof strict) => signersOf(r.layers[0])[0].reasons.find((x) => x.code === 'weak-algorithm')?.message ?? '';
    assert.match(sha1Reason(strict), /allow with --allow-sha1$/);
    const inEditor = sha1Reason(analyze(msg, { allowSha1Option: 'the setting smime.verify.allowSha1' }));
    assert.match(inEditor, /allow with the setting smime\.verify\.allowSha1$/);
    assert.doesNotMatch(inEditor, /--/);
  });

  test('a signing time far from the Date header is its own warning and does not change the verdict', () => {
    const report = analyze(headers(undefined, 'Mon, 01 Jan 2024 00:00:00 +0000') + signDetached());
    assert.ok(report.reasons.includes('signing-time-mismatch'));
    assert.ok(!report.reasons.includes('sender-mismatch'));
    const signer = signersOf(report.layers[0])[0];
    assert.equal(signer?.reasons.find((r) => r.code === 'signing-time-mismatch')?.severity, 'warning');
    assert.equal(signer?.checks.find((c) => c.id === 'signing-time')?.status, 'warn');
    assert.equal(report.verdict, 'valid', report.summary);
  });

  test('a file saved with LF line endings verifies in canonical CRLF form and says so', () => {
    const report = analyze((headers() + signDetached()).replace(/\r\n/g, '\n'));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.equal(asSigned(report.layers[0]).canonicalized, true);
    assert.ok(report.reasons.includes('line-endings-canonicalized'));
  });
});

describe('structural attacks', () => {
  test('a detached signature carrying eContent is ambiguous, never valid', () => {
    const opaque = signDetached('alice', ['-nodetach', '-outform', 'DER']);
    const b64 = Buffer.from(opaque, 'latin1').toString('base64').replace(/(.{76})/g, '$1\r\n');
    const msg = headers() + 'MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="b"\r\n\r\n--b\r\n' + body + '\r\n--b\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64 + '\r\n--b--\r\n';
    const report = analyze(msg);
    assert.equal(report.verdict, 'invalid');
    assert.ok(report.reasons.includes('ambiguous-content'));
  });

  test('a signature with zero SignerInfos is not a signature', () => {
    const certsOnly = openssl(['crl2pkcs7', '-nocrl', '-certfile', 'alice.pem', '-outform', 'DER']);
    const b64 = certsOnly.toString('base64').replace(/(.{76})/g, '$1\r\n');
    const msg = headers() + 'MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="b"\r\n\r\n--b\r\n' + body + '\r\n--b\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64 + '\r\n--b--\r\n';
    const report = analyze(msg);
    assert.equal(report.verdict, 'invalid');
    assert.ok(report.reasons.includes('no-signers'));
  });

  test('a certificates-only message carries certificates, not a signature', () => {
    const certsOnly = openssl(['crl2pkcs7', '-nocrl', '-certfile', 'alice.pem', '-outform', 'DER']);
    const b64 = certsOnly.toString('base64').replace(/(.{76})/g, '$1\r\n');
    const msg = headers() + 'MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=certs-only; name=smime.p7c\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64 + '\r\n';
    const result = analyzeMessage(Buffer.from(msg, 'latin1'), options);
    assert.equal(result.report.verdict, 'unsigned');
    assert.ok(result.report.reasons.includes('certs-only'));
    assert.equal(result.report.layers.length, 0);
    assert.equal(result.certificates.length, 1);
  });

  test('a validly signed part inside an unsigned multipart is a partial signature, not a signed message', () => {
    const signed = signDetached();
    const msg = headers() + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="outer"\r\n\r\n--outer\r\nContent-Type: text/html\r\n\r\n<b>Pay 9000 EUR instead</b>\r\n--outer\r\n' + signed + '\r\n--outer--\r\n';
    const report = analyze(msg);
    assert.equal(report.verdict, 'unsigned');
    assert.ok(report.reasons.includes('partial-signature'));
    const layer = report.layers.find((l) => l.kind === 'signed');
    assert.equal(layer?.coversMessage, false);
    assert.equal(layer?.signers?.[0].status, 'valid');
  });

  test('an opaque signature is verified over its encapsulated content', () => {
    const report = analyze(headers() + signDetached('alice', ['-nodetach']));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.equal(asSigned(report.layers[0]).form, 'opaque');
    assert.equal(report.layers[0].covers, '1.1');
  });
});

describe('attached messages', () => {
  test('a signed message forwarded as an attachment is matched against its own From, and is only a partial signature', () => {
    const forwarded = headers() + signDetached();
    const msg = headers('Bob <bob@example.com>') + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="fw"\r\n\r\n--fw\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--fw\r\nContent-Type: message/rfc822\r\n\r\n' + forwarded + '\r\n--fw--\r\n';
    const report = analyze(msg);
    assert.equal(report.verdict, 'unsigned');
    assert.ok(report.reasons.includes('partial-signature'));
    const signer = report.layers.find((l) => l.kind === 'signed')?.signers?.[0];
    assert.equal(signer?.status, 'valid');
    assert.equal(signer?.emailMatchesFrom, true);
  });
});
