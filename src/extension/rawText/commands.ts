/**
 * The actions behind the raw view's CodeLens: decode a part, save it, show a signer's certificate, decrypt.
 * Every command takes the document's URI and a part path, and looks the part up in its own analysis: a path
 * from a lens is never used to reach anything else.
 */
import * as vscode from 'vscode';
import { messageTree, openedContent, findEntity, isEncrypted, type MimeEntity, type LayerReport } from '../../core';
import { registerCommand } from '../commands/registerCommand';
import { openDecrypted as openDecryptedContent, openPartAsText, saveAttachment } from '../partActions';
import { contentName } from '../partContent';
import type { InMemoryDocuments } from '../partDocuments';
import { UserError } from '../userError';
import { RAW_COMMANDS, SHOW_CERTIFICATE_COMMAND } from './commandIds';
import { certificateMarkdown } from './certificateText';
import type { RawModel, RawModelStore } from './rawModel';

export { EML_LANGUAGE_ID } from '../partContent';

async function modelOf(store: RawModelStore, uri: vscode.Uri): Promise<RawModel> {
  return store.get(await vscode.workspace.openTextDocument(uri));
}

async function partOf(store: RawModelStore, uri: vscode.Uri, path: string): Promise<MimeEntity> {
  const entity = findEntity((await modelOf(store, uri)).root, String(path));
  if (!entity) throw new UserError(vscode.l10n.t('Part {0} is no longer in the message.', String(path)));
  return entity;
}

function layerOf(model: RawModel, layerPath: string, kind: (l: LayerReport) => boolean): LayerReport | undefined {
  return model.analysis.report.layers.find((l) => l.path === String(layerPath) && kind(l));
}

async function showCertificate(store: RawModelStore, documents: InMemoryDocuments, uri: vscode.Uri, layerPath: string, signerIndex: number): Promise<void> {
  const known = await vscode.commands.getCommands(true);
  if (known.includes(SHOW_CERTIFICATE_COMMAND)) {
    await vscode.commands.executeCommand(SHOW_CERTIFICATE_COMMAND, uri, layerPath, signerIndex);
    return;
  }
  const model = await modelOf(store, uri);
  const layer = layerOf(model, layerPath, (l) => l.kind === 'signed');
  const chain = layer?.kind === 'signed' ? (layer.signers[Number(signerIndex)]?.chain ?? []) : [];
  if (chain.length === 0) throw new UserError(vscode.l10n.t('The signature carries no certificate for this signer.'));
  const document = await documents.create(contentName(uri.path, `certificate ${String(layerPath)}`), certificateMarkdown(model.analysis, chain), 'markdown');
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

async function openDecrypted(store: RawModelStore, documents: InMemoryDocuments, uri: vscode.Uri, layerPath: string): Promise<boolean> {
  const model = await modelOf(store, uri);
  const path = String(layerPath);
  const layer = layerOf(model, path, isEncrypted);
  const decrypted = layer && isEncrypted(layer) && layer.decrypted ? openedContent(messageTree(model.analysis.message, model.analysis.inner), path) : undefined;
  if (!decrypted) return false;
  await openDecryptedContent(documents, uri, path, decrypted);
  return true;
}

/** Decrypts in the raw view: the analysis may prompt for the key's passphrase; what stops it (no key configured,
 *  a cancelled prompt) reaches the user through the command wrapper. */
async function decrypt(store: RawModelStore, documents: InMemoryDocuments, uri: vscode.Uri, layerPath: string): Promise<void> {
  const model = await store.decrypt(await vscode.workspace.openTextDocument(uri));
  if (await openDecrypted(store, documents, uri, layerPath)) return;
  const layer = layerOf(model, layerPath, isEncrypted);
  const why = layer?.reasons.map((r) => r.message).join('; ') || vscode.l10n.t('no matching key');
  throw new UserError(vscode.l10n.t('Cannot decrypt part {0}: {1}', String(layerPath), why), ['openSettings'], 'smime.decrypt');
}

export function registerRawCommands(store: RawModelStore, documents: InMemoryDocuments): vscode.Disposable {
  const t = vscode.l10n.t;
  return vscode.Disposable.from(
    registerCommand(RAW_COMMANDS.decodePart, t('Decode Part'), async (uri: vscode.Uri, path: string) =>
      openPartAsText(documents, uri, await partOf(store, uri, path), { offerSaveForBinary: true })),
    registerCommand(RAW_COMMANDS.saveAttachment, t('Save Attachment'), async (uri: vscode.Uri, path: string) => saveAttachment(uri, await partOf(store, uri, path))),
    registerCommand(RAW_COMMANDS.showCertificate, t('Show Certificate'), (uri: vscode.Uri, layerPath: string, index: number) => showCertificate(store, documents, uri, layerPath, index)),
    registerCommand(RAW_COMMANDS.decrypt, t('Decrypt'), (uri: vscode.Uri, layerPath: string) => decrypt(store, documents, uri, layerPath)),
    registerCommand(RAW_COMMANDS.openDecrypted, t('Open Decrypted Content'), (uri: vscode.Uri, layerPath: string) => openDecrypted(store, documents, uri, layerPath)),
  );
}
