/** Pure helpers of the extension layer: settings, file names, the HTML rewrite, the page CSP, bare CMS files. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { asMimeMessage } from '../../../src/extension/cmsFile';
import { safeFileName } from '../../../src/core/mail';
import { outputName } from '../../../src/extension/fileNames';
import { decryptionSources, expandPath, readSettings, validationDate, type ConfigGetter } from '../../../src/extension/settings';
import { sanitizeHtml } from '../../../src/extension/view/htmlSanitizer';
import { pageCsp, pageHtml } from '../../../src/extension/webviewHtml';
import { parseMessage } from '../../../src/core/mime/parser';

const options = { resolveCid: (cid: string) => (cid === 'img@x' ? 'data:image/png;base64,AAAA' : undefined), allowRemote: false, styleNonce: 'N' };
const body = (html: string) => sanitizeHtml(html, options).document.replace(/^.*?<\/head>/, '');

describe('settings', () => {
  test('paths: ${workspaceFolder}, ~, relative, and nothing without a folder', () => {
    assert.equal(expandPath('${workspaceFolder}/ca.pem', '/ws'), '/ws/ca.pem');
    assert.equal(expandPath('certs/ca.pem', '/ws'), '/ws/certs/ca.pem');
    assert.equal(expandPath('~/keys/a.p12', '/ws'), `${homedir()}/keys/a.p12`);
    assert.equal(expandPath('/abs/../x.pem', undefined), '/x.pem');
    assert.equal(expandPath('rel.pem', undefined), undefined);
    assert.equal(expandPath('${workspaceFolder}/x', undefined), undefined);
    assert.equal(expandPath('  ', '/ws'), undefined);
  });

  test('a virtual workspace: paths resolve with posix rules against the URI path of its folder, on every platform', () => {
    assert.equal(expandPath('${workspaceFolder}/certs/../ca.pem', '/owner/repo', 'posix'), '/owner/repo/ca.pem');
    assert.equal(expandPath('certs\\ca.pem', '/owner/repo', 'posix'), '/owner/repo/certs\\ca.pem');
    const get: ConfigGetter = <T>(key: string, fallback: T) => (key === 'trust.anchors' ? (['anchors'] as T) : fallback);
    assert.deepEqual(readSettings(get, '/owner/repo', 'posix').anchors, ['/owner/repo/anchors']);
  });

  test('readSettings validates enums and expands every path setting', () => {
    const values: Record<string, unknown> = {
      'trust.anchors': ['${workspaceFolder}/ca.pem', 42], 'decrypt.p12': 'bob.p12', 'sign.format': 'bogus', 'encrypt.cipher': 'aes-128-gcm',
      'recipients.folder': 'recipients', output: 'replace', 'verify.allowSha1': 'yes',
    };
    const get: ConfigGetter = <T>(key: string, fallback: T) => (key in values ? (values[key] as T) : fallback);
    const s = readSettings(get, '/ws');
    assert.deepEqual(s.anchors, ['/ws/ca.pem']);
    assert.deepEqual(s.decrypt, { p12: '/ws/bob.p12' });
    assert.equal(s.format, 'detached');
    assert.equal(s.cipher, 'aes-128-gcm');
    assert.equal(s.recipientsFolder, '/ws/recipients');
    assert.equal(s.output, 'replace');
    assert.equal(s.allowSha1, false, 'only a real boolean true enables SHA-1');
    assert.equal(s.toSelf, true);
  });

  test('decryption identities: smime.decrypt first, then smime.decrypt.identities, each key file once', () => {
    const values: Record<string, unknown> = {
      'decrypt.p12': 'current.p12',
      'decrypt.identities': [{ p12: 'old.p12' }, { key: '~/keys/older.key', cert: 'older.pem' }, { p12: 'current.p12' }, { cert: 'only-a-cert.pem' }, 'bogus', null],
    };
    const get: ConfigGetter = <T>(key: string, fallback: T) => (key in values ? (values[key] as T) : fallback);
    const settings = readSettings(get, '/ws');
    assert.deepEqual(decryptionSources(settings), [
      { p12: '/ws/current.p12' },
      { p12: '/ws/old.p12' },
      { key: `${homedir()}/keys/older.key`, cert: '/ws/older.pem' },
    ]);
    assert.equal(settings.decryptAutomatically, true);
    assert.equal(readSettings(<T>(key: string, fallback: T) => (key === 'decrypt.automatically' ? (false as T) : fallback), '/ws').decryptAutomatically, false);
  });

  test('validation time: now or ISO-8601', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    assert.deepEqual(validationDate('now', now), { at: now });
    assert.deepEqual(validationDate('2024-06-01T12:00:00Z', now), { at: new Date('2024-06-01T12:00:00Z') });
    assert.ok('error' in validationDate('yesterday', now));
  });
});

describe('file names', () => {
  test('attachment names lose directories, controls, bidi overrides and device names', () => {
    assert.equal(safeFileName('../../etc/passwd', 'x'), 'passwd');
    assert.equal(safeFileName('..\\..\\boot.ini', 'x'), 'boot.ini');
    assert.equal(safeFileName('invoice\u202Efdp.exe', 'x'), 'invoice_fdp.exe');
    assert.equal(safeFileName('CON.txt', 'x'), '_CON.txt');
    assert.equal(safeFileName('...', 'fallback.bin'), 'fallback.bin');
    assert.equal(safeFileName(undefined, 'part.bin'), 'part.bin');
    assert.equal(safeFileName('a'.repeat(300) + '.pdf', 'x').length, 120);
    assert.ok(safeFileName('a'.repeat(300) + '.pdf', 'x').endsWith('.pdf'));
  });

  test('output names sit beside the input', () => {
    assert.equal(outputName('mail.eml', 'signed'), 'mail.signed.eml');
    assert.equal(outputName('mail', 'encrypted'), 'mail.encrypted.eml');
    assert.equal(outputName('mail.eml', 'signed', 1), 'mail.signed-2.eml');
  });
});

describe('HTML rewrite', () => {
  test('scripts, handlers, frames, base, meta refresh and links to elsewhere are gone', () => {
    const out = body('<script>x()</script><p onclick="x()" onmouseover=y>t</p><iframe src="https://e/x"></iframe><base href="https://e/"><meta http-equiv="refresh" content="0;url=https://e/"><a href="https://e/" target="_top">l</a><form action="https://e/"><button formaction="https://e/">b</button></form>');
    assert.ok(!/script|onclick|onmouseover|iframe|<base|refresh|href="https|action="https|target/i.test(out), out);
    assert.ok(out.includes('<a title="https://e/">l</a>'));
  });

  test('URLs hidden with entities, whitespace or protocol-relative form are still caught', () => {
    const r = sanitizeHtml('<img src="ht&#116;ps://e/a.png"><img src=" //e/b.png"><img src="jav&#x09;ascript:x"><img src="h\ttps://e/c">', options);
    assert.equal(r.remoteCount, 3);
    assert.ok(!/src=/.test(r.document.replace(/^.*?<\/head>/, '')));
  });

  test('CSS: url() resolved, @import and image-set dropped, escapes and entities neutralised', () => {
    const r = sanitizeHtml('<style>@import "https://e/x.css"; a{background:url(https://e/a.png)} b{background:url(cid:img@x)} c{background:-webkit-image-set("https://e/s.png" 1x)}</style><p style="background:u&#114;l(https://e/p.png)">x</p><i style="color:\\72 ed">y</i>', options);
    const out = r.document;
    assert.ok(!/https:\/\/e/.test(out), out);
    assert.ok(out.includes('url("data:image/png;base64,AAAA")'));
    assert.ok(r.remoteCount >= 3);
    assert.ok(/<style nonce="N">/.test(out));
    assert.ok(!/\sstyle="/.test(out), 'style attributes become nonce\'d rules');
  });

  test('SVG animation and srcset cannot bring URLs back', () => {
    const out = body('<svg><a><animate attributeName="href" to="https://e/"/><set attributeName="href" to="https://e/"/></a><image href="https://e/i.png"/></svg><img srcset="https://e/1.png 1x, https://e/2.png 2x">');
    assert.ok(!/animate|<set|https:/i.test(out), out);
  });

  test('text never contains a "<" the browser could read as a tag; comments and doctype dropped', () => {
    const out = body('a < b <!-- <img src=https://e/> --> <!DOCTYPE html><p title="x>y">z</p>');
    assert.equal(out, 'a &lt; b  <p title="x&gt;y">z</p>');
  });

  test('remote images are kept only when allowed, and links never', () => {
    const r = sanitizeHtml('<img src="https://e/a.png"><a href="https://e/">l</a>', { ...options, allowRemote: true });
    assert.ok(r.document.includes('<img src="https://e/a.png">'));
    assert.ok(r.document.includes("img-src data: https: http:"));
    assert.ok(!r.document.includes('href="https://e/"'));
  });
});

describe('webview page', () => {
  test('strict CSP: nonce scripts, theme styles, no frames, remote images only when asked', () => {
    const csp = pageCsp({ cspSource: 'vscode-resource:', scriptNonce: 'S', styleNonce: 'T', allowRemoteImages: false });
    assert.match(csp, /^default-src 'none'; script-src 'nonce-S'; style-src vscode-resource: 'nonce-T'; font-src vscode-resource:; img-src vscode-resource: data:; frame-src 'none'/);
    assert.ok(!csp.includes('unsafe'));
    assert.ok(pageCsp({ cspSource: 'c', scriptNonce: 'S', styleNonce: 'T', allowRemoteImages: true }).includes('img-src c data: https: http:'));
    const html = pageHtml({ cspSource: 'c', scriptUri: 'u"x', styleUri: 's', codiconUri: 'i', scriptNonce: 'S', styleNonce: 'T', allowRemoteImages: false, title: '<t>' });
    assert.ok(html.includes('<script nonce="S" src="u&quot;x"></script>'));
    assert.ok(html.includes('<title>&lt;t></title>'));
  });
});

describe('bare CMS files', () => {
  test('a DER .p7m is wrapped as application/pkcs7-mime; an .eml or a MIME .p7m is left alone', () => {
    const der = Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]);
    const wrapped = asMimeMessage('/x/smime.p7m', der);
    const msg = parseMessage(wrapped);
    assert.equal(msg.root.contentType.mimeType, 'application/pkcs7-mime');
    assert.equal(asMimeMessage('/x/mail.eml', der), der);
    const mime = Buffer.from('Content-Type: text/plain\r\n\r\nhi\r\n');
    assert.equal(asMimeMessage('/x/a.p7m', mime), mime);
  });
});
