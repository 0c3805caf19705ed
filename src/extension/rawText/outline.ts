/**
 * The document outline and folding: both follow the MIME tree of the file, with ranges taken from the core's
 * byte offsets.
 */
import * as vscode from 'vscode';
import { walk, type MimeEntity } from '../../core';
import { outlineName, partDescription } from './labels';
import type { RawModel, RawModelStore } from './rawModel';

function symbolKind(entity: MimeEntity): vscode.SymbolKind {
  const type = entity.contentType.mimeType;
  if (entity.multipart || type.startsWith('multipart/')) return vscode.SymbolKind.Namespace;
  if (type.startsWith('message/')) return vscode.SymbolKind.Module;
  if (type.includes('pkcs7') || type.includes('pkcs-7')) return vscode.SymbolKind.Key;
  if (entity.filename) return vscode.SymbolKind.File;
  return type.startsWith('text/') ? vscode.SymbolKind.String : vscode.SymbolKind.Object;
}

function toSymbol(model: RawModel, entity: MimeEntity): vscode.DocumentSymbol {
  const range = model.lineRange(entity.start, Math.max(entity.end, entity.start + 1));
  const selection = model.lineRange(entity.start, entity.start + 1);
  const symbol = new vscode.DocumentSymbol(outlineName(entity), partDescription(entity), symbolKind(entity), range, range.contains(selection) ? selection : range);
  symbol.children = entity.children.map((child) => toSymbol(model, child));
  return symbol;
}

export class MimeOutlineProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly store: RawModelStore) {}

  async provideDocumentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const model = await this.store.get(document);
    return [toSymbol(model, model.root)];
  }
}

/** Lines spanned by [start, end): the line of `start` and the line of the last byte. */
function lineSpan(model: RawModel, start: number, end: number): [number, number] {
  return [model.lines.lineOf(start), model.lines.lineOf(Math.max(start, end - 1))];
}

function entityFolds(model: RawModel, entity: MimeEntity): vscode.FoldingRange[] {
  const folds: vscode.FoldingRange[] = [];
  const [first, last] = lineSpan(model, entity.start, entity.end);
  if (last > first) folds.push(new vscode.FoldingRange(first, last));
  // A folded header field (RFC 5322 §2.2.3) spans several lines; the one on the part's first line shares
  // that line with the part's own fold, which the editor would drop.
  for (const field of entity.headers) {
    const [from, to] = lineSpan(model, field.start, field.end);
    if (to > from && from !== first) folds.push(new vscode.FoldingRange(from, to));
  }
  // A leaf's body (often a long base64 block) folds on its own, below the header block.
  if (entity.children.length === 0 && !entity.multipart && entity.end > entity.bodyStart) {
    const [from, to] = lineSpan(model, entity.bodyStart, entity.end);
    if (to > from && from !== first) folds.push(new vscode.FoldingRange(from, to));
  }
  return folds;
}

export class MimeFoldingProvider implements vscode.FoldingRangeProvider {
  readonly onDidChangeFoldingRanges: vscode.Event<void>;

  constructor(private readonly store: RawModelStore) {
    this.onDidChangeFoldingRanges = (listener, thisArgs, disposables) => store.onDidChange(() => listener.call(thisArgs), undefined, disposables);
  }

  async provideFoldingRanges(document: vscode.TextDocument): Promise<vscode.FoldingRange[]> {
    const model = await this.store.get(document);
    const folds: vscode.FoldingRange[] = [];
    for (const entity of walk(model.root)) folds.push(...entityFolds(model, entity));
    return folds;
  }
}
