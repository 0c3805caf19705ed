/** Set / forget a key's passphrase, and pick key files into the settings. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { AnalysisService } from '../analysisService';
import { decryptionSources, passphraseFile, type SmimeSettings } from '../settings';
import { openFile } from '../prompts';
import { requireTrustedWorkspace } from '../trustActions';
import { Cancelled, UserError } from '../userError';
import { registerCommand } from './registerCommand';
import { settingPath } from '../workspaceFiles';

function configuredKeyFiles(settings: SmimeSettings): { label: string; file: string; setting: string }[] {
  const out: { label: string; file: string; setting: string }[] = [];
  for (const source of decryptionSources(settings)) {
    const file = passphraseFile(source) as string;
    out.push({ label: vscode.l10n.t('Decryption key: {0}', basename(file)), file, setting: 'smime.decrypt' });
  }
  const signing = passphraseFile(settings.signing);
  if (signing && !out.some((k) => k.file === signing)) out.push({ label: vscode.l10n.t('Signing key: {0}', basename(signing)), file: signing, setting: 'smime.signing' });
  return out;
}

async function pickKeyFile(analysis: AnalysisService, arg: unknown): Promise<{ file: string; setting: string }> {
  const keys = configuredKeyFiles(analysis.settings());
  if (typeof arg === 'string') return { file: arg, setting: keys.find((k) => k.file === arg)?.setting ?? 'smime.decrypt' };
  if (!keys.length) throw new UserError(vscode.l10n.t('No key file is configured.'), ['openSettings', 'chooseFile'], 'smime.decrypt');
  if (keys.length === 1) return keys[0];
  const picked = await vscode.window.showQuickPick(keys, { title: vscode.l10n.t('Which key?') });
  if (!picked) throw new Cancelled();
  return picked;
}

async function setPassphrase(analysis: AnalysisService, arg: unknown): Promise<void> {
  requireTrustedWorkspace(vscode.l10n.t('Setting a key passphrase'));
  const { file, setting } = await pickKeyFile(analysis, arg);
  await analysis.keys.forget(file);
  const settings = analysis.settings();
  const source = [settings.signing, ...decryptionSources(settings)].find((s) => passphraseFile(s) === file) ?? { p12: file };
  // loadIdentity asks (the stored one was just removed), checks it against the key, and remembers it.
  await analysis.keys.loadIdentity(source, setting, true);
  analysis.invalidate('keys');
  void vscode.window.showInformationMessage(vscode.l10n.t('The passphrase for {0} is stored in the system keychain.', basename(file)));
}

async function forgetPassphrase(analysis: AnalysisService, arg: unknown): Promise<void> {
  const { file } = await pickKeyFile(analysis, arg);
  await analysis.keys.forget(file);
  analysis.invalidate('keys');
  void vscode.window.showInformationMessage(vscode.l10n.t('Forgot the passphrase for {0}.', basename(file)));
}

/**
 * (setting?): choose a PKCS#12 or PEM key file and store it in the user settings: a key belongs to the person on
 * this machine, not to the workspace (a shared repository must not carry paths to someone's keys).
 */
async function chooseKeyFile(analysis: AnalysisService, arg: unknown): Promise<void> {
  requireTrustedWorkspace(vscode.l10n.t('Choosing a key file'));
  const setting = arg === 'smime.signing' ? 'smime.signing' : 'smime.decrypt';
  const picked = await openFile(
    setting === 'smime.signing' ? vscode.l10n.t('Choose the signing key (PKCS#12 or PEM)') : vscode.l10n.t('Choose the decryption key (PKCS#12 or PEM)'),
    { [vscode.l10n.t('Keys')]: ['p12', 'pfx', 'pem', 'key'] },
  );
  if (!picked) return;
  const file = settingPath(picked);
  const config = vscode.workspace.getConfiguration(setting);
  const target = vscode.ConfigurationTarget.Global;
  if (/\.(p12|pfx)$/i.test(file)) {
    await config.update('p12', file, target);
  } else {
    await config.update('key', file, target);
    await config.update('p12', undefined, target);
  }
  analysis.invalidate('settings');
}

export function registerKeyCommands(analysis: AnalysisService): vscode.Disposable {
  const t = vscode.l10n.t;
  return vscode.Disposable.from(
    registerCommand('smime.setKeyPassphrase', t('Set Key Passphrase'), (arg: unknown) => setPassphrase(analysis, arg)),
    registerCommand('smime.forgetKeyPassphrase', t('Forget Key Passphrase'), (arg: unknown) => forgetPassphrase(analysis, arg)),
    registerCommand('smime.chooseKeyFile', t('Choose Key File'), (arg: unknown) => chooseKeyFile(analysis, arg)),
  );
}
