/**
 * What the webview's buttons do. Every id the webview sends is looked up in the host's own tree or certificate
 * index; parts are acted on through partActions.ts (the same actions as the raw view's); files are written only
 * through a save dialog or into configured folders after the user asked.
 */
import * as vscode from 'vscode';
import { findPart, messageTree, safeFileName, type MimeEntity, type Certificate } from '../core';
import type { RunAction } from '../shared/protocol';
import type { AnalysisService, DocumentAnalysis } from './analysisService';
import { openPartAsText, saveAttachment } from './partActions';
import type { InMemoryDocuments } from './partDocuments';
import { saveFile } from './prompts';
import { UserError } from './userError';
import { trustCertificate, saveRecipientCertificates } from './trustActions';

/** What the actions need of the editor whose button was pressed. */
export interface ActionTarget {
  decrypt(): Promise<void>;
  allowRemoteContent(): void;
  certificates(): ReadonlyMap<string, { certificate: Certificate; role: string }>;
}

export interface EditorActionContext {
  editor: ActionTarget;
  uri: vscode.Uri;
  analysis: DocumentAnalysis | undefined;
  analysisService: AnalysisService;
  documents: InMemoryDocuments;
}

function folderOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

function part(ctx: EditorActionContext, partId: string): MimeEntity {
  const result = ctx.analysis?.result;
  const entity = result && findPart(messageTree(result.message, result.inner), partId);
  if (!entity) throw new UserError(vscode.l10n.t('That part is no longer in the message; it may have changed on disk.'));
  return entity;
}

function certificate(ctx: EditorActionContext, id: string): { certificate: Certificate; role: string } {
  const found = ctx.editor.certificates().get(id);
  if (!found) throw new UserError(vscode.l10n.t('That certificate is no longer in the message.'));
  return found;
}

async function exportCertificate(ctx: EditorActionContext, id: string): Promise<void> {
  const { certificate: cert } = certificate(ctx, id);
  const name = safeFileName(`${cert.subject.commonName ?? 'certificate'}.pem`, 'certificate.pem');
  const target = await saveFile(vscode.l10n.t('Export Certificate'), vscode.Uri.joinPath(folderOf(ctx.uri), name), { [vscode.l10n.t('PEM certificate')]: ['pem', 'crt'] });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(cert.toPem(), 'latin1'));
}

export async function runEditorAction(ctx: EditorActionContext, action: RunAction): Promise<void> {
  switch (action.action) {
    case 'decrypt':
      return ctx.editor.decrypt();
    case 'saveAttachment':
      return saveAttachment(ctx.uri, part(ctx, action.partId));
    case 'openPartAsText':
      return openPartAsText(ctx.documents, ctx.uri, part(ctx, action.partId));
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
      return trustCertificate(ctx.analysisService, ctx.uri, certificate(ctx, action.certificateId).certificate);
    case 'saveRecipientCertificate':
      await saveRecipientCertificates(ctx.analysisService, ctx.uri);
      return;
  }
}
