/**
 * What a reader sees (core/mail): the shown parts, cid: images only from the same multipart/related, attachments,
 * the protection of each part, safe file names, HTML as text, and the CLI's `smime show` that prints them with
 * message text made inert for the terminal.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachments, childrenOf, displayParts, findPart, htmlToText, innermostContent, isSavablePart, messageTree, openedContent, partProtection, resolveContentId, safeFileName, walkTree } from '../../../src/core/mail';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import { parseMessage } from '../../../src/core/mime/parser';
import { terminalSafe, terminalSafeText } from '../../../src/cli/format';
import { resolveCli, runCli } from '../../interop/cliRunner';

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

const MIXED = crlf(`From: a@example.com
Subject: parts
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: multipart/alternative; boundary="a"

--a
Content-Type: text/plain

plain version
--a
Content-Type: multipart/related; boundary="r"

--r
Content-Type: text/html

<p>html <img src="cid:logo@x"></p>
--r
Content-Type: image/png
Content-ID: <logo@x>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--r--
--a--
--m
Content-Type: image/png
Content-ID: <other@x>
Content-Disposition: attachment; filename="../../etc/passwd"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--m--
`);

function treeOf(text: string) {
  const { message, inner, report } = analyzeMessage(Buffer.from(text, 'latin1'));
  return { tree: messageTree(message, inner), report };
}

describe('core/mail', () => {
  test('multipart/alternative shows its last part that can be shown; cid: resolves only inside the same related', () => {
    const { tree } = treeOf(MIXED);
    const shown = displayParts(tree);
    assert.deepEqual(shown.map((e) => e.path), ['1.1.2.1']);
    const logo = resolveContentId(tree, shown[0], 'LOGO@x');
    assert.equal(logo?.path, '1.1.2.2');
    assert.equal(resolveContentId(tree, shown[0], 'other@x'), undefined, 'a part outside the related is never pulled in');
    const files = attachments(tree, new Set([logo!.path]));
    assert.deepEqual(files.map((f) => [f.entity.path, f.fileName]), [['1.2', 'passwd']]);
    assert.deepEqual(attachments(tree).map((f) => f.entity.path), ['1.1.2.2', '1.2'], 'an image not inlined is an attachment');
  });

  test('walk, find and the innermost content', () => {
    const { tree } = treeOf(MIXED);
    assert.deepEqual([...walkTree(tree)].map((e) => e.path), ['1', '1.1', '1.1.1', '1.1.2', '1.1.2.1', '1.1.2.2', '1.2']);
    assert.equal(findPart(tree, '1.1.2.2')?.contentType.mimeType, 'image/png');
    for (const bad of ['1.9', '0', '1..1', '../1', 1, null, '1.1 ']) assert.equal(findPart(tree, bad), undefined, String(bad));
    assert.equal(innermostContent(tree).path, '1');
  });

  test('protection: with any signature in the message, an unsigned part is "not-covered"', () => {
    const plain = treeOf(MIXED);
    assert.equal(partProtection(plain.report, '1.1.1').coverage, 'unprotected');
    const fake = {
      layers: [{ kind: 'signed', status: 'valid', path: '1.2', covers: '1.2.1', form: 'detached', reasons: [], signers: [{ status: 'valid' }] }],
    } as unknown as Parameters<typeof partProtection>[0];
    assert.equal(partProtection(fake, '1.1').coverage, 'not-covered');
    assert.equal(partProtection(fake, '1.2.1').coverage, 'signed');
    assert.equal(partProtection(fake, '1.2.2').coverage, 'signed', 'the signature part itself');
    assert.equal(partProtection(fake, '1.2.10').coverage, 'not-covered', '"1.2.1" does not cover "1.2.10"');
    assert.equal(partProtection(fake, '1.2.1').signatures[0].status, 'valid');
  });

  test('opened content: what a pkcs7-mime entity holds, by the holder path, and the same entity the tree walks', () => {
    const message = parseMessage(Buffer.from(crlf('Content-Type: application/pkcs7-mime; smime-type=signed-data\n\nAAAA\n')));
    const inner = parseMessage(Buffer.from(crlf('Content-Type: text/plain\n\nhello\n')));
    const tree = messageTree(message, new Map([['1', inner]]));
    assert.equal(openedContent(tree, '1'), inner);
    assert.equal(childrenOf(tree, message.root)[0], inner.root);
    assert.equal(openedContent(tree, '1.1'), undefined);
    assert.equal(openedContent(messageTree(message, new Map()), '1'), undefined);
  });

  test('savable parts (the raw view): named, marked as attachment, or a leaf that is not text', () => {
    const root = parseMessage(Buffer.from(MIXED)).root;
    const byPath = (path: string) => [...walkTree(messageTree(parseMessage(Buffer.from(MIXED)), new Map()))].find((e) => e.path === path)!;
    assert.equal(isSavablePart(root), false, 'a multipart is not saved as a file');
    assert.equal(isSavablePart(byPath('1.1.1')), false, 'unnamed text/plain');
    assert.equal(isSavablePart(byPath('1.1.2.1')), false, 'unnamed text/html');
    assert.equal(isSavablePart(byPath('1.1.2.2')), true, 'an inline image');
    assert.equal(isSavablePart(byPath('1.2')), true, 'an attachment');
    const named = parseMessage(Buffer.from(crlf('Content-Type: text/plain; name="notes.txt"\n\nx\n'))).root;
    assert.equal(isSavablePart(named), true, 'named text');
    const attached = parseMessage(Buffer.from(crlf('Content-Type: text/plain\nContent-Disposition: attachment\n\nx\n'))).root;
    assert.equal(isSavablePart(attached), true, 'text marked as attachment');
    const forwarded = parseMessage(Buffer.from(crlf('Content-Type: message/rfc822\n\nSubject: x\n\nbody\n'))).root;
    assert.equal(isSavablePart(forwarded), false, 'an unnamed attached message opens rather than saves');
  });

  test('safe file names', () => {
    const cases: [string | undefined, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\boot.ini', 'boot.ini'],
      ['report\u202egnp.exe', 'report_gnp.exe'],
      ['CON.txt', '_CON.txt'],
      ['  .hidden  ', 'hidden'],
      ['a\u0000b\u001bc', 'a_b_c'],
      ['', 'fallback'],
      [undefined, 'fallback'],
      ['...', 'fallback'],
    ];
    for (const [input, expected] of cases) assert.equal(safeFileName(input, 'fallback'), expected, JSON.stringify(input));
    const long = safeFileName('x'.repeat(300) + '.pdf', 'f');
    assert.equal(long.length, 120);
    assert.ok(long.endsWith('.pdf'));
  });

  test('HTML as text: scripts, styles and comments dropped, blocks broken, references decoded', () => {
    const html = '<html><head><title>t</title><style>p{}</style></head><body><!-- hidden --><p>Hello&nbsp;&amp; <b>bye</b></p><script>alert(1)</script><div>2 &lt; 3 &#x41;&#66; &bogus; &</div></body></html>';
    assert.equal(htmlToText(html), 'Hello & bye\n\n2 < 3 AB &bogus; &');
  });

  test('HTML as text in linear time on 1 MB of one repeated character or pattern', () => {
    for (const unit of ['<', '&', '>', 'a<b>', '&amp', '<!--', '<script>', 'x']) {
      const input = unit.repeat(Math.ceil((1 << 20) / unit.length));
      const started = performance.now();
      htmlToText(input);
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `${JSON.stringify(unit)}: ${ms.toFixed(0)} ms`);
    }
  });

  test('terminal output: controls and bidi overrides from a message are shown as escapes', () => {
    assert.equal(terminalSafe('ok\u001b[32mVALID\u001b[0m'), 'ok\\u001b[32mVALID\\u001b[0m');
    assert.equal(terminalSafe('a\nVALID'), 'a\\u000aVALID');
    assert.equal(terminalSafe('evil\u202eexe'), 'evil\\u202eexe');
    assert.equal(terminalSafeText('line\r\nnext\rover\ttab'), 'line\nnext\\u000dover\ttab');
  });

  test('parse of the fixture is clean (guards the other tests against a broken fixture)', () => {
    assert.equal(parseMessage(Buffer.from(MIXED)).root.warnings.length, 0);
  });
});

describe('smime show', () => {
  let tmp = '';
  let cli = '';
  let demo = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'smime-show-test-'));
    cli = resolveCli(tmp);
    demo = join(tmp, 'demo');
    assert.equal(runCli(cli, ['demo', demo]).exit, 0);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('a partially signed message: the verdict first, each part with its protection', () => {
    const r = runCli(cli, ['show', join(demo, 'messages', 'partially-signed.eml'), '--ca', join(demo, 'ca.pem')]);
    assert.equal(r.exit, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^UNSIGNED /);
    assert.match(r.stdout, /--- part 1\.1 text\/plain; utf-8 — NOT covered by any signature ---\nThis introduction is not signed/);
    assert.match(r.stdout, /--- part 1\.2\.1 text\/plain; utf-8 — signed by alice@example\.com \(valid\) ---/);
    const json = JSON.parse(runCli(cli, ['show', join(demo, 'messages', 'partially-signed.eml'), '--ca', join(demo, 'ca.pem'), '--json']).stdout);
    assert.deepEqual(json.parts.map((p: { partId: string; protection: { coverage: string } }) => [p.partId, p.protection.coverage]), [['1.1', 'not-covered'], ['1.2.1', 'signed']]);
  });

  test('a hostile Subject and body cannot paint a verdict line on the terminal', () => {
    const file = join(tmp, 'hostile.eml');
    writeFileSync(file, crlf('From: a@example.com\nSubject: =?utf-8?q?x=0D=1B[2K=1B[32mVALID?=\nContent-Type: text/plain\n\nhello\r\x1b[2KVALID  Signed by ceo@bank.example\n'));
    const r = runCli(cli, ['show', file]);
    assert.equal(r.exit, 0, r.stderr);
    assert.ok(!r.stdout.includes('\x1b'), 'no escape character reaches the terminal');
    assert.ok(!/\r(?!\n)/.test(r.stdout), 'no lone carriage return');
    assert.match(r.stdout, /^UNSIGNED /);
    // Colours are off when the output is not a terminal, so any escape here would have come from the message.
    const verify = runCli(cli, ['verify', file]);
    assert.ok(!verify.stdout.includes('\x1b'), 'verify output is inert too');
  });
});
