/**
 * The raw-text side of the extension: for .eml files opened as text, a language with a grammar, CodeLens over
 * every MIME part, the MIME tree as outline and folding, decoding hovers and diagnostics.
 */
import * as vscode from 'vscode';
import { MimeCodeLensProvider } from './codeLens';
import { EML_LANGUAGE_ID, registerRawCommands } from './commands';
import { MimeDiagnostics } from './diagnostics';
import { MimeHoverProvider } from './hover';
import { MimeFoldingProvider, MimeOutlineProvider } from './outline';
import { RawModelStore, type RawAnalysisSource } from './rawModel';
import type { FileStates } from '../fileStates';
import type { InMemoryDocuments } from '../partDocuments';

export type { RawAnalysisSource, RawAnalysisOptions } from './rawModel';
export { RAW_COMMANDS, OPEN_MESSAGE_VIEW_COMMAND, SHOW_CERTIFICATE_COMMAND } from './commandIds';
export { EML_LANGUAGE_ID } from './commands';

export interface RawTextDeps {
  /** Where content decoded or decrypted from a message opens: read-only in-memory documents only. */
  documents: InMemoryDocuments;
  analysis: RawAnalysisSource;
  /** Per-file state shared with the message view (decrypt requested). */
  files: FileStates;
}

/** Registers every raw-text feature; all registrations end with the extension. */
export function registerRawTextFeatures(context: vscode.ExtensionContext, { documents, analysis, files }: RawTextDeps): void {
  const selector: vscode.DocumentSelector = { language: EML_LANGUAGE_ID };
  const store = new RawModelStore(analysis, documents, files);
  context.subscriptions.push(
    store,
    vscode.languages.registerCodeLensProvider(selector, new MimeCodeLensProvider(store)),
    vscode.languages.registerDocumentSymbolProvider(selector, new MimeOutlineProvider(store), { label: 'MIME' }),
    vscode.languages.registerFoldingRangeProvider(selector, new MimeFoldingProvider(store)),
    vscode.languages.registerHoverProvider(selector, new MimeHoverProvider(store)),
    new MimeDiagnostics(store, EML_LANGUAGE_ID),
    registerRawCommands(store, documents),
  );
}
