/**
 * The raw-text side of the extension: for .eml files opened as text, a language with a grammar, CodeLens over
 * every MIME part, the MIME tree as outline and folding, decoding hovers and diagnostics.
 */
import * as vscode from 'vscode';
import { DirectAnalysisSource, type RawAnalysisSource } from './analysisSource';
import { MimeCodeLensProvider } from './codeLens';
import { EML_LANGUAGE_ID, registerRawCommands } from './commands';
import { MimeDiagnostics } from './diagnostics';
import { MimeHoverProvider } from './hover';
import { MimeFoldingProvider, MimeOutlineProvider } from './outline';
import { RawModelStore } from './rawModel';
import type { InMemoryDocuments } from '../partDocuments';

export type { RawAnalysisSource, RawAnalysisOptions } from './analysisSource';
export { RAW_COMMANDS, OPEN_MESSAGE_VIEW_COMMAND, SHOW_CERTIFICATE_COMMAND } from './commandIds';
export { EML_LANGUAGE_ID } from './commands';

/** Registers every raw-text feature; all registrations end with the extension. Content decoded or decrypted
 *  from a message opens only as a read-only in-memory document of `documents`. */
export function registerRawTextFeatures(context: vscode.ExtensionContext, documents: InMemoryDocuments, analysis: RawAnalysisSource = new DirectAnalysisSource()): void {
  const selector: vscode.DocumentSelector = { language: EML_LANGUAGE_ID };
  const store = new RawModelStore(analysis, documents);
  context.subscriptions.push(
    store,
    vscode.languages.registerCodeLensProvider(selector, new MimeCodeLensProvider(store)),
    vscode.languages.registerDocumentSymbolProvider(selector, new MimeOutlineProvider(store), { label: 'MIME' }),
    vscode.languages.registerFoldingRangeProvider(selector, new MimeFoldingProvider(store)),
    vscode.languages.registerHoverProvider(selector, new MimeHoverProvider(store)),
    new MimeDiagnostics(store, EML_LANGUAGE_ID),
    registerRawCommands(store),
  );
}
