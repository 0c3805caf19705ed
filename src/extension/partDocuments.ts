/**
 * Read-only, in-memory documents: the only way this extension shows message content (a part's text, decrypted
 * content, a certificate) in a text editor. A virtual scheme rather than an untitled file: untitled editors are
 * backed up to disk by hot exit, and decrypted text must never be written there. A content provider's documents
 * are read-only and are not backed up; their text lives in this map until the editor closes.
 */
import { isUtf8 } from 'node:buffer';
import * as vscode from 'vscode';

export const PART_SCHEME = 'smime-part';

/** Documents kept open at most; the oldest is dropped first. */
const MAX_PART_DOCUMENTS = 50;
/** A language change closes and reopens a document (vscode.languages.setTextDocumentLanguage): a text is dropped
 *  only when its document is still closed this long after the close event. */
const CLOSE_GRACE_MS = 2000;
/** File name endings that give the document its language without a language change. */
const EXTENSION_OF_LANGUAGE: Record<string, string> = {
  eml: '.eml', html: '.html', plaintext: '.txt', markdown: '.md', xml: '.xml', json: '.json', css: '.css',
};

/** The exact bytes behind a document opened from message bytes, and how its text was decoded from them. */
export interface DocumentBytes {
  bytes: Buffer;
  encoding: 'utf8' | 'latin1';
}

/** What the raw view and the message editor need: a read-only document holding `text` (or message bytes). */
export interface InMemoryDocuments {
  create(name: string, text: string, language: string): Promise<vscode.TextDocument>;
  createFromBytes(name: string, bytes: Buffer, language: string): Promise<vscode.TextDocument>;
  bytesOf(uri: vscode.Uri): DocumentBytes | undefined;
}

/** A name safe to show as a path segment: message file names and part paths are attacker-controlled. */
export function safeDocumentName(name: string): string {
  return name.replace(/[^\w.@-]+/g, '_').slice(0, 120) || 'content';
}

export class PartDocuments implements vscode.TextDocumentContentProvider, InMemoryDocuments, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  /** The bytes of documents opened from message bytes, by the same key as their text. */
  private readonly bytes = new Map<string, DocumentBytes>();
  private counter = 0;
  private readonly closing: vscode.Disposable;

  constructor() {
    // Drop the text once its editor is gone: it should stay in memory no longer than it is shown.
    this.closing = vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme !== PART_SCHEME) return;
      const id = d.uri.toString();
      setTimeout(() => {
        if (!vscode.workspace.textDocuments.some((open) => open.uri.toString() === id)) this.drop(d.uri.query);
      }, CLOSE_GRACE_MS);
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? vscode.l10n.t('This content was closed; open it again from the message.');
  }

  /** A read-only document of `language` holding `text`, named `name` (shown in the tab). */
  create(name: string, text: string, language: string): Promise<vscode.TextDocument> {
    return this.openDocument(name, text, language);
  }

  /** A read-only document of message bytes (decrypted content, an attached message). The exact bytes are kept for
   *  the analysis of the document: its text alone cannot carry 8-bit bytes that are not UTF-8. */
  createFromBytes(name: string, bytes: Buffer, language: string): Promise<vscode.TextDocument> {
    const encoding = isUtf8(bytes) ? 'utf8' : 'latin1';
    return this.openDocument(name, bytes.toString(encoding), language, { bytes, encoding });
  }

  /** The bytes behind a document from createFromBytes, while it is open. */
  bytesOf(uri: vscode.Uri): DocumentBytes | undefined {
    return uri.scheme === PART_SCHEME ? this.bytes.get(uri.query) : undefined;
  }

  private drop(key: string): void {
    this.texts.delete(key);
    this.bytes.delete(key);
  }

  private async openDocument(name: string, text: string, language: string, bytes?: DocumentBytes): Promise<vscode.TextDocument> {
    const key = String(++this.counter);
    this.texts.set(key, text);
    if (bytes) this.bytes.set(key, bytes);
    while (this.texts.size > MAX_PART_DOCUMENTS) this.drop(this.texts.keys().next().value as string);
    const ending = EXTENSION_OF_LANGUAGE[language] ?? '';
    const base = safeDocumentName(name);
    const uri = vscode.Uri.from({ scheme: PART_SCHEME, path: `/${base.endsWith(ending) ? base : base + ending}`, query: key });
    const doc = await vscode.workspace.openTextDocument(uri);
    return doc.languageId === language ? doc : vscode.languages.setTextDocumentLanguage(doc, language);
  }

  dispose(): void {
    this.closing.dispose();
    this.texts.clear();
    this.bytes.clear();
  }
}
