/**
 * Actions that change what this workspace trusts or encrypts to: adding a CA to smime.trust.anchors (after a
 * modal confirmation), and saving signers' certificates into smime.recipients.folder. Both need a trusted
 * workspace: in Restricted Mode a workspace must not be able to steer key or trust decisions.
 */
import * as vscode from 'vscode';
import { safeFileName, saveSignerCertificates, parseBasicConstraints, type Certificate } from '../core';
import type { AnalysisService } from './analysisService';
import { confirm } from './prompts';
import { UserError } from './userError';
import { pathUri, workspaceFiles } from './workspaceFiles';

/** Where "Trust this CA" keeps the certificates it adds, relative to the workspace folder. */
export const TRUSTED_CA_FOLDER = '.vscode/smime/anchors';

export function requireTrustedWorkspace(what: string): void {
  if (!vscode.workspace.isTrusted) {
    throw new UserError(vscode.l10n.t('{0} is not available in Restricted Mode: trust this workspace first.', what), ['manageTrust']);
  }
}

function folderFor(uri: vscode.Uri): vscode.WorkspaceFolder {
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new UserError(vscode.l10n.t('Open a folder first: workspace settings need a workspace.'));
  return folder;
}

export async function trustCertificate(analysis: AnalysisService, uri: vscode.Uri, cert: Certificate): Promise<void> {
  requireTrustedWorkspace(vscode.l10n.t('Trusting a CA'));
  if (!parseBasicConstraints(cert)?.ca && !cert.isSelfIssued) {
    throw new UserError(vscode.l10n.t('{0} is not a CA certificate; only CAs can be trust anchors.', cert.subject.text));
  }
  const trusted = await confirm(
    vscode.l10n.t('Trust "{0}" for S/MIME in this workspace?', cert.subject.commonName ?? cert.subject.text),
    vscode.l10n.t('Trust'),
    vscode.l10n.t('Every certificate this CA issues will verify as trusted here.\nSHA-256: {0}', cert.fingerprint('sha256')),
  );
  if (!trusted) return;
  const folder = folderFor(uri);
  const name = safeFileName(`${cert.subject.commonName ?? 'ca'}-${cert.fingerprint('sha256').replace(/:/g, '').slice(0, 12)}.pem`, 'ca.pem');
  const dir = vscode.Uri.joinPath(folder.uri, ...TRUSTED_CA_FOLDER.split('/'));
  await vscode.workspace.fs.createDirectory(dir);
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, name), Buffer.from(cert.toPem(), 'latin1'));
  const entry = `\${workspaceFolder}/${TRUSTED_CA_FOLDER}/${name}`;
  const config = vscode.workspace.getConfiguration('smime', folder.uri);
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const inspected = config.inspect<string[]>('trust.anchors');
  const current = (multiRoot ? inspected?.workspaceFolderValue : inspected?.workspaceValue) ?? [];
  if (!current.includes(entry)) {
    await config.update('trust.anchors', [...current, entry], multiRoot ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace);
  }
  analysis.invalidate('settings');
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} is now a trust anchor in this workspace.', cert.subject.commonName ?? cert.subject.text));
}

/** Saves the message's verified signer certificates as <address>.pem into smime.recipients.folder. */
export async function saveRecipientCertificates(analysis: AnalysisService, uri: vscode.Uri): Promise<string[]> {
  requireTrustedWorkspace(vscode.l10n.t('Saving recipient certificates'));
  const dir = analysis.settings(uri).recipientsFolder;
  if (!dir) {
    throw new UserError(vscode.l10n.t('Set smime.recipients.folder to the folder where recipient certificates are kept.'), ['openSettings'], 'smime.recipients.folder');
  }
  await vscode.workspace.fs.createDirectory(pathUri(dir));
  const message = Buffer.from(await vscode.workspace.fs.readFile(uri));
  const result = await saveSignerCertificates(workspaceFiles, message, dir);
  const lines = [...result.saved.map((s) => s.message), ...result.skipped];
  if (!result.saved.length) throw new UserError(vscode.l10n.t('No certificate was saved: {0}', result.skipped.join('; ') || vscode.l10n.t('no signer')));
  void vscode.window.showInformationMessage(lines.join('\n'));
  return result.saved.filter((s) => s.status !== 'refused').map((s) => s.path);
}
