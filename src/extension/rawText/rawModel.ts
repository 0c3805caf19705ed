/**
 * One analysed text document: its bytes, the core's analysis and the byte <-> position map, cached per document
 * version so that CodeLens, outline, folding, hover and diagnostics share a single parse.
 */
import * as vscode from 'vscode';
import { walk, type AnalysisResult, type MimeEntity } from '../../core';
import { ByteLineMap, decodeLatin1, decodeUtf8, type LineDecoder } from './byteLineMap';
import type { FileStates } from '../fileStates';
import type { InMemoryDocuments } from '../partDocuments';

export interface RawAnalysisOptions {
  /** Try the configured keys on encrypted layers. */
  decrypt?: boolean;
  /** The user asked for it: the source may prompt (for a passphrase) and throw when it cannot go on. */
  interactive?: boolean;
}

/** What the raw-text features need from the extension's analysis service. */
export interface RawAnalysisSource {
  /** The analysis, and the key files whose passphrase is needed before a configured identity can be tried. */
  analyzeDocument(uri: vscode.Uri, bytes: Uint8Array, options?: RawAnalysisOptions): Promise<{ result: AnalysisResult; lockedKeys: string[] }>;
  /** Fires when analyses may have changed without the text changing (keys, trust settings). */
  readonly onDidChangeAnalysis?: vscode.Event<unknown>;
}

export class RawModel {
  constructor(
    readonly uri: vscode.Uri,
    readonly version: number,
    readonly bytes: Buffer,
    readonly lines: ByteLineMap,
    readonly analysis: AnalysisResult,
    /** Key files (absolute paths) that must be unlocked before the message's encrypted layers can be tried. */
    readonly lockedKeys: readonly string[] = [],
  ) {}

  get root(): MimeEntity {
    return this.analysis.message.root;
  }

  position(offset: number): vscode.Position {
    const p = this.lines.positionAt(offset);
    return new vscode.Position(p.line, p.character);
  }

  range(start: number, end: number): vscode.Range {
    return new vscode.Range(this.position(start), this.position(Math.max(start, end)));
  }

  /** The whole line(s) from the line of `start` to the line of `end - 1`. */
  lineRange(start: number, end: number): vscode.Range {
    const first = this.lines.lineOf(start);
    const last = Math.max(first, this.lines.lineOf(Math.max(start, end - 1)));
    return new vscode.Range(first, 0, last, this.lines.lineText(last).length);
  }

  offset(position: vscode.Position): number {
    return this.lines.offsetAt(position);
  }

  /** The innermost entity of the file's tree whose bytes hold `offset`. */
  entityAt(offset: number): MimeEntity {
    let found = this.root;
    for (const entity of walk(this.root)) if (entity.start <= offset && offset < entity.end) found = entity;
    return found;
  }
}


/** The decoder the editor used for the file: UTF-8 unless the file has 8-bit bytes that only latin1 explains. */
function chooseDecoder(bytes: Buffer, document: vscode.TextDocument, lines: ByteLineMap): LineDecoder {
  for (let line = 0; line < lines.lineCount && line < document.lineCount; line++) {
    const utf8 = lines.lineText(line);
    const latin1 = decodeLatin1(bytes.subarray(lines.lineStart(line), lines.lineContentEnd(line)));
    if (utf8 === latin1) continue;
    return document.lineAt(line).text === latin1 ? decodeLatin1 : decodeUtf8;
  }
  return decodeUtf8;
}

/** The document's bytes: the file itself when the editor shows it unchanged (signatures are over those exact
 *  bytes), else the text as UTF-8. */
async function documentBytes(document: vscode.TextDocument): Promise<{ bytes: Buffer; decoder: LineDecoder }> {
  const fromText = { bytes: Buffer.from(document.getText(), 'utf8'), decoder: decodeUtf8 };
  if (document.isDirty || document.isUntitled) return fromText;
  let bytes: Buffer;
  try {
    const data = await vscode.workspace.fs.readFile(document.uri);
    bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  } catch {
    return fromText;
  }
  const probe = new ByteLineMap(bytes);
  // A file changed on disk since it was loaded no longer lines up with the text.
  if (probe.lineCount !== document.lineCount) return fromText;
  return { bytes, decoder: chooseDecoder(bytes, document, probe) };
}

/** Caches one model per open document and version; analyses run through the given source. */
export class RawModelStore implements vscode.Disposable {
  private readonly models = new Map<string, { version: number; decrypt: boolean; model: Promise<RawModel> }>();
  /** The hold on each open document's per-file state (decrypt requested), released when it closes. */
  private readonly held = new Map<string, { dispose(): void }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires when the models of a document (or of all documents: undefined) must be rebuilt. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly source: RawAnalysisSource,
    private readonly documents: InMemoryDocuments,
    private readonly files: FileStates,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.models.delete(e.document.uri.toString())),
    );
    if (source.onDidChangeAnalysis) this.subscriptions.push(source.onDidChangeAnalysis(() => this.invalidateAll()));
  }

  get(document: vscode.TextDocument): Promise<RawModel> {
    const key = document.uri.toString();
    if (!this.held.has(key) && !document.isClosed) this.held.set(key, this.files.hold(document.uri));
    const decrypt = this.files.decryptRequested(document.uri);
    const cached = this.models.get(key);
    if (cached && cached.version === document.version && cached.decrypt === decrypt) return cached.model;
    const model = this.build(document, { decrypt });
    this.models.set(key, { version: document.version, decrypt, model });
    model.catch(() => this.models.delete(key));
    return model;
  }

  /** The exact bytes behind a read-only in-memory document opened from message bytes. */
  private inMemoryBytes(document: vscode.TextDocument): { bytes: Buffer; decoder: LineDecoder } | undefined {
    const held = this.documents.bytesOf(document.uri);
    return held && { bytes: held.bytes, decoder: held.encoding === 'utf8' ? decodeUtf8 : decodeLatin1 };
  }

  /** Analyses the document with decryption now, letting the source prompt for what it needs (a passphrase),
   *  and keeps decrypting it from then on. Throws what the source throws (cancelled, no key configured). */
  async decrypt(document: vscode.TextDocument): Promise<RawModel> {
    const key = document.uri.toString();
    const model = this.build(document, { decrypt: true, interactive: true });
    await model;
    if (!this.held.has(key)) this.held.set(key, this.files.hold(document.uri));
    this.files.requestDecrypt(document.uri);
    this.models.set(key, { version: document.version, decrypt: true, model });
    this.changed.fire(document.uri);
    return model;
  }

  invalidateAll(): void {
    this.models.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
    for (const h of this.held.values()) h.dispose();
    this.held.clear();
  }

  private forget(uri: vscode.Uri): void {
    this.models.delete(uri.toString());
    this.held.get(uri.toString())?.dispose();
    this.held.delete(uri.toString());
  }

  private async build(document: vscode.TextDocument, options: RawAnalysisOptions): Promise<RawModel> {
    const version = document.version;
    const { bytes, decoder } = this.inMemoryBytes(document) ?? (await documentBytes(document));
    const { result, lockedKeys } = await this.source.analyzeDocument(document.uri, bytes, options);
    return new RawModel(document.uri, version, bytes, new ByteLineMap(bytes, decoder), result, lockedKeys);
  }
}
