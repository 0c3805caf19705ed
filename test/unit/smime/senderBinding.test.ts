/**
 * Sender binding (RFC 8550 §3) on messages OpenSSL signs at test time: each attack with the verdict and reason
 * code it must get. `valid` needs positive proof that every From mailbox is an address of the signer.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_HEADER_BYTES } from '../../../src/core/mime/limits';
import { analyzeMessage, type AnalyzeOptions } from '../../../src/core/smime/analyze';
import type { SecurityReport, SignerReport } from '../../../src/core/smime/report';
import { Certificate } from '../../../src/core/x509/certificate';

let dir = '';
let options: AnalyzeOptions;
const body = 'Content-Type: text/plain; charset=utf-8\r\n\r\nPay 100 EUR to account 42.\r\n';
const NUL_ADDRESS = 'alice@example.com\u0000.evil.example';

function openssl(args: string[], input?: Buffer | string): Buffer {
  return execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** subjectAltName holding one rfc822Name with a NUL inside, written as DER (openssl's config syntax cannot say NUL). */
function nulSanDer(): string {
  const name = Buffer.from(NUL_ADDRESS, 'latin1');
  const general = Buffer.concat([Buffer.from([0x81, name.length]), name]);
  return Buffer.concat([Buffer.from([0x30, general.length]), general]).toString('hex');
}

const USERS: Record<string, { subject: string; ext: string[] }> = {
  alice: { subject: '/CN=Alice/emailAddress=alice@example.com', ext: ['subjectAltName=email:alice@example.com'] },
  dnDiffers: { subject: '/CN=Alice/emailAddress=ceo@bank.example', ext: ['subjectAltName=email:alice@example.com'] },
  dnOnly: { subject: '/CN=Legacy/emailAddress=legacy@example.com', ext: [] },
  nulSan: { subject: '/CN=Nul', ext: [`subjectAltName=DER:${nulSanDer()}`] },
  controlDn: { subject: '/CN=Bell/emailAddress=bell\u0007@example.com', ext: [] },
};

function pemCert(name: string): Certificate {
  return new Certificate(Buffer.from(readFileSync(join(dir, name), 'latin1').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
}

function sign(signer: string, content = body, extra: string[] = []): string {
  writeFileSync(join(dir, 'content.txt'), content);
  return openssl(['cms', '-sign', '-in', 'content.txt', '-signer', `${signer}.pem`, '-inkey', `${signer}.key`, '-md', 'sha256', '-binary', ...extra]).toString('latin1');
}

function analyze(headers: string, signed: string): SecurityReport {
  return analyzeMessage(Buffer.concat([Buffer.from(headers, 'utf8'), Buffer.from(signed, 'latin1')]), options).report;
}

function message(from: string | null, more = ''): string {
  const date = `Date: ${new Date().toUTCString()}\r\n`;
  return (from === null ? '' : `From: ${from}\r\n`) + `To: bob@example.com\r\nSubject: test\r\n${date}${more}`;
}

function signer(report: SecurityReport): SignerReport {
  const s = report.layers.find((l) => l.kind === 'signed')?.signers?.[0];
  assert.ok(s, 'a signer report');
  return s;
}

function expectMismatch(report: SecurityReport, why?: RegExp): void {
  assert.equal(report.verdict, 'mismatch', report.summary);
  assert.ok(report.reasons.includes('sender-mismatch'), report.reasons.join());
  const s = signer(report);
  assert.equal(s.emailMatchesFrom, false);
  assert.equal(s.checks.find((c) => c.id === 'sender')?.status, 'fail');
  if (why) assert.ok(s.reasons.some((r) => r.code === 'sender-mismatch' && why.test(r.message)), JSON.stringify(s.reasons));
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'smime-sender-'));
  const sections = ['[ca]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=keyCertSign,cRLSign'];
  for (const [name, u] of Object.entries(USERS)) {
    sections.push(`[${name}]`, 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=emailProtection', ...u.ext);
  }
  writeFileSync(join(dir, 'ext.cnf'), sections.join('\n') + '\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Sender Test CA', '-days', '30', '-extensions', 'ca', '-config', 'ext.cnf']);
  for (const [name, u] of Object.entries(USERS)) {
    openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', u.subject]);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '10', '-extfile', 'ext.cnf', '-extensions', name]);
  }
  options = { anchors: [pemCert('ca.pem')] };
});

describe('valid needs a positive match', () => {
  test('baseline: From is the signer address', () => {
    const report = analyze(message('Alice <alice@example.com>'), sign('alice'));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.match(signer(report).checks.find((c) => c.id === 'sender')?.detail ?? '', /^From alice@example\.com matches the signer/);
  });

  const refused: [string, string | null, RegExp][] = [
    ['an empty From', '', /empty/],
    ['a From with only a display name', 'Alice Example', /display name without an address/],
    ['an empty group', 'Alice:;', /group/],
    ['a group holding the signer', 'Team: alice@example.com;', /group/],
    ['an unparseable From', 'Alice <alice@example.com', /angle/],
    ['text after the angle address', 'Alice <alice@example.com> urgent', /text after the angle address/],
    ['a second address after <...>', '<alice@example.com> ceo@bank.example', /text after the angle address/],
    ['a second mailbox that is not the signer', 'alice@example.com, ceo@bank.example', /ceo@bank\.example is not an address of the signer/],
    ['no From and no Sender', null, /neither a From nor a Sender/],
  ];
  for (const [name, from, why] of refused) {
    test(`${name} is sender-mismatch`, () => {
      const report = analyze(message(from), sign('alice'));
      expectMismatch(report, why);
      assert.doesNotMatch(signer(report).checks.find((c) => c.id === 'sender')?.detail ?? '', /matches the signer/);
    });
  }

  test('two From fields are sender-mismatch', () => {
    expectMismatch(analyze(message('alice@example.com', 'From: alice@example.com\r\n'), sign('alice')), /2 From fields/);
  });
});

describe('display-name spoofing survives Unicode', () => {
  const spoofs: [string, string][] = [
    ['plain', '"ceo@bank.example" <alice@example.com>'],
    ['full-width commercial at', '"ceo\uff20bank.example" <alice@example.com>'],
    ['small commercial at', '"ceo\ufe6bbank.example" <alice@example.com>'],
    ['no-break spaces', '"ceo\u00a0@\u00a0bank.example" <alice@example.com>'],
    ['hair spaces', '"ceo\u200a@\u200abank.example" <alice@example.com>'],
    ['zero-width space', '"ceo@ba\u200bnk.example" <alice@example.com>'],
    ['comment after the address', 'Alice <alice@example.com> (ceo@bank.example)'],
    ['comment after a bare address', 'alice@example.com (ceo@bank.example)'],
    ['encoded word', '=?utf-8?q?ceo=40bank=2Eexample?= <alice@example.com>'],
    ['encoded word inside quotes', '"=?utf-8?b?Y2VvQGJhbmsuZXhhbXBsZQ==?=" <alice@example.com>'],
    ['8-bit UTF-8 name with full-width letters', '"\uff43\uff45\uff4f@bank.example" <alice@example.com>'],
  ];
  for (const [name, from] of spoofs) {
    test(`${name}: sender-mismatch`, () => {
      expectMismatch(analyze(message(from), sign('alice')), /shows another address \(ceo@bank\.example\)/);
    });
  }
  test('bidi override in the display name: sender-mismatch', () => {
    expectMismatch(analyze(message('"\u202eelpmaxe.knab@oec" <alice@example.com>'), sign('alice')), /bidi control U\+202E/);
  });
  test('encoded word in an unknown charset: sender-mismatch', () => {
    expectMismatch(analyze(message('=?x-unknown-7?b?Y2VvQGJhbmsuZXhhbXBsZQ==?= <alice@example.com>'), sign('alice')), /unknown charset/);
  });
  test('the display name repeating the real address is fine', () => {
    assert.equal(analyze(message('"alice@example.com" <alice@example.com>'), sign('alice')).verdict, 'valid');
  });
});

describe('From decides, Sender only without From (RFC 8550 §3, as Thunderbird)', () => {
  test('a mailing list Sender does not turn a From-matching signature into a mismatch; it is shown as information', () => {
    const report = analyze(message('Alice <alice@example.com>', 'Sender: list-bounces@lists.example\r\n'), sign('alice'));
    assert.equal(report.verdict, 'valid', report.summary);
    const info = signer(report).reasons.find((r) => r.code === 'sender-header');
    assert.equal(info?.severity, 'info');
    assert.match(info?.message ?? '', /list-bounces@lists\.example/);
  });
  test('a Sender matching the signer does not rescue a From that does not', () => {
    expectMismatch(analyze(message('ceo@bank.example', 'Sender: alice@example.com\r\n'), sign('alice')), /From ceo@bank\.example/);
  });
  test('without From, the Sender decides', () => {
    const report = analyze(message(null, 'Sender: Alice <alice@example.com>\r\n'), sign('alice'));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.ok(report.reasons.includes('sender-header'));
  });
  test('without From, a Sender that is not the signer is sender-mismatch', () => {
    expectMismatch(analyze(message(null, 'Sender: ceo@bank.example\r\n'), sign('alice')), /Sender ceo@bank\.example/);
  });
});

describe('control characters make an address unusable', () => {
  test('NUL in From: sender-mismatch', () => {
    expectMismatch(analyze(message(NUL_ADDRESS), sign('alice')), /control character U\+0000/);
  });
  test('ESC in the From display name: sender-mismatch', () => {
    expectMismatch(analyze(message('Alice\u001b[8m <alice@example.com>'), sign('alice')), /control character U\+001B/);
  });
  test('a certificate whose only SAN address holds a NUL names no usable address', () => {
    // The certificate as OpenSSL writes it really carries the NUL address.
    assert.ok(openssl(['x509', '-in', 'nulSan.pem', '-outform', 'DER']).includes(Buffer.from(NUL_ADDRESS, 'latin1')));
    const report = analyze(message('alice@example.com'), sign('nulSan'));
    assert.equal(report.verdict, 'mismatch', report.summary);
    assert.ok(report.reasons.includes('no-signer-address'));
    const warning = signer(report).reasons.find((r) => r.code === 'unusable-address');
    assert.equal(warning?.severity, 'warning');
    assert.match(warning?.message ?? '', /control character U\+0000/);
    assert.deepEqual(signer(report).emails, []);
  });
  test('a control character in the legacy DN address makes it unusable', () => {
    const report = analyze(message('bell@example.com'), sign('controlDn'));
    assert.equal(report.verdict, 'mismatch', report.summary);
    assert.ok(report.reasons.includes('no-signer-address'));
    assert.ok(report.reasons.includes('unusable-address'));
  });
});

describe('subject DN email versus subjectAltName (RFC 8550 §3)', () => {
  test('the SAN address is used and the differing DN address is a warning', () => {
    const report = analyze(message('alice@example.com'), sign('dnDiffers'));
    assert.equal(report.verdict, 'valid', report.summary);
    const warning = signer(report).reasons.find((r) => r.code === 'subject-email-mismatch');
    assert.equal(warning?.severity, 'warning');
    assert.match(warning?.message ?? '', /ceo@bank\.example/);
    assert.deepEqual(signer(report).emails, ['alice@example.com']);
  });
  test('a From naming only the DN address is sender-mismatch', () => {
    const report = analyze(message('ceo@bank.example'), sign('dnDiffers'));
    expectMismatch(report, /ceo@bank\.example is not an address of the signer/);
    assert.ok(report.reasons.includes('subject-email-mismatch'));
  });
  test('a certificate without SAN addresses still binds through the legacy DN emailAddress', () => {
    const report = analyze(message('legacy@example.com'), sign('dnOnly'));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.ok(!report.reasons.includes('subject-email-mismatch'));
  });
});

describe('signing time versus Date', () => {
  test('an unreadable Date is a signing-time warning, not a mismatch', () => {
    const report = analyze('From: alice@example.com\r\nDate: yesterday-ish\r\n', sign('alice'));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.equal(signer(report).reasons.find((r) => r.code === 'signing-time-mismatch')?.severity, 'warning');
  });
  test('a far signing time and a sender mismatch are reported separately', () => {
    const report = analyze('From: ceo@bank.example\r\nDate: Mon, 01 Jan 2024 00:00:00 +0000\r\n', sign('alice'));
    expectMismatch(report);
    assert.ok(report.reasons.includes('signing-time-mismatch'));
    assert.ok(signer(report).reasons.filter((r) => r.code === 'sender-mismatch').every((r) => !/signing|Date/.test(r.message)));
  });
});

describe('header protection (RFC 8551 §3.1)', () => {
  const inner = (from: string, subject = 'test') =>
    `Content-Type: message/rfc822\r\n\r\nFrom: ${from}\r\nTo: bob@example.com\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\n${body}`;

  test('matching protected and outer headers: valid, nothing reported', () => {
    const report = analyze(message('alice@example.com'), sign('alice', inner('Alice <alice@example.com>')));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.ok(!report.reasons.includes('header-protection-mismatch'), report.reasons.join());
    assert.match(signer(report).checks.find((c) => c.id === 'sender')?.detail ?? '', /protected From alice@example\.com/);
  });
  test('a protected From that is not the signer is sender-mismatch even when the outer From is', () => {
    const report = analyze(message('alice@example.com'), sign('alice', inner('ceo@bank.example')));
    expectMismatch(report, /protected From ceo@bank\.example is not an address of the signer/);
    assert.ok(report.reasons.includes('header-protection-mismatch'));
  });
  test('a protected From with a spoofing display name is sender-mismatch', () => {
    expectMismatch(analyze(message('alice@example.com'), sign('alice', inner('"ceo\uff20bank.example" <alice@example.com>'))), /protected From display name/);
  });
  test('an outer Subject and To that differ from the protected ones are reported', () => {
    const report = analyze('From: alice@example.com\r\nTo: mallory@evil.example\r\nSubject: URGENT: pay now\r\n', sign('alice', inner('alice@example.com')));
    assert.equal(report.verdict, 'valid', report.summary);
    const layer = report.layers.find((l) => l.kind === 'signed');
    const diffs = layer?.reasons.filter((r) => r.code === 'header-protection-mismatch') ?? [];
    assert.ok(diffs.every((r) => r.severity === 'warning'));
    assert.ok(diffs.some((r) => /outer Subject "URGENT: pay now" differs from the signed \(protected\) Subject "test"/.test(r.message)), JSON.stringify(diffs));
    assert.ok(diffs.some((r) => /outer To "mallory@evil\.example"/.test(r.message)), JSON.stringify(diffs));
  });
  test('an opaque signature whose inner entity carries From is held to it', () => {
    const content = `From: ceo@bank.example\r\nSubject: test\r\n${body}`;
    const report = analyze(message('alice@example.com'), sign('alice', content, ['-nodetach']));
    expectMismatch(report, /protected From ceo@bank\.example/);
  });
});

describe('no header stalls the verifier', () => {
  // Three fields that together stay just under the MIME reader's header limit (MAX_HEADER_BYTES), so all are read.
  const FIELD = Number(process.env.SMIME_LONG_FIELD ?? Math.floor((MAX_HEADER_BYTES - 4096) / 3));
  for (const ch of ['a', '(', '<', '@', '"', ',', ' ', '\u00a0']) {
    test(`From, Sender and Date of a third of 1 MB each of U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`, () => {
      const filler = ch.repeat(FIELD);
      const headers = `From: ${filler}x\r\nSender: x${filler}\r\nDate: ${filler}x (UTC)\r\n`;
      const signed = sign('alice');
      const t0 = performance.now();
      const report = analyze(headers, signed);
      const ms = performance.now() - t0;
      assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
      assert.notEqual(report.verdict, 'valid');
    });
  }
});
