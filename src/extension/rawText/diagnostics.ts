/**
 * Problems of an open .eml document: MIME parse warnings at the bytes they concern, and the signature and
 * encryption problems of every S/MIME layer on the part that carries it.
 */
import * as vscode from 'vscode';
import { messageTree, openedContent, walkTree, findEntity, walk, statusForReason, signerName, type MimeEntity, type LayerReport, type Reason } from '../../core';
import type { RawModel, RawModelStore } from './rawModel';

/** Warnings that describe a harmless oddity rather than a defect. */
const INFORMATIONAL_WARNINGS = new Set(['mbox-envelope-line', 'byte-order-mark', 'charset-missing']);
/** Waiting for typing to pause before re-analysing an edited document. */
const EDIT_DEBOUNCE_MS = 300;
const SOURCE = 'S/MIME';

/** The part of the file that stands for `path`: itself, or the nearest ancestor in the file (paths inside
 *  decrypted or unwrapped content have no bytes of their own in the file). */
function fileEntity(model: RawModel, path: string): MimeEntity {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const entity = findEntity(model.root, p);
    if (entity) return entity;
  }
  return model.root;
}

function firstLine(model: RawModel, entity: MimeEntity): vscode.Range {
  return model.lineRange(entity.start, entity.start + 1);
}

function parseDiagnostics(model: RawModel): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  const add = (range: vscode.Range, code: string, message: string) => {
    const severity = INFORMATIONAL_WARNINGS.has(code) ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning;
    const d = new vscode.Diagnostic(range, message, severity);
    d.code = code;
    d.source = 'MIME';
    out.push(d);
  };
  for (const entity of walk(model.root)) {
    for (const w of entity.warnings) {
      const range = w.offset === undefined ? firstLine(model, entity) : model.range(w.offset, model.lines.lineContentEnd(model.lines.lineOf(w.offset)));
      add(range, w.code, `${w.message} (part ${entity.path})`);
    }
  }
  // Content opened from a pkcs7-mime entity has no bytes in the file: its warnings sit on the entity that holds it.
  const tree = messageTree(model.analysis.message, model.analysis.inner);
  for (const holder of walkTree(tree)) {
    const inner = openedContent(tree, holder.path);
    if (!inner) continue;
    const range = firstLine(model, fileEntity(model, holder.path));
    for (const entity of walk(inner.root)) for (const w of entity.warnings) add(range, w.code, `${w.message} (part ${entity.path}, inside ${holder.path})`);
  }
  if (model.analysis.message.lineEndings === 'mixed') {
    add(new vscode.Range(0, 0, 0, 0), 'mixed-line-endings', 'the file mixes CRLF and bare LF line endings (RFC 5322 §2.1 requires CRLF)');
  }
  return out;
}

function signedSeverity(r: Reason): vscode.DiagnosticSeverity {
  if (r.severity === 'info') return vscode.DiagnosticSeverity.Information;
  if (r.severity === 'warning') return vscode.DiagnosticSeverity.Warning;
  // Untrusted or mismatched signers may still be genuine; only a broken signature is an error.
  return statusForReason(r.code) === 'invalid' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
}

function encryptedSeverity(r: Reason): vscode.DiagnosticSeverity {
  // Not having the key is the normal state of an encrypted file until the user decrypts it.
  if (r.code === 'no-recipient-key') return vscode.DiagnosticSeverity.Information;
  return r.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
}

function layerDiagnostics(model: RawModel, layer: LayerReport): vscode.Diagnostic[] {
  const entity = fileEntity(model, layer.path);
  const range = firstLine(model, entity);
  const severityOf = layer.kind === 'signed' ? signedSeverity : encryptedSeverity;
  const certificates = model.analysis.report.certificates;
  const signers = layer.kind === 'signed' ? layer.signers : [];
  const reasons = [...layer.reasons, ...signers.flatMap((s) => s.reasons.map((r) => ({ ...r, message: `${signerName(certificates, s) ?? 'signer'}: ${r.message}` })))];
  return reasons.map((r) => {
    const d = new vscode.Diagnostic(range, r.rfc ? `${r.message} (${r.rfc})` : r.message, severityOf(r));
    d.code = r.code;
    d.source = SOURCE;
    if (layer.kind === 'signed' && layer.source === 'file' && entity.path === layer.path) {
      const covered = new vscode.Location(model.uri, model.range(layer.range.start, layer.range.end));
      d.relatedInformation = [new vscode.DiagnosticRelatedInformation(covered, `signed content (part ${layer.covers})`)];
    }
    return d;
  });
}

function messageDiagnostics(model: RawModel): vscode.Diagnostic[] {
  return model.analysis.report.messageReasons.map((r) => {
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), r.message, r.severity === 'error' ? vscode.DiagnosticSeverity.Error : r.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
    d.code = r.code;
    d.source = SOURCE;
    return d;
  });
}

export function diagnosticsOf(model: RawModel): vscode.Diagnostic[] {
  return [...parseDiagnostics(model), ...model.analysis.report.layers.flatMap((l) => layerDiagnostics(model, l)), ...messageDiagnostics(model)];
}

/** Keeps the Problems view in step with every open document of the language. */
export class MimeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('smime');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly store: RawModelStore, private readonly languageId: string) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, EDIT_DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      store.onDidChange((uri) => this.refresh(uri)),
    );
    this.refresh(undefined);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }

  private refresh(uri: vscode.Uri | undefined): void {
    for (const d of vscode.workspace.textDocuments) if (!uri || d.uri.toString() === uri.toString()) this.schedule(d, 0);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (document.languageId !== this.languageId) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.update(document), delay));
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    this.timers.delete(document.uri.toString());
    if (document.isClosed) return;
    try {
      const model = await this.store.get(document);
      if (model.version === document.version && !document.isClosed) this.collection.set(document.uri, diagnosticsOf(model));
    } catch {
      this.collection.delete(document.uri);
    }
  }
}
