/**
 * Create Test Identity: writes the throw-away demo PKI (root CA, users, PKCS#12 files, sample messages) into a
 * folder of the workspace and points the workspace settings at it: sign as alice, decrypt as bob, trust the demo
 * root, recipients from its recipients/ folder. The demo passphrase is stored in SecretStorage, not in settings.
 * Nothing the user had is replaced without asking: a folder that is not empty gives way to a new one beside it,
 * and smime.* settings the workspace already has are kept unless the user agrees to replace them.
 */
import * as vscode from 'vscode';
import { demoFiles, DEMO_PASSPHRASE, createDemoPki } from '../../core';
import type { AnalysisService } from '../analysisService';
import { MESSAGE_EDITOR_VIEW_TYPE } from '../entry/contributions';
import { confirm } from '../prompts';
import { requireTrustedWorkspace } from '../trustActions';
import { Cancelled, UserError } from '../userError';
import { registerCommand } from './registerCommand';
import { settingPath } from '../workspaceFiles';

async function isEmpty(dir: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.readDirectory(dir)).length === 0;
  } catch {
    return true;
  }
}

const FOLDER_NAME = /^[\w.-]+(\/[\w.-]+)*$/;
/** Folders tried beside a taken one (NAME-2 … NAME-99) before giving up. */
const MAX_FOLDER_SUFFIX = 99;

/** The settings Create Test Identity writes, and those that name the user's own keys (kept unless agreed). */
const WRITTEN_SETTINGS = ['signing.p12', 'decrypt.p12', 'trust.anchors', 'recipients.folder'];
const KEY_SETTINGS = [...WRITTEN_SETTINGS, 'signing.key', 'signing.cert', 'decrypt.key', 'decrypt.cert', 'decrypt.identities'];

/** `name` when that folder is empty or absent, else the first free NAME-2, NAME-3, …: nothing is overwritten. */
async function freeFolder(root: vscode.Uri, name: string): Promise<string> {
  for (let i = 1; i <= MAX_FOLDER_SUFFIX; i++) {
    const candidate = i === 1 ? name : `${name}-${i}`;
    if (await isEmpty(vscode.Uri.joinPath(root, ...candidate.split('/')))) return candidate;
  }
  throw new UserError(vscode.l10n.t('{0} and the folders beside it are taken: choose another name.', name));
}

const validName = (v: string) => FOLDER_NAME.test(v) && !v.split('/').includes('..');

/** The folder to write into: `given` (a relative name, from a caller) or asked for; a taken one gives way. */
async function chooseFolder(root: vscode.Uri, given: unknown): Promise<{ dir: vscode.Uri; name: string }> {
  const asked = typeof given === 'string' && validName(given) ? given : await vscode.window.showInputBox({
    title: vscode.l10n.t('Create Test Identity'),
    prompt: vscode.l10n.t('Folder (inside the workspace) for the TEST-ONLY keys, certificates and sample messages'),
    value: await freeFolder(root, 'smime-demo'),
    validateInput: (v) => (validName(v) ? undefined : vscode.l10n.t('A relative folder name')),
  });
  if (!asked) throw new Cancelled();
  const name = await freeFolder(root, asked);
  return { dir: vscode.Uri.joinPath(root, ...name.split('/')), name };
}

/** The smime.* settings of the workspace that name keys or trust: replacing them needs the user's yes. */
function existingKeySettings(): string[] {
  const config = vscode.workspace.getConfiguration('smime');
  return KEY_SETTINGS.filter((key) => config.inspect(key)?.workspaceValue !== undefined).map((key) => `smime.${key}`);
}

async function createTestIdentity(analysis: AnalysisService, folderName: unknown): Promise<vscode.Uri> {
  requireTrustedWorkspace(vscode.l10n.t('Creating a test identity'));
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new UserError(vscode.l10n.t('Open a folder first: the test identity is written into the workspace.'));
  const { dir, name } = await chooseFolder(folder.uri, folderName);
  const files = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('S/MIME: generating test keys…') },
    async () => demoFiles(await createDemoPki()));
  for (const file of files.filter((f) => f.path !== '.vscode/settings.json')) {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, ...file.path.split('/')), file.data);
  }
  const base = `\${workspaceFolder}/${name}`;
  const existing = existingKeySettings();
  const replace = existing.length === 0 || (await confirm(
    vscode.l10n.t('This workspace already sets {0}. Point these settings at the test identity instead?', existing.join(', ')),
    vscode.l10n.t('Replace Settings'),
    vscode.l10n.t('Cancel keeps your settings; the test files are written to {0} either way.', name),
  ));
  if (replace) {
    const config = vscode.workspace.getConfiguration('smime');
    const target = vscode.ConfigurationTarget.Workspace;
    // The test identity is the only key: leftovers (a key+cert pair, more identities) would be tried too.
    for (const key of KEY_SETTINGS.filter((k) => !WRITTEN_SETTINGS.includes(k))) await config.update(key, undefined, target);
    await config.update('signing.p12', `${base}/alice.p12`, target);
    await config.update('decrypt.p12', `${base}/bob.p12`, target);
    await config.update('trust.anchors', [`${base}/ca.pem`], target);
    await config.update('recipients.folder', `${base}/recipients`, target);
  }
  for (const user of ['alice', 'bob']) await analysis.keys.store(settingPath(vscode.Uri.joinPath(dir, `${user}.p12`)), DEMO_PASSPHRASE);
  analysis.invalidate('settings');
  const sample = vscode.Uri.joinPath(dir, 'messages', 'signed-detached.eml');
  const open = vscode.l10n.t('Open Sample Message');
  const written = replace
    ? vscode.l10n.t('Test identity written to {0} (TEST ONLY). Signing as alice@example.com, decrypting as bob@example.com.', name)
    : vscode.l10n.t('Test identity written to {0} (TEST ONLY); your smime.* settings are unchanged.', name);
  void vscode.window.showInformationMessage(written, open).then((p) => p === open && vscode.commands.executeCommand('vscode.openWith', sample, MESSAGE_EDITOR_VIEW_TYPE));
  return dir;
}

export function registerDemoCommand(analysis: AnalysisService): vscode.Disposable {
  return registerCommand('smime.createTestIdentity', vscode.l10n.t('Create Test Identity'), (folderName: unknown) => createTestIdentity(analysis, folderName));
}
