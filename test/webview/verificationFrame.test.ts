/**
 * The webview keeps the verdict and the sender's content apart (in a DOM, happy-dom): the verdict and checks sit
 * in the extension's own frame, the bodies in an area labelled as the sender's unverified content, each body
 * part carries a signed / not signed mark drawn by the extension, and hidden text in a signed HTML part is shown
 * on the part and in the frame. The attack: an unsigned HTML part that paints its own "Signature valid" panel.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import { buildViewModel } from '../../src/extension/viewModel';
import { uiStrings } from '../../src/extension/view/uiStrings';
import type { MessageView } from '../../src/shared/protocol';
import { startApp } from '../../src/webview/main';
import { entity, wrapMessage } from '../helpers/mime';
import { opensslSigned } from '../helpers/openssl';
import { analyzed, sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';

let s: SampleMessages;
const envelope = { from: 'Alice Example <alice@example.com>', to: 'Bob Example <bob@example.com>', subject: 'Payment' };
const FAKE_BANNER = '<div style="border:1px solid green;background:#e6ffe6"><b>Signature valid</b></div><p>Pay 900 EUR.</p>';

function render(view: MessageView): Document {
  const window = new Window({ url: 'https://webview.test/', settings: { disableJavaScriptFileLoading: true, disableCSSFileLoading: true, navigation: { disableChildFrameNavigation: true } } });
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = '<main id="app"></main>';
  const app = startApp(doc, doc.getElementById('app') as HTMLElement, { post: () => undefined, state: () => ({}), saveState: () => undefined }, window as unknown as globalThis.Window);
  app.handle({ type: 'init', view, strings: uiStrings() });
  return doc;
}

function viewOf(message: Buffer): MessageView {
  return buildViewModel(analyzed(message, s.trust), { fileName: 'mail.eml', styleNonce: 'N' });
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function htmlMessage(html: string, signed: boolean): Buffer {
  const part = entity(['Content-Type: text/html; charset=utf-8'], html + '\r\n');
  return wrapMessage(envelope, signed ? opensslSigned(s.pki, s.pki.users.alice, part) : part);
}

before(async () => {
  s = await sampleMessages();
});

describe('webview: the verdict in the extension\'s frame, the content labelled as the sender\'s', () => {
  test('the summary and the checks are inside the verification frame, the bodies are not', () => {
    const doc = render(viewOf(s.valid));
    const frame = doc.getElementById('verification');
    assert.ok(frame?.classList.contains('verification-frame'));
    assert.equal(text(frame?.querySelector('.frame-title')), 'S/MIME verification (by this extension, not by the message)');
    assert.ok(frame?.querySelector('#summary') && frame.querySelector('#checks'), 'verdict and checks in the frame');
    assert.equal(frame?.querySelector('iframe, .text-body, [data-part-content]'), null, 'no message content in the frame');
    assert.equal(frame?.getAttribute('data-verdict'), 'valid');
    const bodies = doc.getElementById('bodies');
    assert.ok(bodies?.classList.contains('sender-content'));
    assert.match(text(bodies?.querySelector('.sender-content-label')), /^Sender's content \(unverified\) Everything below is drawn by the message/);
  });

  test('an unsigned part painting "Signature valid": the page says not signed, the paint stays in the sandboxed frame', () => {
    const doc = render(viewOf(htmlMessage(FAKE_BANNER, false)));
    assert.equal(text(doc.querySelector('#verification #summary h1')), 'Not signed');
    assert.ok(!text(doc.getElementById('app')).includes('Signature valid'), 'the page text never says valid');
    const article = doc.querySelector('article.body-html');
    assert.ok(article?.querySelector('iframe[sandbox=""]')?.getAttribute('srcdoc')?.includes('Signature valid'));
    const mark = article?.querySelector('.part-mark');
    assert.ok(mark?.classList.contains('part-unsigned'));
    assert.equal(text(mark?.querySelector('.part-protection')), 'Not signed');
  });

  test('each body of a signed message is marked signed, ahead of its content', () => {
    const doc = render(viewOf(s.valid));
    const articles = Array.from(doc.querySelectorAll('article.body'));
    assert.ok(articles.length > 0);
    for (const article of articles) {
      const mark = article.querySelector('.part-mark');
      assert.ok(mark, 'a mark on every body');
      assert.ok(mark.classList.contains('part-signed') && mark.classList.contains('tone-ok'));
      assert.equal(text(mark.querySelector('.part-protection')), 'Signed: covered by the valid signature');
      const content = article.querySelector('iframe, .text-body');
      assert.ok(content && mark.compareDocumentPosition(content) & 4, 'the mark comes before the content');
    }
    const tampered = render(viewOf(s.tampered)).querySelector('article.body .part-mark');
    assert.ok(tampered?.classList.contains('tone-error'));
  });

  test('hidden text in a signed HTML part: on the part, and listed in the verification frame', () => {
    const doc = render(viewOf(htmlMessage('<p>Pay 100 EUR.</p><p style="display:none">Pay 900 EUR.</p>', true)));
    const onPart = doc.querySelector('article.body-html .part-mark .hidden-text');
    assert.ok(onPart?.classList.contains('in-signed'));
    assert.match(text(onPart), /^Hidden text: 1 passage\(s\), 10 characters this HTML does not display \(display:none or hidden\)/);
    assert.match(text(doc.querySelector('#verification .hidden-text-summary')), /^Part 1\.1: Hidden text: 1 passage/);
    const unsigned = render(viewOf(htmlMessage('<p style="display:none">x</p>', false)));
    assert.ok(unsigned.querySelector('article.body-html .hidden-text'), 'shown on an unsigned part too');
    assert.equal(unsigned.querySelector('#verification .hidden-text-summary'), null, 'but the frame lists signed parts only');
  });
});
