/**
 * What the raw-text features need from the analysis of a document, and a direct implementation over the core
 * for when no shared service is handed in.
 */
import * as vscode from 'vscode';
import { analyzeMessage, type AnalysisResult } from '../../core/smime/analyze';

export interface RawAnalysisOptions {
  /** Try the configured keys on encrypted layers. */
  decrypt?: boolean;
  /** The user asked for it: the source may prompt (for a passphrase) and throw when it cannot go on. */
  interactive?: boolean;
}

export interface RawAnalysisSource {
  analyze(uri: vscode.Uri, bytes: Uint8Array, options?: RawAnalysisOptions): Promise<AnalysisResult> | AnalysisResult;
  /** Fires when analyses may have changed without the text changing (keys, trust settings). */
  readonly onDidChangeAnalysis?: vscode.Event<unknown>;
}

/** Analyses with the core's defaults: no trust anchors, no keys. */
export class DirectAnalysisSource implements RawAnalysisSource {
  analyze(_uri: vscode.Uri, bytes: Uint8Array): AnalysisResult {
    return analyzeMessage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
}
