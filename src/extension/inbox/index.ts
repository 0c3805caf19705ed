/**
 * The test inbox in VS Code: the "Test Inbox" view, the start / stop / send / compare commands, and the status bar
 * item. Only what activation needs is built here (a tree provider, a hidden status bar item, command
 * registrations); the SMTP code loads on the first command that needs it (inboxModule.ts).
 */
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysisService';
import { registerCommand } from '../commands/registerCommand';
import { targetUri } from '../commands/target';
import type { EditorRegistry } from '../editorRegistry';
import type { CompareDocuments } from './compareCommand';
import { forgetInboxPassword, forgetSendPassword, hasInboxPassword, hasSendPassword, storeInboxPassword } from './inboxSecrets';
import { InboxServer, currentInboxSettings, currentSendSettings } from './inboxServer';
import { InboxTree } from './inboxTree';

export { INBOX_VIEW } from '../entry/contributions';

/** A command's file argument: a Uri (explorer, editor title) or a Test Inbox entry (the view's context menu). */
function fileArgument(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const uri = (arg as { uri?: unknown } | undefined)?.uri;
  return uri instanceof vscode.Uri ? uri : undefined;
}

/**
 * "Forget SMTP Passwords": removes the test inbox's AUTH password and the password of the account Send Test Message
 * uses now (smime.send.user on smime.send.host:port) from SecretStorage, so the next use asks again. Returns what was
 * removed, as "inbox" / "user@host:port".
 */
async function forgetSmtpPasswords(secrets: vscode.SecretStorage): Promise<string[]> {
  const forgotten: string[] = [];
  if (await hasInboxPassword(secrets)) {
    await forgetInboxPassword(secrets);
    forgotten.push('inbox');
  }
  const send = currentSendSettings();
  if (send.host && send.user && (await hasSendPassword(secrets, send.user, send.host, send.port))) {
    await forgetSendPassword(secrets, send.user, send.host, send.port);
    forgotten.push(`${send.user}@${send.host}:${send.port}`);
  }
  const t = vscode.l10n.t;
  void vscode.window.showInformationMessage(
    forgotten.length === 0
      ? t('No SMTP password was kept for the test inbox or the account in smime.send.user.')
      : t('Forgotten: {0}. The next send or start asks again.', forgotten.map((f) => (f === 'inbox' ? t('the test inbox password') : f)).join(', ')),
  );
  return forgotten;
}

export interface TestInbox extends vscode.Disposable {
  secrets: vscode.SecretStorage;
  server: InboxServer;
  tree: InboxTree;
}

export function registerTestInbox(context: vscode.ExtensionContext, analysis: AnalysisService, registry: EditorRegistry): TestInbox {
  const t = vscode.l10n.t;
  const tree = new InboxTree(analysis, () => currentInboxSettings().folder);
  const server = new InboxServer(context.secrets, tree);
  // Compare and Send load their modules when first run; the diff editor's document provider with them.
  let docs: CompareDocuments | undefined;
  const lazyDisposables: vscode.Disposable[] = [];
  const disposables = vscode.Disposable.from(
    tree,
    server,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('smime.inbox.folder')) tree.refresh(true);
    }),
    registerCommand('smime.inbox.start', t('Start Test Inbox'), async () => {
      const c = await server.start();
      return { host: c.host, port: c.port, folder: c.folder };
    }),
    registerCommand('smime.inbox.stop', t('Stop Test Inbox'), () => server.stop()),
    registerCommand('smime.inbox.refresh', t('Refresh Test Inbox'), () => tree.refresh(true)),
    registerCommand('smime.inbox.forgetPasswords', t('Forget SMTP Passwords'), () => forgetSmtpPasswords(context.secrets)),
    registerCommand('smime.inbox.sendTestMessage', t('Send Test Message'), async (arg: unknown) => {
      const uri = targetUri(fileArgument(arg), registry);
      const { sendTestMessage } = await import('./sendCommand');
      return sendTestMessage(uri, server, context.secrets);
    }),
    registerCommand('smime.compareMessages', t('Compare Messages'), async (first: unknown, selected: unknown) => {
      const uris = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : undefined;
      const compare = await import('./compareCommand');
      if (!docs) {
        docs = new compare.CompareDocuments();
        lazyDisposables.push(vscode.workspace.registerTextDocumentContentProvider(compare.COMPARE_SCHEME, docs));
      }
      // The message in front (message view or text editor) is "before" when the command has no file argument.
      let before = fileArgument(first);
      if (!before && registry.active()) before = targetUri(undefined, registry);
      return (await compare.compareCommand(docs, before, uris)).report;
    }),
  );
  return {
    secrets: context.secrets,
    server,
    tree,
    dispose: () => {
      disposables.dispose();
      for (const d of lazyDisposables) d.dispose();
    },
  };
}

/** Test mode only: the inbox's state and what the tree lists (labels, verdicts), read as the view would. */
export function registerTestInboxHooks(inbox: TestInbox): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('smime._test.inboxState', async () => {
      const entries = await inbox.tree.getChildren();
      const c = inbox.server.running;
      return {
        running: Boolean(c),
        ...(c ? { host: c.host, port: c.port, count: c.count, folder: c.folder } : {}),
        entries: entries.map((e) => {
          const item = inbox.tree.getTreeItem(e);
          return { file: e.file, verdict: e.verdict, label: item.label, description: item.description, icon: (item.iconPath as vscode.ThemeIcon).id };
        }),
      };
    }),
    /** Seeds the test inbox's AUTH password as if the user had typed it (SecretStorage). */
    vscode.commands.registerCommand('smime._test.storeInboxPassword', (password: string) => storeInboxPassword(inbox.secrets, password)),
    /** Whether the test inbox's AUTH password is kept (never the password itself). */
    vscode.commands.registerCommand('smime._test.hasInboxPassword', () => hasInboxPassword(inbox.secrets)),
  );
}
