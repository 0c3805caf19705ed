/** Commands on one message: verify, decrypt, certificates, switching between raw source and message view. */
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysisService';
import type { EditorRegistry, OpenEditor } from '../editorRegistry';
import { MESSAGE_EDITOR_VIEW_TYPE } from '../entry/contributions';
import { saveRecipientCertificates } from '../trustActions';
import { UserError } from '../userError';
import { registerCommand } from './registerCommand';
import { targetUri } from './target';

export interface CommandDeps {
  analysis: AnalysisService;
  registry: EditorRegistry;
}

/** Opens (or brings forward) the message editor on `uri` and returns it. */
export async function openMessageEditor(uri: vscode.Uri, registry: EditorRegistry): Promise<OpenEditor> {
  await vscode.commands.executeCommand('vscode.openWith', uri, MESSAGE_EDITOR_VIEW_TYPE);
  const editor = registry.forUri(uri);
  if (!editor) throw new Error(`the message editor did not open for ${uri.toString()}`);
  return editor;
}

async function verify(deps: CommandDeps, arg: unknown): Promise<string> {
  const uri = targetUri(arg, deps.registry);
  const { result } = await deps.analysis.analyzeDocument(uri);
  await openMessageEditor(uri, deps.registry);
  const { verdict, summary } = result.report;
  const show = verdict === 'valid' ? vscode.window.showInformationMessage : verdict === 'invalid' || verdict === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  void show(vscode.l10n.t('S/MIME: {0}', summary));
  return verdict;
}

async function decrypt(deps: CommandDeps, arg: unknown): Promise<void> {
  const editor = await openMessageEditor(targetUri(arg, deps.registry), deps.registry);
  await editor.decrypt();
}

/** (uri?, layerPath?, signerIndex?): the certificate of a signer, in the message editor's certificate viewer. */
async function showCertificate(deps: CommandDeps, arg: unknown, layerPath?: unknown, signerIndex?: unknown): Promise<void> {
  const uri = targetUri(arg, deps.registry);
  const { result } = await deps.analysis.analyzeDocument(uri);
  const layers = result.report.layers.filter((l) => typeof layerPath !== 'string' || l.path === layerPath);
  const signers = layers.flatMap((l) => (l.kind === 'signed' ? l.signers : []));
  const signer = signers[typeof signerIndex === 'number' ? signerIndex : 0];
  if (!signer?.certificate) throw new UserError(vscode.l10n.t('This message has no signer certificate to show.'));
  const editor = await openMessageEditor(uri, deps.registry);
  editor.revealCertificate(signer.certificate);
}

async function openMessageView(deps: CommandDeps, arg: unknown, partPath?: unknown): Promise<void> {
  const uri = targetUri(arg, deps.registry);
  const replaced = otherTabs(uri, 'message');
  const editor = await openMessageEditor(uri, deps.registry);
  if (replaced.length) await vscode.window.tabGroups.close(replaced, true);
  if (typeof partPath === 'string') editor.reveal(partPath);
}

/** Tabs of the active group showing `uri` in another editor than the one being opened: switching views
 *  replaces the tab, as "Reopen Editor With" does, instead of piling up a second one. */
function otherTabs(uri: vscode.Uri, keep: 'text' | 'message'): vscode.Tab[] {
  return vscode.window.tabGroups.activeTabGroup.tabs.filter((tab) => {
    const input = tab.input;
    if (keep === 'text') return input instanceof vscode.TabInputCustom && input.viewType === MESSAGE_EDITOR_VIEW_TYPE && input.uri.toString() === uri.toString();
    return input instanceof vscode.TabInputText && !tab.isDirty && input.uri.toString() === uri.toString();
  });
}

async function openRawSource(deps: CommandDeps, arg: unknown): Promise<void> {
  const uri = targetUri(arg, deps.registry);
  const replaced = otherTabs(uri, 'text');
  await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
  if (replaced.length) await vscode.window.tabGroups.close(replaced, true);
}

export function registerMessageCommands(deps: CommandDeps): vscode.Disposable {
  const t = vscode.l10n.t;
  return vscode.Disposable.from(
    registerCommand('smime.verify', t('Verify'), (arg: unknown) => verify(deps, arg)),
    registerCommand('smime.decrypt', t('Decrypt'), (arg: unknown) => decrypt(deps, arg)),
    registerCommand('smime.showSignerCertificate', t('Show Signer Certificate'), (arg: unknown) => showCertificate(deps, arg)),
    registerCommand('smime.showCertificate', t('Show Certificate'), (arg: unknown, layer: unknown, index: unknown) => showCertificate(deps, arg, layer, index)),
    registerCommand('smime.saveSignerCertificate', t('Save Signer Certificate as Recipient'), (arg: unknown) =>
      saveRecipientCertificates(deps.analysis, targetUri(arg, deps.registry))),
    registerCommand('smime.openRawSource', t('Open Raw Source'), (arg: unknown) => openRawSource(deps, arg)),
    registerCommand('smime.openMessageView', t('Open Message View'), (arg: unknown, part: unknown) => openMessageView(deps, arg, part)),
  );
}
