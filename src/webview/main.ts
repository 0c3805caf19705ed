/**
 * Webview entry: renders the view models the extension host sends and turns clicks into intents. It never sees
 * key material, runs no crypto, and puts message data into the page only as text.
 */
import type { MessageView, RunAction, ToWebview, UiStrings } from '../shared/protocol';
import { verdictAnnouncer } from './focus';
import { renderView, setBusy } from './render/app';
import type { RenderCtx } from './render/context';
import { revealCertificate } from './render/summary';
import { selectPart } from './render/tree';
import { vscodeBridge, type Bridge } from './vscodeApi';

export function startApp(doc: Document, root: HTMLElement, bridge: Bridge, win: Window): { handle(message: ToWebview): void } {
  let view: MessageView | undefined;
  let strings: UiStrings | undefined;
  let busy = false;
  const state = bridge.state();
  const ctx: RenderCtx = {
    doc,
    get strings() {
      return strings as UiStrings;
    },
    state,
    post: (m) => bridge.post(m),
    run: (action: RunAction) => bridge.post({ type: 'run', ...action }),
    saveState: () => bridge.saveState(state),
    rerender: () => render(),
  };
  const announce = verdictAnnouncer(doc);
  const render = () => {
    if (!view || !strings) return;
    renderView(ctx, root, view, busy);
    announce(`${view.summary.title}. ${view.summary.detail}`);
  };
  const handle = (m: ToWebview) => {
    switch (m.type) {
      case 'init':
        strings = m.strings;
        view = m.view;
        return render();
      case 'update':
        view = m.view;
        return render();
      case 'busy':
        busy = m.busy;
        return setBusy(root, busy);
      case 'reveal':
        return selectPart(ctx, m.partId, true);
      case 'revealCertificate':
        return revealCertificate(ctx, m.certificateId);
    }
  };
  win.addEventListener('message', (e: MessageEvent) => {
    // Only the host talks to this page (from the webview's own origin); a message frame has an opaque origin.
    const own = win.origin ?? win.location.origin;
    if (e.origin !== own && !e.origin.startsWith('vscode-webview:')) return;
    const m = e.data as ToWebview | undefined;
    if (m && typeof m.type === 'string') handle(m);
  });
  bridge.post({ type: 'ready' });
  return { handle };
}

if (typeof acquireVsCodeApi === 'function') {
  startApp(document, document.getElementById('app') as HTMLElement, vscodeBridge(), window);
}

declare function acquireVsCodeApi(): unknown;
