/**
 * What can be done with one part of a message, the same from the message view and the raw view: save it (under
 * core's safeFileName, the one rule for names taken from a message), open it as text, open decrypted content.
 * Content opens only as a read-only in-memory document (partDocuments.ts: never an untitled document, which hot
 * exit would back up to disk); files are written only where the user's save dialog said.
 */
import * as vscode from 'vscode';
import { decodeBody, type MimeEntity, type ParsedMessage } from '../core';
import { attachmentFileName, contentName, EML_LANGUAGE_ID, partContent } from './partContent';
import { PART_SCHEME, type InMemoryDocuments } from './partDocuments';
import { saveFile } from './prompts';

/** Where a save dialog starts: beside the message file, or in the workspace for content that has no folder. */
function saveFolder(messageUri: vscode.Uri): vscode.Uri | undefined {
  const untitled = vscode.workspace.textDocuments.some((d) => d.isUntitled && d.uri.toString() === messageUri.toString());
  if (messageUri.scheme === PART_SCHEME || untitled) return vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.Uri.joinPath(messageUri, '..');
}

export async function saveAttachment(messageUri: vscode.Uri, entity: MimeEntity): Promise<void> {
  const folder = saveFolder(messageUri);
  const name = attachmentFileName(entity);
  const target = await saveFile(vscode.l10n.t('Save Attachment'), folder ? vscode.Uri.joinPath(folder, name) : undefined);
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, decodeBody(entity).data);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', vscode.workspace.asRelativePath(target)));
}

async function show(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

export interface OpenAsTextOptions {
  /** For a part that is not text: offer to save it (the raw view, which shows its source already) instead of
   *  opening its MIME source. */
  offerSaveForBinary?: boolean;
}

/** Opens a part's text beside the message, in a read-only in-memory document. */
export async function openPartAsText(documents: InMemoryDocuments, messageUri: vscode.Uri, entity: MimeEntity, options: OpenAsTextOptions = {}): Promise<void> {
  const content = partContent(entity);
  const name = contentName(messageUri.path, `part ${entity.path}`);
  if (content.kind === 'message') return show(await documents.createFromBytes(`${name}.eml`, content.bytes, EML_LANGUAGE_ID));
  if (content.kind === 'text') return show(await documents.create(name, content.text, content.language));
  if (!options.offerSaveForBinary) return show(await documents.create(name, content.source, EML_LANGUAGE_ID));
  const save = vscode.l10n.t('Save…');
  const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Part {0} is {1}, not text.', entity.path, entity.contentType.mimeType), save);
  if (answer === save) await saveAttachment(messageUri, entity);
}

/** Opens the content decrypted from the encryption layer at `layerPath`, as a message of its own. */
export async function openDecrypted(documents: InMemoryDocuments, messageUri: vscode.Uri, layerPath: string, decrypted: ParsedMessage): Promise<void> {
  await show(await documents.createFromBytes(contentName(messageUri.path, `decrypted ${layerPath}.eml`), decrypted.source, EML_LANGUAGE_ID));
}
