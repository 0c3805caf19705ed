/**
 * The actions behind the raw view's CodeLens: decode a part, save it, show a signer's certificate, decrypt.
 * Every command takes the document's URI and a part path, and looks the part up in its own analysis: a path
 * from a lens is never used to reach anything else.
 */
import * as vscode from 'vscode';
import { decodeBody, decodeText } from '../../core/mime/decode';
import type { MimeEntity } from '../../core/mime/entity';
import { findEntity } from '../../core/mime/parser';
import type { CertificateSummary, LayerReport } from '../../core/smime/report';
import { registerCommand } from '../commands/registerCommand';
import { saveFile } from '../prompts';
import { UserError } from '../userError';
import { RAW_COMMANDS, SHOW_CERTIFICATE_COMMAND } from './commandIds';
import { certificateMarkdown } from './certificateText';
import type { RawModel, RawModelStore } from './rawModel';

export const EML_LANGUAGE_ID = 'eml';

/** Languages for decoded text parts; anything else opens as plain text. */
const LANGUAGE_BY_TYPE: Record<string, string> = {
  'text/html': 'html',
  'text/xml': 'xml',
  'application/xml': 'xml',
  'application/json': 'json',
  'text/markdown': 'markdown',
  'text/css': 'css',
  'message/rfc822': EML_LANGUAGE_ID,
  'message/global': EML_LANGUAGE_ID,
};

async function modelOf(store: RawModelStore, uri: vscode.Uri): Promise<RawModel> {
  return store.get(await vscode.workspace.openTextDocument(uri));
}

async function partOf(store: RawModelStore, uri: vscode.Uri, path: string): Promise<MimeEntity> {
  const entity = findEntity((await modelOf(store, uri)).root, String(path));
  if (!entity) throw new UserError(vscode.l10n.t('Part {0} is no longer in the message.', String(path)));
  return entity;
}

function isTextual(entity: MimeEntity): boolean {
  const type = entity.contentType.mimeType;
  return type.startsWith('text/') || type in LANGUAGE_BY_TYPE;
}

/** The name of a document opened from `uri` (message content: the tab says where it comes from). */
function contentName(uri: vscode.Uri, what: string): string {
  return `${uri.path.slice(uri.path.lastIndexOf('/') + 1)} ${what}`;
}

async function decodePart(store: RawModelStore, uri: vscode.Uri, path: string): Promise<void> {
  const entity = await partOf(store, uri, path);
  const language = LANGUAGE_BY_TYPE[entity.contentType.mimeType] ?? 'plaintext';
  const name = contentName(uri, `part ${entity.path}`);
  let document: vscode.TextDocument;
  if (language === EML_LANGUAGE_ID) document = await store.openBytes(decodeBody(entity).data, EML_LANGUAGE_ID, `${name}.eml`);
  else if (isTextual(entity)) document = await store.openText(decodeText(entity).text, language, name);
  else {
    const save = vscode.l10n.t('Save…');
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Part {0} is {1}, not text.', entity.path, entity.contentType.mimeType), save);
    if (answer === save) await saveAttachment(store, uri, path);
    return;
  }
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

/** A file name from the message, stripped of any directory part (it is attacker-controlled). */
export function safeFileName(entity: MimeEntity): string {
  const base = (entity.filename ?? '').split(/[\\/]/).pop()?.replace(/[\x00-\x1f<>:"|?*]/g, '_').trim() ?? '';
  return base && base !== '.' && base !== '..' ? base : `part-${entity.path}.bin`;
}

async function saveAttachment(store: RawModelStore, uri: vscode.Uri, path: string): Promise<void> {
  const entity = await partOf(store, uri, path);
  const folder = uri.scheme === 'file' ? vscode.Uri.joinPath(uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await saveFile(vscode.l10n.t('Save Attachment'), folder ? vscode.Uri.joinPath(folder, safeFileName(entity)) : undefined);
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, decodeBody(entity).data);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(target)));
}

function layerOf(model: RawModel, layerPath: string, kind: (l: LayerReport) => boolean): LayerReport | undefined {
  return model.analysis.report.layers.find((l) => l.path === String(layerPath) && kind(l));
}

async function showCertificate(store: RawModelStore, uri: vscode.Uri, layerPath: string, signerIndex: number): Promise<void> {
  const known = await vscode.commands.getCommands(true);
  if (known.includes(SHOW_CERTIFICATE_COMMAND)) {
    await vscode.commands.executeCommand(SHOW_CERTIFICATE_COMMAND, uri, layerPath, signerIndex);
    return;
  }
  const layer = layerOf(await modelOf(store, uri), layerPath, (l) => l.kind === 'signed');
  const chain: CertificateSummary[] = layer?.signers?.[Number(signerIndex)]?.chain ?? [];
  if (chain.length === 0) throw new UserError(vscode.l10n.t('The signature carries no certificate for this signer.'));
  const document = await store.openText(certificateMarkdown(chain), 'markdown', contentName(uri, `certificate ${String(layerPath)}`));
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

const isEncrypted = (l: LayerReport) => l.kind === 'enveloped' || l.kind === 'authEnveloped';

async function openDecrypted(store: RawModelStore, uri: vscode.Uri, layerPath: string): Promise<boolean> {
  const model = await modelOf(store, uri);
  const inner = layerOf(model, layerPath, isEncrypted)?.decrypted ? model.analysis.inner.get(String(layerPath)) : undefined;
  if (!inner) return false;
  const document = await store.openBytes(inner.source, EML_LANGUAGE_ID, contentName(uri, `decrypted ${String(layerPath)}.eml`));
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return true;
}

/** Decrypts in the raw view: the analysis may prompt for the key's passphrase; what stops it (no key configured,
 *  a cancelled prompt) reaches the user through the command wrapper. */
async function decrypt(store: RawModelStore, uri: vscode.Uri, layerPath: string): Promise<void> {
  const model = await store.decrypt(await vscode.workspace.openTextDocument(uri));
  if (await openDecrypted(store, uri, layerPath)) return;
  const layer = layerOf(model, layerPath, isEncrypted);
  const why = layer?.reasons.map((r) => r.message).join('; ') || vscode.l10n.t('no matching key');
  throw new UserError(vscode.l10n.t('Cannot decrypt part {0}: {1}', String(layerPath), why), ['openSettings'], 'smime.decrypt');
}

export function registerRawCommands(store: RawModelStore): vscode.Disposable {
  const t = vscode.l10n.t;
  return vscode.Disposable.from(
    registerCommand(RAW_COMMANDS.decodePart, t('Decode Part'), (uri: vscode.Uri, path: string) => decodePart(store, uri, path)),
    registerCommand(RAW_COMMANDS.saveAttachment, t('Save Attachment'), (uri: vscode.Uri, path: string) => saveAttachment(store, uri, path)),
    registerCommand(RAW_COMMANDS.showCertificate, t('Show Certificate'), (uri: vscode.Uri, layerPath: string, index: number) => showCertificate(store, uri, layerPath, index)),
    registerCommand(RAW_COMMANDS.decrypt, t('Decrypt'), (uri: vscode.Uri, layerPath: string) => decrypt(store, uri, layerPath)),
    registerCommand(RAW_COMMANDS.openDecrypted, t('Open Decrypted Content'), (uri: vscode.Uri, layerPath: string) => openDecrypted(store, uri, layerPath)),
  );
}
