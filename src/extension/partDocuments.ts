/**
 * Read-only, in-memory documents for "Open as Text" on a part. A virtual scheme rather than an untitled file:
 * untitled editors are backed up to disk by hot exit, and decrypted text must never be written there.
 */
import * as vscode from 'vscode';

export const PART_SCHEME = 'smime-part';

/** Documents kept open at most; the oldest is dropped first. */
const MAX_PART_DOCUMENTS = 50;

export class PartDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? '';
  }

  /** Opens `text` in a read-only editor named after the message and part. */
  async open(fileName: string, partId: string, text: string, language: string): Promise<void> {
    const key = String(++this.counter);
    this.texts.set(key, text);
    while (this.texts.size > MAX_PART_DOCUMENTS) this.texts.delete(this.texts.keys().next().value as string);
    const safe = fileName.replace(/[^\w.@-]+/g, '_');
    const uri = vscode.Uri.from({ scheme: PART_SCHEME, path: `/${safe} part ${partId}`, query: key });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}
