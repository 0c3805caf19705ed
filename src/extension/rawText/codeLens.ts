/**
 * CodeLens above the header block of every MIME part: what the part is, and what can be done with it. Signed
 * parts also show their signature status, encrypted parts offer decryption, and the first line carries the
 * message's overall verdict.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { isSavablePart, walk, isEncrypted, signerName, type MimeEntity, type LayerReport, type EnvelopedLayerReport, type SignedLayerReport } from '../../core';
import { encryptionTitle, partDescription, signatureTitle, verdictTitle } from './labels';
import type { RawModel, RawModelStore } from './rawModel';
import { RAW_COMMANDS, OPEN_MESSAGE_VIEW_COMMAND, SET_KEY_PASSPHRASE_COMMAND } from './commandIds';

/** A lens with no command is shown as plain text. */
function label(range: vscode.Range, title: string, tooltip?: string): vscode.CodeLens {
  return new vscode.CodeLens(range, { title, command: '', tooltip });
}

function action(range: vscode.Range, title: string, command: string, args: unknown[], tooltip?: string): vscode.CodeLens {
  return new vscode.CodeLens(range, { title, command, arguments: args, tooltip });
}

/** Layers carried by this part of the file. Inner trees are numbered below a leaf of the file's tree
 *  ("<holder>.1..."), so a path match can only be a layer found in the file itself. */
function layersAt(model: RawModel, entity: MimeEntity): LayerReport[] {
  return model.analysis.report.layers.filter((l) => l.path === entity.path);
}

function signatureLenses(model: RawModel, range: vscode.Range, layer: SignedLayerReport): vscode.CodeLens[] {
  const uri = model.uri;
  const certificates = model.analysis.report.certificates;
  const lenses = [label(range, signatureTitle(layer, certificates), layer.reasons.concat(layer.signers.flatMap((s) => s.reasons)).map((r) => r.message).join('\n') || undefined)];
  layer.signers.forEach((signer, index) => {
    if (signer.chain.length === 0) return;
    const who = layer.signers.length > 1 ? ` (${signerName(certificates, signer) ?? index + 1})` : '';
    lenses.push(action(range, `Show certificate${who}`, RAW_COMMANDS.showCertificate, [uri, layer.path, index]));
  });
  return lenses;
}

function encryptionLenses(model: RawModel, range: vscode.Range, layer: EnvelopedLayerReport): vscode.CodeLens[] {
  const lenses = [label(range, encryptionTitle(layer))];
  if (layer.decrypted) {
    lenses.push(action(range, 'Open decrypted content', RAW_COMMANDS.openDecrypted, [model.uri, layer.path]));
    return lenses;
  }
  // A configured identity waits for its passphrase: say so where the ciphertext is, as the message view does, and
  // unlock that key (the message decrypts once it is entered, when smime.decrypt.automatically is on).
  for (const file of model.lockedKeys) {
    const name = basename(file);
    lenses.push(action(range, `Key locked: enter passphrase (${name})`, SET_KEY_PASSPHRASE_COMMAND, [file], `The passphrase of ${name} is needed to try this key`));
  }
  lenses.push(action(range, 'Decrypt', RAW_COMMANDS.decrypt, [model.uri, layer.path], 'Decrypt with the configured keys'));
  return lenses;
}

function partLenses(model: RawModel, entity: MimeEntity): vscode.CodeLens[] {
  const range = model.lineRange(entity.start, entity.start + 1);
  const uri = model.uri;
  const lenses = [
    label(range, `${entity.path} ${partDescription(entity)}`),
    action(range, 'Show in message view', OPEN_MESSAGE_VIEW_COMMAND, [uri, entity.path]),
  ];
  if (!entity.multipart && entity.children.length === 0) {
    lenses.push(action(range, 'Decode', RAW_COMMANDS.decodePart, [uri, entity.path], 'Open the decoded body in a new editor'));
  }
  if (isSavablePart(entity)) lenses.push(action(range, 'Save attachment…', RAW_COMMANDS.saveAttachment, [uri, entity.path]));
  for (const layer of layersAt(model, entity)) {
    if (layer.kind === 'signed') lenses.push(...signatureLenses(model, range, layer));
    else if (isEncrypted(layer)) lenses.push(...encryptionLenses(model, range, layer));
    else if (layer.kind === 'compressed') lenses.push(label(range, 'Compressed'));
  }
  return lenses;
}

export class MimeCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly store: RawModelStore) {
    this.onDidChangeCodeLenses = (listener, thisArgs, disposables) => store.onDidChange(() => listener.call(thisArgs), undefined, disposables);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const model = await this.store.get(document);
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [action(top, verdictTitle(model.analysis.report), OPEN_MESSAGE_VIEW_COMMAND, [model.uri], model.analysis.report.summary)];
    for (const entity of walk(model.root)) lenses.push(...partLenses(model, entity));
    return lenses;
  }
}
