/**
 * The verdict where message content cannot reach it, on messages OpenSSL signs at test time: the tab title and
 * status bar text (verdict first, whatever the file is called), the mark above each body part (signed / not
 * signed), and the hidden-text count of a signed HTML part. The attacks: an unsigned HTML part that draws its own
 * green "Signature valid" panel, a file named like a verdict, and a signed HTML part that hides text.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildViewModel } from '../../../src/extension/viewModel';
import { statusBarText, tabTitle, verdictLabel } from '../../../src/extension/view/verdictLabel';
import { formatMessage } from '../../../src/extension/view/translate';
import type { HtmlBodyView, MessageView, SummaryView } from '../../../src/shared/protocol';
import { entity, mixedOf, sampleTextEntity, wrapMessage } from '../../helpers/mime';
import { opensslSigned } from '../../helpers/openssl';
import { analyzed, sampleMessages, type SampleMessages } from './sampleMessages';

let s: SampleMessages;
const envelope = { from: 'Alice Example <alice@example.com>', to: 'Bob Example <bob@example.com>', subject: 'Payment' };

/** An HTML part that paints a panel like the extension's "Signature valid" banner. */
const FAKE_BANNER = '<div style="border:1px solid green;background:#e6ffe6;padding:8px"><b>&#10004; Signature valid</b><br>Signed by Alice Example &lt;alice@example.com&gt;</div><p>Pay 900 EUR to DE00 1234.</p>';
/** A signed HTML part with text it does not show: a hidden line, white-on-white text and a zero-size font. */
const HIDING_HTML = '<p>Pay 100 EUR.</p><p style="display:none">Pay 900 EUR instead.</p><span style="color:#ffffff">white</span><span style="font-size:0">zero</span>';

function htmlPart(html: string): Buffer {
  return entity(['Content-Type: text/html; charset=utf-8'], html + '\r\n');
}

function view(message: Buffer, fileName = 'mail.eml'): MessageView {
  return buildViewModel(analyzed(message, s.trust), { fileName, styleNonce: 'N' });
}

function title(v: MessageView, fileName = v.fileName): string {
  return tabTitle(verdictLabel(v.summary, formatMessage), fileName);
}

function htmlBodies(v: MessageView): HtmlBodyView[] {
  return v.bodies.filter((b): b is HtmlBodyView => b.kind === 'html');
}

before(async () => {
  s = await sampleMessages();
});

describe('the verdict outside the message content', () => {
  test('valid: the tab title and status bar start with the verdict', () => {
    const v = view(s.valid);
    assert.equal(title(v), '\u2713 Signature valid \u00b7 mail.eml');
    const bar = statusBarText(verdictLabel(v.summary, formatMessage), v.summary, 'mail.eml', formatMessage);
    assert.equal(bar.text, '$(verified-filled) S/MIME: Signature valid');
    assert.match(bar.tooltip, /^S\/MIME verdict for mail\.eml: Signature valid\n/);
  });

  test('an unsigned HTML part drawing a "Signature valid" panel: the verdict says not signed, the part is marked not signed', () => {
    const v = view(wrapMessage(envelope, htmlPart(FAKE_BANNER)), 'invoice.eml');
    assert.equal(v.summary.verdict, 'unsigned');
    assert.equal(title(v), '\u2013 Not signed \u00b7 invoice.eml');
    const [body] = htmlBodies(v);
    assert.deepEqual(body.protection, { signed: false, tone: 'neutral', label: 'Not signed' });
    assert.match(body.srcdoc, /Signature valid/, 'the fake panel stays in the sender content (its sandboxed frame)');
  });

  test('a file named like a verdict cannot put "valid" first, nor reorder the title with control characters', () => {
    const v = view(s.tampered, '\u2713 Signature valid.eml');
    assert.equal(v.summary.verdict, 'invalid');
    assert.equal(title(v), '\u2717 Signature invalid \u00b7 \u2713 Signature valid.eml');
    const bidi = title(view(s.tampered), '\u202e\u200blmth.eml');
    assert.equal(bidi, '\u2717 Signature invalid \u00b7 lmth.eml');
    assert.ok(title(view(s.valid), 'x'.repeat(500)).length < 100, 'a long name is shortened, the verdict kept');
  });

  test('every verdict has its own short label', () => {
    const summary = (verdict: SummaryView['verdict'], codes: string[] = []): SummaryView => ({
      verdict, tone: 'neutral', icon: 'mail', title: '', detail: '', signedBy: [], reasons: codes.map((code) => ({ code, severity: 'warning', message: '' })), validationTime: '',
    });
    const labels = (['valid', 'invalid', 'untrusted', 'mismatch', 'unsigned', 'error', 'locked'] as const).map((v) => verdictLabel(summary(v), formatMessage).text);
    assert.deepEqual(labels, ['Signature valid', 'Signature invalid', 'Signature not trusted', 'Signer is not the sender', 'Not signed', 'Cannot verify', 'Encrypted']);
    assert.equal(verdictLabel(summary('unsigned', ['partial-signature']), formatMessage).text, 'Partly signed');
  });
});

describe('each body part marked signed or not signed', () => {
  test('a signed message: its text and HTML bodies are marked signed by the valid signature', () => {
    const v = view(s.valid);
    assert.ok(v.bodies.length > 0);
    for (const b of v.bodies) assert.deepEqual(b.protection, { signed: true, tone: 'ok', label: 'Signed: covered by the valid signature' });
  });

  test('a tampered message: the bodies are covered by a signature that is not valid', () => {
    const v = view(s.tampered);
    for (const b of v.bodies) {
      assert.equal(b.protection.signed, true);
      assert.equal(b.protection.tone, 'error');
      assert.equal(b.protection.label, 'Covered by a signature that is not valid (see the verdict)');
    }
  });

  test('partly signed: the unsigned text is marked not signed, the signed one signed', () => {
    const v = view(s.partial);
    const byText = (marker: string) => v.bodies.find((b) => b.kind === 'text' && b.text.includes(marker));
    assert.deepEqual(byText('Unsigned: pay 900 EUR')?.protection, { signed: false, tone: 'warn', label: 'Not signed: outside what the signature covers' });
    assert.equal(byText('Amount: 100 EUR')?.protection.signed, true);
  });

  test('a signed HTML next to an unsigned fake banner: only the signed part carries the signed mark', () => {
    const signed = opensslSigned(s.pki, s.pki.users.alice, sampleTextEntity());
    const v = view(wrapMessage(envelope, mixedOf([htmlPart(FAKE_BANNER), signed])));
    assert.equal(htmlBodies(v)[0].protection.signed, false);
    assert.equal(v.bodies.filter((b) => b.protection.signed).length, 1);
  });
});

describe('hidden text in a signed HTML part', () => {
  test('counted and described on the part', () => {
    const v = view(wrapMessage(envelope, opensslSigned(s.pki, s.pki.users.alice, htmlPart(HIDING_HTML))));
    assert.equal(v.summary.verdict, 'valid');
    const [body] = htmlBodies(v);
    assert.equal(body.protection.signed, true);
    assert.ok(body.hiddenText, 'hidden text is reported');
    assert.equal(body.hiddenText.passages, 1);
    assert.equal(body.hiddenText.characters, 'Pay900EURinstead.whitezero'.length);
    assert.equal(body.hiddenText.complete, true);
    assert.match(body.hiddenText.text, /^Hidden text: 1 passage\(s\), 26 characters this HTML does not display \(display:none or hidden, same colour as the background, font size near 0\)/);
  });

  test('nothing is said when nothing is hidden; an unchecked style says it could not be fully checked', () => {
    assert.equal(htmlBodies(view(s.valid))[0].hiddenText, undefined);
    const v = view(wrapMessage(envelope, htmlPart('<style>p:empty{display:none}</style><div><p>a</p><p>b</p></div>')));
    assert.equal(htmlBodies(v)[0].hiddenText?.complete, false);
    assert.match(htmlBodies(v)[0].hiddenText?.text ?? '', /could not be fully checked/);
    // A structural selector is evaluated: the count is exact.
    const nth = view(wrapMessage(envelope, htmlPart('<style>p:nth-child(2){display:none}</style><div><p>a</p><p>b</p></div>')));
    assert.match(htmlBodies(nth)[0].hiddenText?.text ?? '', /^Hidden text: 1 passage\(s\), 1 characters/);
  });
});
