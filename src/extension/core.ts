/**
 * The extension's core, loaded by the entry (extension.ts) on the first message editor, command or raw-text
 * document, never during activation: it holds the MIME, CMS and X.509 code and everything the views need.
 * dist/core.js is its bundle.
 */
import * as vscode from 'vscode';
import { AnalysisService } from './analysisService';
import { registerComposeCommands } from './commands/composeCommands';
import { registerDemoCommand } from './commands/demoCommand';
import { registerKeyCommands } from './commands/keyCommands';
import { registerMessageCommands } from './commands/messageCommands';
import { registerTestHooks } from './commands/testHooks';
import { registerWebviewMenuCommands } from './commands/webviewMenu';
import { EditorRegistry } from './editorRegistry';
import { FileStates } from './fileStates';
import { registerTestInbox, registerTestInboxHooks } from './inbox';
import { KeyStore } from './keyStore';
import { log } from './log';
import { MessageEditor } from './messageEditor';
import { PART_SCHEME, PartDocuments } from './partDocuments';
import { registerRawTextFeatures } from './rawText';
import { VerdictStatusBar } from './verdictStatusBar';

export interface Core {
  analysis: AnalysisService;
  /** Shows the message on `uri` in `panel` (the custom editor's resolveCustomEditor). */
  resolveMessageEditor(uri: vscode.Uri, panel: vscode.WebviewPanel): void;
  /** Logs how long loading and registering took (the entry measures it). */
  reportLoadTime(ms: number): void;
  /** The Test Inbox view's data; the entry's view delegates to it once the core is loaded. */
  inboxTree: vscode.TreeDataProvider<unknown>;
}

/** Registers the commands and providers; the entry has disposed its placeholders for the same command ids. */
export function activateCore(context: vscode.ExtensionContext, options: { testHooks: boolean }): Core {
  const analysis = new AnalysisService(new KeyStore(context.secrets));
  const registry = new EditorRegistry();
  const parts = new PartDocuments();
  const files = new FileStates();
  const verdictBar = new VerdictStatusBar(registry);
  context.subscriptions.push(
    verdictBar,
    log(),
    analysis,
    parts,
    vscode.workspace.registerTextDocumentContentProvider(PART_SCHEME, parts),
    registerMessageCommands({ analysis, registry }),
    registerKeyCommands(analysis),
    registerComposeCommands({ analysis, registry }),
    registerDemoCommand(analysis),
    registerWebviewMenuCommands(registry),
  );
  registerRawTextFeatures(context, { documents: parts, analysis, files });
  const inbox = registerTestInbox(context, analysis, registry);
  context.subscriptions.push(inbox);
  if (options.testHooks) context.subscriptions.push(registerTestHooks(registry, analysis, verdictBar), registerTestInboxHooks(inbox));
  const deps = { extensionUri: context.extensionUri, analysis, registry, parts, files };
  return {
    analysis,
    resolveMessageEditor: (uri, panel) => void new MessageEditor(uri, panel, deps),
    reportLoadTime: (ms) => log().info(`core loaded in ${ms.toFixed(1)} ms`),
    inboxTree: inbox.tree as vscode.TreeDataProvider<unknown>,
  };
}
