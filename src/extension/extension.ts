/**
 * VS Code entry point. Activation must cost almost nothing, so this file imports only `vscode` and a list of ids:
 * it registers placeholders for the contributed commands and the message editor, and loads the core
 * (dist/core.js: MIME, CMS, X.509 and the views) on the first command, editor, or .eml opened as text.
 * A placeholder command loads the core, which replaces every placeholder with the real command, then runs it.
 */
import * as vscode from 'vscode';
import type { Core } from './core';
import { CONTRIBUTED_COMMANDS, EML_LANGUAGE, INBOX_VIEW, MESSAGE_EDITOR_VIEW_TYPE, TEST_COMMANDS } from './entry/contributions';

/** What activate() returns to other extensions and tests: the core, loaded on first access. */
export interface ExtensionApi {
  readonly core: Core;
  /** How long activate() took, in ms (measured by itself; VS Code's own part of activation is not in it). */
  readonly activationMs: number;
  /** How long loading the core took, in ms; undefined until something needed it. */
  readonly coreLoadMs: number | undefined;
}

class CoreLoader {
  private core: Core | undefined;
  loadMs: number | undefined;
  private placeholders: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly testHooks: boolean,
  ) {}

  registerPlaceholders(ids: readonly string[]): void {
    for (const id of ids) {
      this.placeholders.push(
        vscode.commands.registerCommand(id, (...args: unknown[]) => {
          this.load();
          return vscode.commands.executeCommand(id, ...args);
        }),
      );
    }
  }

  load(): Core {
    if (this.core) return this.core;
    const started = performance.now();
    for (const placeholder of this.placeholders) placeholder.dispose();
    this.placeholders = [];
    // A path esbuild leaves alone (see esbuild.mjs): the core is a bundle of its own, next to this one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { activateCore } = require('./core.js') as typeof import('./core');
    this.core = activateCore(this.context, { testHooks: this.testHooks });
    this.loadMs = performance.now() - started;
    this.core.reportLoadTime(this.loadMs);
    return this.core;
  }
}

/**
 * The Test Inbox view's data provider until the core is loaded: the first time the view asks for its items it
 * loads the core and hands every request, and every change event, to the core's tree.
 */
class LazyTree implements vscode.TreeDataProvider<unknown> {
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;
  private target: vscode.TreeDataProvider<unknown> | undefined;

  constructor(private readonly load: () => vscode.TreeDataProvider<unknown>) {}

  private tree(): vscode.TreeDataProvider<unknown> {
    if (!this.target) {
      this.target = this.load();
      this.target.onDidChangeTreeData?.((e) => this.changed.fire(e));
    }
    return this.target;
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.tree().getTreeItem(element);
  }

  getChildren(element?: unknown): vscode.ProviderResult<unknown[]> {
    return this.tree().getChildren(element);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function testHooksEnabled(context: vscode.ExtensionContext): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test || process.env.SMIME_TEST === '1';
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const testHooks = testHooksEnabled(context);
  const loader = new CoreLoader(context, testHooks);
  loader.registerPlaceholders(testHooks ? [...CONTRIBUTED_COMMANDS, ...TEST_COMMANDS] : CONTRIBUTED_COMMANDS);
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(
      MESSAGE_EDITOR_VIEW_TYPE,
      {
        openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
        resolveCustomEditor: (document, panel) => loader.load().resolveMessageEditor(document.uri, panel),
      },
      // Read-only on purpose: signing and encrypting write new files, so no undo or backup machinery is needed
      // (and decrypted content is never backed up). The view is rebuilt from the host's snapshot on 'ready';
      // keeping hidden webviews alive would hold decrypted text in one more process for no gain.
      { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true },
    ),
  );
  const inboxTree = new LazyTree(() => loader.load().inboxTree);
  context.subscriptions.push(inboxTree, vscode.window.createTreeView(INBOX_VIEW, { treeDataProvider: inboxTree }));
  // The raw view's CodeLens, outline, hovers and diagnostics are the core's: it loads once an .eml is open as
  // text, after activation has returned (the providers it registers are asked again when they appear).
  const loadForText = (document: vscode.TextDocument): void => {
    if (document.languageId === EML_LANGUAGE) setImmediate(() => loader.load());
  };
  vscode.workspace.textDocuments.forEach(loadForText);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(loadForText));
  const activationMs = performance.now() - started;
  return {
    get core() {
      return loader.load();
    },
    activationMs,
    get coreLoadMs() {
      return loader.loadMs;
    },
  };
}

export function deactivate(): void {}
