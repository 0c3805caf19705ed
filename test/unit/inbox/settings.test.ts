/**
 * The test inbox's settings and file names: defaults (127.0.0.1:2525, .mail/), out-of-range values falling back to
 * them, names that are safe on every file system and sort by arrival, and the subject read from the header block.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopback, readInboxSettings, readSendSettings } from '../../../src/extension/inbox/inboxSettings';
import { messageFileName, subjectOf, subjectSlug } from '../../../src/inbox/fileName';
import { inboxVerdict } from '../../../src/core/inbox/inboxVerdict';
import type { EnvelopedLayerReport, SecurityReport } from '../../../src/core/smime/report';

const getter = (values: Record<string, unknown>) => <T>(key: string, fallback: T): T => (key in values ? (values[key] as T) : fallback);

describe('test inbox settings', () => {
  test('defaults: 127.0.0.1, port 2525, .mail in the workspace folder, 25 MiB, no AUTH, no STARTTLS', () => {
    assert.deepEqual(readInboxSettings(getter({}), '/ws'), { host: '127.0.0.1', port: 2525, folder: '/ws/.mail', maxMessageBytes: 25 * 1024 * 1024, starttls: false });
  });

  test('no workspace folder: no folder to write to', () => {
    assert.equal(readInboxSettings(getter({}), undefined).folder, undefined);
  });

  test('bad values fall back to the defaults; AUTH user and STARTTLS are read', () => {
    const s = readInboxSettings(getter({ 'inbox.port': 70000, 'inbox.maxMessageBytes': -1, 'inbox.host': '  ', 'inbox.authUser': ' dev ', 'inbox.starttls': true, 'inbox.folder': 'out/mail' }), '/ws');
    assert.equal(s.port, 2525);
    assert.equal(s.maxMessageBytes, 25 * 1024 * 1024);
    assert.equal(s.host, '127.0.0.1');
    assert.equal(s.authUser, 'dev');
    assert.equal(s.starttls, true);
    assert.equal(s.folder, '/ws/out/mail');
    assert.equal(readInboxSettings(getter({ 'inbox.port': 0 }), '/ws').port, 0);
  });

  test('send: empty host means the test inbox; STARTTLS and certificate checks by default', () => {
    assert.deepEqual(readSendSettings(getter({})), { port: 587, security: 'starttls', rejectUnauthorized: true });
    assert.deepEqual(readSendSettings(getter({ 'send.host': 'smtp.example.com', 'send.port': 465, 'send.security': 'tls', 'send.user': 'me', 'send.rejectUnauthorized': false })), {
      host: 'smtp.example.com', port: 465, security: 'tls', user: 'me', rejectUnauthorized: false,
    });
    assert.equal(readSendSettings(getter({ 'send.security': 'bogus' })).security, 'starttls');
  });

  test('loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '192.168.1.2', '1127.0.0.1']) assert.equal(isLoopback(h), false, h);
  });
});

describe('received message names', () => {
  const at = new Date('2026-12-03T07:05:09.045Z');

  test('TIMESTAMP-SUBJECT.eml, UTC, sortable; separators, dots and colons never reach the name', () => {
    assert.equal(messageFileName(at, 'Re: Invoice 12/2026 ../../etc'), '20261203-070509-045-Re-Invoice-12-2026-etc.eml');
    assert.equal(messageFileName(at, 'C:\\temp\\x'), '20261203-070509-045-C-temp-x.eml');
    assert.equal(messageFileName(at, undefined), '20261203-070509-045-no-subject.eml');
    assert.equal(messageFileName(at, '...'), '20261203-070509-045-no-subject.eml');
    assert.equal(messageFileName(at, 'Grüße 😀', 2), '20261203-070509-045-Grüße-3.eml');
  });

  test('long subjects are cut to 60 characters, 1 MB of one character included', () => {
    assert.equal(subjectSlug('a'.repeat(1 << 20)).length, 60);
    assert.equal(subjectSlug(' '.repeat(1 << 20)), 'no-subject');
    assert.equal(subjectSlug('-'.repeat(1 << 20)), 'no-subject');
  });

  test('the subject comes from the header block, encoded words decoded, never from the body', () => {
    assert.equal(subjectOf(Buffer.from('From: a@example.com\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\nSubject: body')), 'Grüße');
    assert.equal(subjectOf(Buffer.from('From: a@example.com\n\nSubject: body')), undefined);
    assert.equal(subjectOf(Buffer.alloc(1 << 20, 0x61)), undefined);
  });
});

describe('inbox verdicts', () => {
  const report = (verdict: SecurityReport['verdict'], layers: Partial<EnvelopedLayerReport>[] = []) => ({ verdict, layers }) as unknown as SecurityReport;

  test('an encrypted message that was not decrypted is "encrypted", not "error"', () => {
    assert.equal(inboxVerdict(report('error', [{ kind: 'enveloped', status: 'not-decrypted', coversMessage: true, decrypted: false }])), 'encrypted');
    assert.equal(inboxVerdict(report('error', [])), 'error');
    assert.equal(inboxVerdict(report('valid', [{ kind: 'enveloped', status: 'decrypted', coversMessage: true, decrypted: true }])), 'valid');
    assert.equal(inboxVerdict(report('untrusted')), 'untrusted');
  });
});
