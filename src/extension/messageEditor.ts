/**
 * One message editor: a webview panel showing the view model of one file. The host owns every decision: the
 * webview sends intents ('ready', 'selectPart', 'run'), which are validated here and looked up in the host's own
 * tree; the webview never gets key material, file paths to act on, or the power to fetch anything.
 */
import * as vscode from 'vscode';
import { RUN_ACTIONS, type FromWebview, type MessageView, type RunAction, type ToWebview } from '../shared/protocol';
import type { AnalysisService, DocumentAnalysis } from './analysisService';
import { reportError } from './commands/registerCommand';
import type { EditorRegistry, OpenEditor } from './editorRegistry';
import { runEditorAction, type EditorActionContext } from './editorActions';
import type { FileStates } from './fileStates';
import type { InMemoryDocuments } from './partDocuments';
import { certificateIndex } from './view/certificateView';
import { uiStrings } from './view/uiStrings';
import { tabTitle, verdictLabel } from './view/verdictLabel';
import { buildViewModel } from './viewModel';
import { UserError } from './userError';
import { newNonce, pageHtml } from './webviewHtml';

export interface EditorDeps {
  extensionUri: vscode.Uri;
  analysis: AnalysisService;
  registry: EditorRegistry;
  parts: InMemoryDocuments;
  /** Decrypt requested and remote content allowed, per file, shared with the raw view. */
  files: FileStates;
}

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function isFromWebview(m: unknown): m is FromWebview {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  if (msg.type === 'ready') return true;
  if (msg.type !== 'run' || !RUN_ACTIONS.includes(msg.action as RunAction['action'])) return false;
  return ['partId', 'certificateId'].every((k) => msg[k] === undefined || typeof msg[k] === 'string');
}

export class MessageEditor implements OpenEditor {
  view: MessageView | undefined;
  analysis: DocumentAnalysis | undefined;
  private ready = false;
  private scriptNonce = newNonce();
  private readonly styleNonce = newNonce();
  private readonly disposables: vscode.Disposable[] = [];
  private pendingReveal: ToWebview | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: EditorDeps,
  ) {
    const roots = [vscode.Uri.joinPath(deps.extensionUri, 'dist'), vscode.Uri.joinPath(deps.extensionUri, 'media')];
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: roots };
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      deps.analysis.onDidChangeAnalysis((c) => {
        if (!c.uri || c.uri.toString() === uri.toString()) void this.refresh();
      }),
      deps.analysis.watch(uri),
      panel.onDidChangeViewState(() => deps.registry.activated(this)),
      deps.files.hold(uri),
    );
    panel.onDidDispose(() => this.dispose());
    // The tab says nothing about the message until it is analysed (never the previous verdict).
    panel.title = tabTitle({ glyph: '\u2026', text: vscode.l10n.t('Verifying'), tone: 'neutral', icon: 'loading' }, basename(uri));
    deps.registry.add(this);
    this.setHtml();
    void this.refresh();
  }

  private setHtml(): void {
    const webview = this.panel.webview;
    const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...p)).toString();
    this.ready = false;
    this.scriptNonce = newNonce();
    webview.html = pageHtml({
      cspSource: webview.cspSource,
      scriptUri: asset('dist', 'webview.js'),
      styleUri: asset('media', 'main.css'),
      codiconUri: asset('dist', 'codicons', 'codicon.css'),
      scriptNonce: this.scriptNonce,
      styleNonce: this.styleNonce,
      allowRemoteImages: this.deps.files.remoteAllowed(this.uri),
      title: basename(this.uri),
    });
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
    if (message.type === 'init' || message.type === 'update') this.deps.registry.didPost(this, message.view);
  }

  private onMessage(m: unknown): void {
    if (!isFromWebview(m)) return;
    if (m.type === 'ready') {
      this.ready = true;
      if (!this.view) {
        void this.refresh();
        return;
      }
      this.post({ type: 'init', view: this.view, strings: uiStrings(vscode.l10n.t) });
      if (this.pendingReveal) this.post(this.pendingReveal);
      this.pendingReveal = undefined;
      return;
    }
    void this.run(m as RunAction);
  }

  /** Runs a button of the webview (also the integration tests' way of pressing one); errors are shown, not thrown. */
  async run(action: RunAction): Promise<void> {
    const ctx: EditorActionContext = { editor: this, uri: this.uri, analysis: this.analysis, analysisService: this.deps.analysis, documents: this.deps.parts };
    this.post({ type: 'busy', busy: true });
    try {
      await runEditorAction(ctx, action);
    } catch (e) {
      await reportError(e, vscode.l10n.t('S/MIME: {0}', action.action));
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  /** Re-analyses (with the decryption key when the user asked for it) and sends the new view model. */
  async refresh(): Promise<void> {
    try {
      const analysis = await this.deps.analysis.analyzeDocument(this.uri, undefined, { decrypt: this.deps.files.decryptRequested(this.uri) });
      this.show(analysis);
    } catch (e) {
      await reportError(e, vscode.l10n.t('Analysing {0}', basename(this.uri)));
    }
  }

  /** The Decrypt button: may ask for the passphrase; the plaintext stays in memory. */
  async decrypt(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      throw new UserError(vscode.l10n.t('Decryption is off in Restricted Mode: trust this workspace to use its keys.'), ['manageTrust']);
    }
    this.deps.files.requestDecrypt(this.uri);
    const analysis = await this.deps.analysis.analyzeDocument(this.uri, undefined, { decrypt: true, interactive: true });
    this.show(analysis);
    if (analysis.decryptError) void vscode.window.showWarningMessage(analysis.decryptError);
  }

  /** Remote images for this message only, never for one with an encrypted layer (EFAIL). */
  allowRemoteContent(): void {
    if (this.view?.summary.encryption || this.view?.decryptState !== 'none') return;
    this.deps.files.allowRemote(this.uri);
    this.view = undefined;
    this.setHtml();
  }

  private show(analysis: DocumentAnalysis): void {
    this.analysis = analysis;
    const view = buildViewModel(analysis.result, {
      fileName: basename(this.uri),
      t: vscode.l10n.t,
      styleNonce: this.styleNonce,
      allowRemote: this.deps.files.remoteAllowed(this.uri),
      trustedWorkspace: vscode.workspace.isTrusted,
      decryptFailed: this.deps.files.decryptRequested(this.uri) && !analysis.decrypted,
      lockedKeys: analysis.lockedKeys.map((file) => file.slice(file.lastIndexOf('/') + 1)),
      problems: [...analysis.problems, ...(analysis.decryptError ? [analysis.decryptError] : [])],
    });
    const first = !this.view;
    this.view = view;
    // The verdict where message content cannot reach it: the tab title (and the status bar, through the registry).
    this.panel.title = tabTitle(verdictLabel(view.summary, vscode.l10n.t), basename(this.uri));
    this.deps.registry.changed();
    if (!this.ready) return;
    this.post(first ? { type: 'init', view, strings: uiStrings(vscode.l10n.t) } : { type: 'update', view });
    if (this.pendingReveal) this.post(this.pendingReveal);
    this.pendingReveal = undefined;
  }

  certificates() {
    return this.analysis ? certificateIndex(this.analysis.result) : new Map();
  }

  reveal(partId: string): void {
    this.postWhenReady({ type: 'reveal', partId });
  }

  revealCertificate(certificateId: string): void {
    this.postWhenReady({ type: 'revealCertificate', certificateId });
  }

  private postWhenReady(message: ToWebview): void {
    if (this.ready && this.view) this.post(message);
    else this.pendingReveal = message;
  }

  dispose(): void {
    this.deps.registry.remove(this);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
