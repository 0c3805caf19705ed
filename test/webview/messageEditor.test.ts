/**
 * The webview's rendering in a DOM (happy-dom), driven by view models built from messages OpenSSL signs and
 * encrypts at test time: what the summary and checklist say, that message HTML can neither run script nor load
 * a remote URL, and that buttons and keys turn into the right intents for the host.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import { buildViewModel } from '../../src/extension/viewModel';
import { uiStrings } from '../../src/extension/view/uiStrings';
import type { FromWebview, MessageView, ToWebview, WebviewState } from '../../src/shared/protocol';
import { startApp } from '../../src/webview/main';
import { analyzed, HTML_MARKER, sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';

let s: SampleMessages;

interface Page {
  window: Window;
  doc: Document;
  root: HTMLElement;
  posted: FromWebview[];
  state: WebviewState;
  handle(m: ToWebview): void;
}

function page(view: MessageView): Page {
  const window = new Window({ url: 'https://webview.test/', settings: { disableJavaScriptFileLoading: true, disableCSSFileLoading: true, navigation: { disableChildFrameNavigation: true } } });
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = '<main id="app"></main>';
  const root = doc.getElementById('app') as HTMLElement;
  const posted: FromWebview[] = [];
  let state: WebviewState = {};
  const app = startApp(doc, root, { post: (m) => posted.push(m), state: () => state, saveState: (st) => (state = { ...st }) }, window as unknown as globalThis.Window);
  app.handle({ type: 'init', view, strings: uiStrings() });
  return { window, doc, root, posted, get state() { return state; }, handle: app.handle };
}

function viewOf(message: Buffer, trust = s.trust, extra: Partial<Parameters<typeof buildViewModel>[1]> = {}): MessageView {
  return buildViewModel(analyzed(message, trust), { fileName: 'mail.eml', styleNonce: 'stylenonce', ...extra });
}

function text(el: Element | null): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

before(async () => {
  s = await sampleMessages();
});

describe('webview: summary and checklist', () => {
  test('a valid message shows the verdict, the signer with address and time, and the checks with their clauses', () => {
    const p = page(viewOf(s.valid));
    assert.deepEqual(p.posted[0], { type: 'ready' });
    const summary = p.doc.getElementById('summary');
    assert.ok(summary?.classList.contains('tone-ok'));
    assert.equal(text(summary?.querySelector('h1') ?? null), 'Signature valid');
    assert.match(text(summary?.querySelector('.signed-by') ?? null), /^Signed by Alice Example <alice@example\.com> on \d{4}-\d\d-\d\d/);
    assert.ok(summary?.querySelector('.codicon-verified-filled'));
    const checks = Array.from(p.doc.querySelectorAll('#checks .signer .check'));
    const digest = checks.find((c) => text(c.querySelector('.check-label')) === 'Content digest');
    assert.ok(digest?.classList.contains('status-pass'));
    assert.equal(text(digest?.querySelector('.rfc') ?? null), 'RFC 5652 §5.4');
    assert.ok(checks.some((c) => text(c.querySelector('.check-label')) === 'Signer matches From' && c.classList.contains('status-pass')));
    assert.equal(p.doc.querySelector('#decrypt'), null, 'nothing to decrypt');
  });

  test('a tampered message shows "Signature invalid" with the digest check failed', () => {
    const p = page(viewOf(s.tampered));
    assert.equal(text(p.doc.querySelector('#summary h1')), 'Signature invalid');
    assert.ok(p.doc.getElementById('summary')?.classList.contains('tone-error'));
    const digest = Array.from(p.doc.querySelectorAll('.check')).find((c) => text(c.querySelector('.check-label')) === 'Content digest');
    assert.ok(digest?.classList.contains('status-fail'));
    assert.ok((p.doc.querySelector('details#checks') as HTMLDetailsElement).open, 'checks open when something is wrong');
  });

  test('an untrusted signer and a partly signed message say so', () => {
    assert.equal(text(page(viewOf(s.valid, s.untrustedTrust)).doc.querySelector('#summary h1')), 'Signature not trusted');
    const p = page(viewOf(s.partial));
    assert.equal(text(p.doc.querySelector('#summary h1')), 'Only part of the message is signed');
    const unsigned = Array.from(p.doc.querySelectorAll('[role="treeitem"]')).find((i) => i.getAttribute('data-part') === '1.1');
    assert.match(unsigned?.getAttribute('aria-label') ?? '', /not covered by the signature/);
  });

  test('a locked message offers Decrypt, which asks the host; Restricted Mode hides it', () => {
    const p = page(viewOf(s.encrypted));
    assert.equal(text(p.doc.querySelector('#summary h1')), 'Encrypted: not decrypted');
    (p.doc.querySelector('#decrypt') as HTMLButtonElement).click();
    assert.deepEqual(p.posted.at(-1), { type: 'run', action: 'decrypt' });
    assert.equal(page(viewOf(s.encrypted, s.trust, { trustedWorkspace: false })).doc.querySelector('#decrypt'), null);
  });

  test('a locked key: the headline says so and the button is Enter Passphrase, which asks the host to decrypt', () => {
    const p = page(viewOf(s.encrypted, s.trust, { lockedKeys: ['bob.p12'] }));
    assert.equal(text(p.doc.querySelector('#summary h1')), 'Key locked: enter passphrase');
    const button = p.doc.querySelector('#decrypt') as HTMLButtonElement;
    assert.equal(text(button), 'Enter Passphrase');
    button.click();
    assert.deepEqual(p.posted.at(-1), { type: 'run', action: 'decrypt' });
  });

  test('a signer that does not match From: red summary, and the From row marked with the signing address', () => {
    const spoofed = Buffer.from(s.valid.toString('latin1').replace('From: Alice Example <alice@example.com>', 'From: Bank <ceo@bank.example>'), 'latin1');
    const p = page(viewOf(spoofed));
    assert.ok(p.doc.querySelector('#summary')?.classList.contains('tone-error'));
    const flagged = Array.from(p.doc.querySelectorAll('#headers tr.flagged'));
    assert.equal(flagged.length, 1);
    assert.equal(text(flagged[0].querySelector('th')), 'From');
    assert.match(text(flagged[0].querySelector('td')), /ceo@bank\.example.*signed by alice@example\.com/);
  });
});

describe('webview: message HTML is contained', () => {
  test('each HTML part is in an iframe with sandbox="" and nothing allowed', () => {
    const p = page(viewOf(s.valid));
    const frames = Array.from(p.doc.querySelectorAll('iframe'));
    assert.equal(frames.length, 1);
    const frame = frames[0] as HTMLIFrameElement;
    assert.equal(frame.getAttribute('sandbox'), '');
    assert.ok(!/allow-/.test(frame.getAttribute('sandbox') ?? ''), 'no allow-scripts, allow-same-origin, ...');
  });

  test('the srcdoc starts with a CSP meta default-src none, and has no script, handler or remote URL', () => {
    const p = page(viewOf(s.valid));
    const srcdoc = (p.doc.querySelector('iframe') as HTMLIFrameElement).getAttribute('srcdoc') ?? '';
    assert.match(srcdoc, /^<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-stylenonce'/);
    assert.ok(srcdoc.includes(HTML_MARKER));
    assert.ok(!/<script/i.test(srcdoc));
    assert.ok(!/\son[a-z]+=/i.test(srcdoc), 'no event handler attributes');
    assert.ok(!/https?:\/\/evil/i.test(srcdoc), 'no remote URL');
    assert.ok(!/<(link|meta http-equiv="refresh"|iframe|base)/i.test(srcdoc.slice(srcdoc.indexOf('</head>'))));
  });

  test('message HTML never becomes part of the page itself', () => {
    const p = page(viewOf(s.valid));
    assert.equal(p.doc.querySelectorAll('script').length, 0);
    assert.equal(p.root.querySelectorAll('img, link, meta, style, a').length, 0, 'only elements the renderer made');
    for (const el of Array.from(p.root.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) assert.ok(!attr.name.startsWith('on'), `${el.tagName} has ${attr.name}`);
    }
  });

  test('remote content: counted and blocked; the button asks the host; never offered for encrypted mail', () => {
    const p = page(viewOf(s.valid));
    assert.match(text(p.doc.querySelector('.remote-bar')), /^\d+ remote reference\(s\) blocked/);
    (p.doc.querySelector('.load-remote') as HTMLButtonElement).click();
    assert.deepEqual(p.posted.at(-1), { type: 'run', action: 'loadRemoteContent' });
    const allowed = page(viewOf(s.valid, s.trust, { allowRemote: true }));
    assert.equal(allowed.doc.querySelector('.remote-bar'), null);
    const decrypted = page(viewOf(s.encryptedHtml, { ...s.trust, keys: [s.bobKey] }, { allowRemote: true }));
    const bar = decrypted.doc.querySelector('.remote-bar');
    assert.match(text(bar), /EFAIL/);
    assert.equal(bar?.querySelector('button'), null, 'no load button for decrypted content');
    assert.ok(!/https?:\/\/evil/.test(decrypted.doc.querySelector('iframe')?.getAttribute('srcdoc') ?? ''));
  });
});

describe('webview: parts, headers, attachments, certificates', () => {
  test('the tree is keyboard-operable and a selection stays in the webview', () => {
    const p = page(viewOf(s.valid));
    const items = Array.from(p.doc.querySelectorAll<HTMLElement>('[role="treeitem"]'));
    assert.ok(items.length >= 6);
    items[0].focus();
    items[0].dispatchEvent(new p.window.KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }) as unknown as Event);
    assert.equal(p.doc.activeElement, items[1]);
    items[1].dispatchEvent(new p.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }) as unknown as Event);
    // Selecting is the webview's own business: the host is told nothing (it acts only on 'ready' and 'run').
    const before = p.posted.length;
    items[2].dispatchEvent(new p.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }) as unknown as Event);
    assert.equal(p.posted.length, before);
    assert.equal(items[2].getAttribute('aria-selected'), 'true');
    items[1].dispatchEvent(new p.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }) as unknown as Event);
    assert.equal(p.state.selectedPart, items[1].dataset.part);
  });

  test('headers toggle between decoded and raw, kept in the webview state', () => {
    const p = page(viewOf(s.valid));
    assert.ok(text(p.doc.querySelector('#headers table')).includes('Alice Example <alice@example.com>'));
    (p.doc.querySelector('#toggle-raw') as HTMLButtonElement).click();
    assert.equal(p.state.rawHeaders, true);
    assert.equal(p.doc.querySelector('#toggle-raw')?.getAttribute('aria-pressed'), 'true');
  });

  test('attachments save through the host, by part id (the name is only displayed)', () => {
    const p = page(viewOf(s.valid));
    const row = p.doc.querySelector('#attachments li');
    assert.ok(text(row).includes('../../etc/passwd'));
    (row?.querySelector('button') as HTMLButtonElement).click();
    const last = p.posted.at(-1);
    assert.equal(last?.type, 'run');
    assert.ok(last?.type === 'run' && last.action === 'saveAttachment' && /^1(\.\d+)+$/.test(last.partId));
  });

  test('certificates list every field and ask the host to export or trust by fingerprint id', () => {
    const p = page(viewOf(s.valid));
    const certs = Array.from(p.doc.querySelectorAll<HTMLElement>('details[data-certificate]'));
    assert.ok(certs.length >= 3);
    const root = certs.find((c) => c.classList.contains('role-root'));
    assert.ok(text(root ?? null).includes('SHA-256 fingerprint'));
    const trust = Array.from(root?.querySelectorAll('button') ?? []).find((b) => text(b).startsWith('Trust this CA'));
    (trust as HTMLButtonElement).click();
    assert.deepEqual(p.posted.at(-1), { type: 'run', action: 'trustCertificate', certificateId: root?.dataset.certificate });
  });

  test('an update re-renders; a reveal opens the certificate', () => {
    const p = page(viewOf(s.valid));
    p.handle({ type: 'update', view: viewOf(s.tampered) });
    assert.equal(text(p.doc.querySelector('#summary h1')), 'Signature invalid');
    const id = p.doc.querySelector<HTMLElement>('details[data-certificate]')?.dataset.certificate ?? '';
    p.handle({ type: 'revealCertificate', certificateId: id });
    assert.equal((p.doc.querySelector('details[data-certificate]') as HTMLDetailsElement).open, true);
  });

  test('messages from another origin are ignored', async () => {
    const p = page(viewOf(s.valid));
    const event = new p.window.MessageEvent('message', { data: { type: 'update', view: viewOf(s.tampered) }, origin: 'https://evil.example' });
    p.window.dispatchEvent(event);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(text(p.doc.querySelector('#summary h1')), 'Signature valid');
    // The same message from the page's own origin is taken, so the check above is the origin test.
    p.window.dispatchEvent(new p.window.MessageEvent('message', { data: { type: 'update', view: viewOf(s.tampered) }, origin: 'https://webview.test' }));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(text(p.doc.querySelector('#summary h1')), 'Signature invalid');
  });
});

describe('webview: accessibility', () => {
  test('the verdict is the only live region, and it changes only when the verdict does', () => {
    const p = page(viewOf(s.valid));
    const live = Array.from(p.doc.querySelectorAll('[aria-live], [role="status"], [role="alert"]'));
    assert.deepEqual(live.map((e) => e.id), ['verdict-announcer']);
    const announcer = p.doc.getElementById('verdict-announcer') as HTMLElement;
    assert.match(text(announcer), /^Signature valid\. /);
    let changes = 0;
    new p.window.MutationObserver(() => changes++).observe(announcer as never, { childList: true, characterData: true, subtree: true });
    p.handle({ type: 'update', view: viewOf(s.valid) });
    p.handle({ type: 'busy', busy: true });
    p.handle({ type: 'busy', busy: false });
    return new Promise<void>((resolve) => setTimeout(() => {
      assert.equal(changes, 0, 'the same verdict is not announced again');
      p.handle({ type: 'update', view: viewOf(s.tampered) });
      assert.match(text(announcer), /^Signature invalid\. /);
      resolve();
    }, 20));
  });

  test('focus stays on the same control across an update and while busy', () => {
    const p = page(viewOf(s.valid));
    const certificate = (doc: Document) => doc.querySelector<HTMLElement>('details[data-certificate].role-root') as HTMLElement;
    const exportButton = (doc: Document) => Array.from(certificate(doc).querySelectorAll('button')).find((b) => text(b).startsWith('Export PEM')) as HTMLButtonElement;
    exportButton(p.doc).focus();
    assert.equal(p.doc.activeElement, exportButton(p.doc));
    p.handle({ type: 'busy', busy: true });
    assert.equal(p.doc.activeElement, exportButton(p.doc), 'busy changes the page in place');
    p.handle({ type: 'busy', busy: false });
    const before = exportButton(p.doc);
    p.handle({ type: 'update', view: viewOf(s.valid) });
    const after = exportButton(p.doc);
    assert.notEqual(after, before, 'the tree was rebuilt');
    assert.equal(p.doc.activeElement, after, 'the same control has the focus again');
  });

  test('certificates carry the context menu\'s data: section and fingerprint id only', () => {
    const p = page(viewOf(s.valid));
    for (const c of Array.from(p.doc.querySelectorAll<HTMLElement>('details[data-certificate]'))) {
      const context = JSON.parse(c.getAttribute('data-vscode-context') ?? '{}') as Record<string, unknown>;
      assert.deepEqual(Object.keys(context).sort(), ['certificateId', 'webviewSection']);
      assert.equal(context.certificateId, c.dataset.certificate);
    }
  });
});
