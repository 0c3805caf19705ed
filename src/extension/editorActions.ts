/**
 * What the webview's buttons do. Every id the webview sends is looked up in the host's own tree or certificate
 * index; files are written only through a save dialog or into configured folders after the user asked.
 */
import * as vscode from 'vscode';
import { decodeBody, decodeText } from '../core/mime/decode';
import type { Certificate } from '../core/x509/certificate';
import type { RunAction } from '../shared/protocol';
import type { DocumentAnalysis } from './analysisService';
import { sanitizeFileName } from './fileNames';
import { saveFile } from './prompts';
import type { EditorDeps, MessageEditor } from './messageEditor';
import { findPart } from './view/messageTree';
import { partKind } from './view/treeView';
import { commonName } from './view/summaryView';
import { UserError } from './userError';
import { trustCertificate, saveRecipientCertificates } from './trustActions';

export interface EditorActionContext {
  editor: MessageEditor;
  uri: vscode.Uri;
  analysis: DocumentAnalysis | undefined;
  deps: EditorDeps;
}

function folderOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

function part(ctx: EditorActionContext, partId: string) {
  const result = ctx.analysis?.result;
  const entity = result && findPart({ message: result.message, inner: result.inner }, partId);
  if (!entity) throw new UserError(vscode.l10n.t('That part is no longer in the message; it may have changed on disk.'));
  return entity;
}

function certificate(ctx: EditorActionContext, id: string): { certificate: Certificate; role: string } {
  const found = ctx.editor.certificates().get(id);
  if (!found) throw new UserError(vscode.l10n.t('That certificate is no longer in the message.'));
  return found;
}

async function saveAttachment(ctx: EditorActionContext, partId: string): Promise<void> {
  const entity = part(ctx, partId);
  const name = sanitizeFileName(entity.filename, `part-${partId}.bin`);
  const target = await saveFile(vscode.l10n.t('Save Attachment'), vscode.Uri.joinPath(folderOf(ctx.uri), name));
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, decodeBody(entity).data);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', target.fsPath || target.toString()));
}

async function openPartAsText(ctx: EditorActionContext, partId: string): Promise<void> {
  const entity = part(ctx, partId);
  const kind = partKind(entity);
  const text = kind === 'text' || kind === 'html' || entity.contentType.mimeType.startsWith('text/')
    ? decodeText(entity).text
    : entity.source.subarray(entity.start, entity.end).toString('latin1');
  const language = kind === 'html' ? 'html' : kind === 'text' ? 'plaintext' : 'eml';
  await ctx.deps.parts.open(ctx.uri.path.slice(ctx.uri.path.lastIndexOf('/') + 1), partId, text, language);
}

async function exportCertificate(ctx: EditorActionContext, id: string): Promise<void> {
  const { certificate: cert } = certificate(ctx, id);
  const name = sanitizeFileName(`${commonName(cert.subject.text) ?? 'certificate'}.pem`, 'certificate.pem');
  const target = await saveFile(vscode.l10n.t('Export Certificate'), vscode.Uri.joinPath(folderOf(ctx.uri), name), { [vscode.l10n.t('PEM certificate')]: ['pem', 'crt'] });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(cert.toPem(), 'latin1'));
}

export async function runEditorAction(ctx: EditorActionContext, action: RunAction): Promise<void> {
  switch (action.action) {
    case 'decrypt':
      return ctx.editor.decrypt();
    case 'saveAttachment':
      return saveAttachment(ctx, action.partId);
    case 'openPartAsText':
      return openPartAsText(ctx, action.partId);
    case 'openRawSource':
      await vscode.commands.executeCommand('vscode.openWith', ctx.uri, 'default');
      return;
    case 'loadRemoteContent':
      return ctx.editor.allowRemoteContent();
    case 'copyFingerprint':
      await vscode.env.clipboard.writeText(certificate(ctx, action.certificateId).certificate.fingerprint('sha256'));
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Fingerprint copied'), 3000);
      return;
    case 'exportCertificate':
      return exportCertificate(ctx, action.certificateId);
    case 'trustCertificate':
      return trustCertificate(ctx.deps.analysis, ctx.uri, certificate(ctx, action.certificateId).certificate);
    case 'saveRecipientCertificate':
      await saveRecipientCertificates(ctx.deps.analysis, ctx.uri);
      return;
  }
}
