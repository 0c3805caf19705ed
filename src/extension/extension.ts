/** VS Code entry point: wiring only. Everything S/MIME lives in src/core; the view logic in viewModel.ts. */
import * as vscode from 'vscode';
import { AnalysisService } from './analysisService';
import { registerComposeCommands } from './commands/composeCommands';
import { registerDemoCommand } from './commands/demoCommand';
import { registerKeyCommands } from './commands/keyCommands';
import { registerMessageCommands } from './commands/messageCommands';
import { registerTestHooks, testHooksEnabled } from './commands/testHooks';
import { EditorRegistry } from './editorRegistry';
import { FileStates } from './fileStates';
import { registerTestInbox, registerTestInboxHooks } from './inbox';
import { KeyStore } from './keyStore';
import { log } from './log';
import { MessageEditorProvider } from './messageEditorProvider';
import { PART_SCHEME, PartDocuments } from './partDocuments';
import { registerRawTextFeatures } from './rawText';
import { VerdictStatusBar } from './verdictStatusBar';

export function activate(context: vscode.ExtensionContext): { analysis: AnalysisService } {
  const started = performance.now();
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
    MessageEditorProvider.register({ extensionUri: context.extensionUri, analysis, registry, parts, files }),
    registerMessageCommands({ analysis, registry }),
    registerKeyCommands(analysis),
    registerComposeCommands({ analysis, registry }),
    registerDemoCommand(analysis),
  );
  registerRawTextFeatures(context, { documents: parts, analysis, files });
  const inbox = registerTestInbox(context, analysis, registry);
  context.subscriptions.push(inbox);
  if (testHooksEnabled(context)) context.subscriptions.push(registerTestHooks(registry, analysis, verdictBar), registerTestInboxHooks(inbox));
  log().info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  return { analysis };
}

export function deactivate(): void {}
