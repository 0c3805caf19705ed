/**
 * "Send Test Message": the message in front (an .eml, signed or encrypted as it is) goes out through an SMTP
 * server as raw bytes, by default to this window's test inbox, so what a relay does to it can be compared after.
 */
import * as vscode from 'vscode';
import type { SmtpTarget } from '../../inbox';
import { UserError } from '../userError';
import { loadInboxModule } from './inboxModule';
import { forgetInboxPassword, forgetSendPassword, inboxPassword, sendPassword } from './inboxSecrets';
import { currentSendSettings, type InboxServer } from './inboxServer';

export interface SentInfo {
  target: string;
  response: string;
  accepted: string[];
}

async function targetOf(server: InboxServer, secrets: vscode.SecretStorage): Promise<SmtpTarget & { inbox?: boolean }> {
  const send = currentSendSettings();
  if (send.host) {
    const password = send.user ? await sendPassword(secrets, send.user, send.host, send.port) : undefined;
    return { host: send.host, port: send.port, security: send.security, rejectUnauthorized: send.rejectUnauthorized, ...(send.user ? { user: send.user, password } : {}) };
  }
  // No server configured: this window's test inbox, started if need be. Its certificate is the demo one.
  const inbox = await server.start();
  const settings = server.settings;
  const user = settings?.authUser;
  const host = inbox.host === '0.0.0.0' || inbox.host === '::' ? '127.0.0.1' : inbox.host;
  return {
    inbox: true,
    host,
    port: inbox.port,
    security: settings?.starttls ? 'starttls' : 'none',
    rejectUnauthorized: false,
    ...(user ? { user, password: await inboxPassword(secrets, user) } : {}),
  };
}

function forgetPassword(secrets: vscode.SecretStorage, target: SmtpTarget & { inbox?: boolean }): Thenable<void> {
  return target.inbox ? forgetInboxPassword(secrets) : forgetSendPassword(secrets, target.user ?? '', target.host, target.port);
}

export async function sendTestMessage(uri: vscode.Uri, server: InboxServer, secrets: vscode.SecretStorage): Promise<SentInfo> {
  if (!vscode.workspace.isTrusted) {
    throw new UserError(vscode.l10n.t('Sending is not available in Restricted Mode: trust this workspace to connect to an SMTP server.'), ['manageTrust']);
  }
  const bytes = Buffer.from(await vscode.workspace.fs.readFile(uri));
  const mod = loadInboxModule();
  let envelope;
  try {
    envelope = mod.envelopeOf(bytes);
  } catch (e) {
    throw new UserError(vscode.l10n.t('This message cannot be sent: {0}.', (e as Error).message));
  }
  const target = await targetOf(server, secrets);
  const where = `${target.host}:${target.port}`;
  try {
    const result = await mod.sendRawMessage(target, bytes, envelope);
    void vscode.window.showInformationMessage(vscode.l10n.t('Sent to {0} for {1}: {2}', where, result.accepted.join(', '), result.response));
    return { target: where, response: result.response, accepted: result.accepted };
  } catch (e) {
    // A refused login: the remembered password is wrong, so the next attempt asks again (RFC 4954 §6: 535).
    if ((e as { code?: string }).code === 'EAUTH' && target.user) await forgetPassword(secrets, target);
    throw new UserError(vscode.l10n.t('Sending to {0} failed: {1}', where, (e as Error).message), ['openSettings'], 'smime.send');
  }
}
