/**
 * The running test inbox of this window: starts the SMTP catcher with the settings, shows its state and message
 * count in the status bar, refreshes the tree as messages arrive, and stops with the window. Refused in Restricted
 * Mode: a workspace that is not trusted must not open a port or choose where files are written.
 */
import * as vscode from 'vscode';
import type { Catcher, ReceivedMessage } from '../../inbox';
import { log } from '../log';
import { UserError } from '../userError';
import { loadInboxModule } from './inboxModule';
import { inboxPassword } from './inboxSecrets';
import { isLoopback, readInboxSettings, readSendSettings, type InboxSettings, type SendSettings } from './inboxSettings';
import type { InboxTree } from './inboxTree';

export function currentInboxSettings(): InboxSettings {
  const config = vscode.workspace.getConfiguration('smime');
  return readInboxSettings((key, fallback) => config.get(key, fallback), vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
}

/** The SMTP account Send Test Message uses, as the settings say now. */
export function currentSendSettings(): SendSettings {
  const config = vscode.workspace.getConfiguration('smime');
  return readSendSettings((key, fallback) => config.get(key, fallback));
}

export class InboxServer implements vscode.Disposable {
  private catcher: Catcher | undefined;
  private starting: Promise<Catcher> | undefined;
  private readonly status: vscode.StatusBarItem;
  /** Whether STARTTLS is on and which AUTH user is required, for senders aiming at this inbox. */
  settings: InboxSettings | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly tree: InboxTree,
  ) {
    this.status = vscode.window.createStatusBarItem('smime.testInbox', vscode.StatusBarAlignment.Left, 10);
    this.status.name = vscode.l10n.t('S/MIME Test Inbox');
    this.status.command = 'smime.testInbox.focus';
  }

  get running(): Catcher | undefined {
    return this.catcher;
  }

  async start(): Promise<Catcher> {
    if (this.catcher) return this.catcher;
    this.starting ??= this.open().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async open(): Promise<Catcher> {
    if (!vscode.workspace.isTrusted) {
      throw new UserError(vscode.l10n.t('The test inbox is not available in Restricted Mode: trust this workspace to start an SMTP server.'), ['manageTrust']);
    }
    const settings = currentInboxSettings();
    if (!settings.folder) throw new UserError(vscode.l10n.t('Open a folder first: the test inbox writes messages into the workspace.'));
    const mod = loadInboxModule();
    const auth = settings.authUser ? { user: settings.authUser, password: await inboxPassword(this.secrets, settings.authUser) } : undefined;
    try {
      this.catcher = await mod.startCatcher({
        folder: settings.folder,
        host: settings.host,
        port: settings.port,
        maxMessageBytes: settings.maxMessageBytes,
        ...(auth ? { auth } : {}),
        ...(settings.starttls ? { tls: mod.createDemoTlsCertificate() } : {}),
        onMessage: (m) => this.received(m),
        onRejected: (r) => log().warn(`test inbox refused a message from ${r.mailFrom || 'unknown'} (${r.code}): ${r.reason}`),
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UserError(vscode.l10n.t('Port {0} is already in use: stop the other server or change smime.inbox.port.', String(settings.port)), ['openSettings'], 'smime.inbox.port');
      }
      throw e;
    }
    this.settings = settings;
    const where = `${this.catcher.host}:${this.catcher.port}`;
    log().info(`test inbox listening on ${where}, saving to ${settings.folder}`);
    if (!isLoopback(this.catcher.host)) log().warn(`the test inbox listens on ${this.catcher.host}: other machines can send to it`);
    this.showStatus();
    this.tree.refresh();
    void vscode.commands.executeCommand('setContext', 'smime.testInboxRunning', true);
    return this.catcher;
  }

  private received(message: ReceivedMessage): void {
    log().info(`test inbox: ${message.file} (${message.size} bytes) from ${message.mailFrom || 'unknown'}`);
    this.showStatus();
    this.tree.refresh();
  }

  private showStatus(): void {
    const c = this.catcher;
    if (!c) {
      this.status.hide();
      return;
    }
    this.status.text = `$(inbox) Test Inbox :${c.port} · ${c.count}`;
    this.status.tooltip = vscode.l10n.t('S/MIME test inbox on {0}:{1}: {2} message(s) received into {3}', c.host, String(c.port), String(c.count), c.folder);
    this.status.show();
  }

  async stop(): Promise<boolean> {
    const c = this.catcher ?? (this.starting ? await this.starting.catch(() => undefined) : undefined);
    if (!c) return false;
    this.catcher = undefined;
    await c.close();
    log().info(`test inbox stopped after ${c.count} message(s)`);
    this.showStatus();
    void vscode.commands.executeCommand('setContext', 'smime.testInboxRunning', false);
    return true;
  }

  dispose(): void {
    void this.stop();
    this.status.dispose();
  }
}
