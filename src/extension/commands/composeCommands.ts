/**
 * Sign, Encrypt, Sign and Encrypt on the open .eml, through the core's write path. The result goes to
 * NAME.signed.eml / NAME.encrypted.eml beside the input and opens in the message editor; with
 * smime.output = "replace" it replaces the document in one undoable WorkspaceEdit instead.
 */
import * as vscode from 'vscode';
import { certificatesFromBytes, encryptMessage, messageAddresses, resolveRecipients, signAndEncrypt, signMessage, type Certificate, type ComposeResult } from '../../core';
import type { AnalysisService } from '../analysisService';
import type { EditorRegistry } from '../editorRegistry';
import { MAX_OUTPUT_NAME_ATTEMPTS, outputName } from '../fileNames';
import { log } from '../log';
import { MESSAGE_EDITOR_VIEW_TYPE } from '../entry/contributions';
import { openFile, pickMany } from '../prompts';
import type { SmimeSettings } from '../settings';
import { requireTrustedWorkspace } from '../trustActions';
import { Cancelled, UserError } from '../userError';
import { workspaceFiles, writeNewUri } from '../workspaceFiles';
import { registerCommand } from './registerCommand';
import { targetUri } from './target';

type Operation = 'sign' | 'encrypt' | 'signEncrypt';

interface ComposeDeps {
  analysis: AnalysisService;
  registry: EditorRegistry;
}

const SUFFIX: Record<Operation, 'signed' | 'encrypted' | 'signed-encrypted'> = { sign: 'signed', encrypt: 'encrypted', signEncrypt: 'signed-encrypted' };

async function chooseCertificate(address: string): Promise<Certificate | undefined> {
  const picked = await openFile(vscode.l10n.t('Certificate for {0}', address), {
    [vscode.l10n.t('Certificates')]: ['pem', 'crt', 'cer', 'der', 'p7b', 'p7c'],
  });
  if (!picked) return undefined;
  // The picked file is a URI (a virtual workspace's too): read it as such, not as a path.
  const name = picked.scheme === 'file' ? picked.fsPath : picked.toString();
  const { certs, problems } = certificatesFromBytes(Buffer.from(await vscode.workspace.fs.readFile(picked)), name);
  if (!certs.length) throw new Error(problems.join('; ') || `no certificate in ${name}`);
  return certs[0];
}

/** In VS Code the user names recipients by settings and dialogs, not by the command line's options. */
const RECIPIENT_SETTING_NAMES = { explicit: 'a certificate chosen when asked', dir: 'ADDRESS.pem in smime.recipients.folder' };

/** Recipient certificates for To/Cc/Bcc: from smime.recipients.folder, the missing ones chosen by the user. */
export async function recipientCertificates(input: Buffer, settings: SmimeSettings): Promise<Certificate[]> {
  const addrs = messageAddresses(input);
  const addresses = [...addrs.to, ...addrs.cc, ...addrs.bcc].map((a) => a.address);
  const found: Certificate[] = [];
  const missing: string[] = [];
  for (const address of new Set(addresses)) {
    try {
      found.push(...(await resolveRecipients(workspaceFiles, { explicit: [], dir: settings.recipientsFolder, addresses: [address], names: RECIPIENT_SETTING_NAMES })).certificates);
    } catch {
      missing.push(address);
    }
  }
  if (missing.length) {
    const picks = await pickMany(
      missing.map((address) => ({ label: address, description: vscode.l10n.t('no certificate found'), picked: true })),
      vscode.l10n.t('Choose certificate files for these recipients (unchecked ones will not be able to read the message)'),
    );
    if (!picks) throw new Cancelled();
    for (const pick of picks) {
      // A checked address whose file dialog was closed: stop rather than encrypt without a wanted recipient.
      const cert = await chooseCertificate(pick.label);
      if (!cert) throw new Cancelled();
      found.push(cert);
    }
  }
  if (addresses.length && !found.length) {
    // Only the sender's own copy would remain: none of the addressees could read the message.
    throw new UserError(vscode.l10n.t('No certificate for {0}: nothing was encrypted. Put ADDRESS.pem into smime.recipients.folder, or choose the file when asked.', missing.join(', ')), ['openSettings'], 'smime.recipients.folder');
  }
  return found;
}

async function compose(deps: ComposeDeps, op: Operation, uri: vscode.Uri): Promise<ComposeResult> {
  const settings = deps.analysis.settings(uri);
  const input = Buffer.from(await vscode.workspace.fs.readFile(uri));
  const needsSigner = op !== 'encrypt' || settings.toSelf;
  const signer = needsSigner
    ? await deps.analysis.keys.loadIdentity(settings.signing, 'smime.signing', true).catch((e) => {
        if (op === 'encrypt') return undefined; // no copy to self without a signing identity; the core warns
        throw e;
      })
    : undefined;
  const common = { input, protectHeaders: settings.protectHeaders };
  // Date becomes the signing time, so what this command signs never shows a signing time far from Date.
  const signing = { detached: settings.format === 'detached', digest: settings.digest, refreshDate: true };
  if (op === 'sign') return signMessage({ ...common, ...signing, signer: signer! });
  const recipients = await recipientCertificates(input, settings);
  const encryption = { recipients, self: signer?.certificate, includeSelf: settings.toSelf, cipher: settings.cipher, oaep: settings.keyTransport === 'rsa-oaep' };
  if (op === 'encrypt') return encryptMessage({ ...common, ...encryption });
  return signAndEncrypt({ ...common, ...signing, ...encryption, signer: signer! });
}

async function writeOutput(uri: vscode.Uri, message: Buffer, op: Operation, settings: SmimeSettings): Promise<vscode.Uri> {
  // A text document holds characters, not bytes: only 7-bit output survives the round trip through the editor.
  const ascii = !message.some((b) => b > 0x7f);
  if (settings.output === 'replace' && ascii) {
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), message.toString('latin1'));
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit was not applied');
    await doc.save();
    return uri;
  }
  // An earlier output is never replaced (there is no undo for a file written beside the draft): NAME.signed-2.eml.
  const input = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  for (let attempt = 0; attempt < MAX_OUTPUT_NAME_ATTEMPTS; attempt++) {
    const target = vscode.Uri.joinPath(uri, '..', outputName(input, SUFFIX[op], attempt));
    try {
      await writeNewUri(target, message);
      return target;
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError && e.code === 'FileExists')) throw e;
    }
  }
  throw new UserError(vscode.l10n.t('No free file name beside {0}: remove earlier outputs first.', input));
}

async function run(deps: ComposeDeps, op: Operation, arg: unknown): Promise<vscode.Uri | undefined> {
  const what = { sign: vscode.l10n.t('Signing'), encrypt: vscode.l10n.t('Encrypting'), signEncrypt: vscode.l10n.t('Signing and encrypting') }[op];
  requireTrustedWorkspace(what);
  const uri = targetUri(arg, deps.registry);
  const settings = deps.analysis.settings(uri);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('S/MIME: {0}…', what) },
    () => compose(deps, op, uri),
  );
  const target = await writeOutput(uri, result.message, op, settings);
  for (const c of result.preflight) log().info(`${target.fsPath}: preflight ${c.path}: ${c.change} (${c.reason})`);
  for (const w of result.warnings) log().warn(`${target.fsPath}: ${w.code}: ${w.message}`);
  await vscode.commands.executeCommand('vscode.openWith', target, MESSAGE_EDITOR_VIEW_TYPE);
  if (result.warnings.length) {
    const show = vscode.l10n.t('Show Details');
    const text = vscode.l10n.t('Wrote {0} with {1} warning(s): {2}', target.path.slice(target.path.lastIndexOf('/') + 1), result.warnings.length, result.warnings[0].message);
    void vscode.window.showWarningMessage(text, show).then((p) => p === show && log().show(true));
  }
  return target;
}

export function registerComposeCommands(deps: ComposeDeps): vscode.Disposable {
  const t = vscode.l10n.t;
  return vscode.Disposable.from(
    registerCommand('smime.sign', t('Sign'), (arg: unknown) => run(deps, 'sign', arg)),
    registerCommand('smime.encrypt', t('Encrypt'), (arg: unknown) => run(deps, 'encrypt', arg)),
    registerCommand('smime.signAndEncrypt', t('Sign and Encrypt'), (arg: unknown) => run(deps, 'signEncrypt', arg)),
  );
}
