/**
 * Create Test Identity: writes the throw-away demo PKI (root CA, users, PKCS#12 files, sample messages) into a
 * folder of the workspace and points the workspace settings at it: sign as alice, decrypt as bob, trust the demo
 * root, recipients from its recipients/ folder. The demo passphrase is stored in SecretStorage, not in settings.
 */
import * as vscode from 'vscode';
import { demoFiles } from '../../core/pki/demoFiles';
import { DEMO_PASSPHRASE, createDemoPki } from '../../core/pki/demoPki';
import type { AnalysisService } from '../analysisService';
import { MESSAGE_EDITOR_VIEW_TYPE } from '../entry/contributions';
import { confirm } from '../prompts';
import { requireTrustedWorkspace } from '../trustActions';
import { Cancelled, UserError } from '../userError';
import { registerCommand } from './registerCommand';

async function isEmpty(dir: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.readDirectory(dir)).length === 0;
  } catch {
    return true;
  }
}

const FOLDER_NAME = /^[\w.-]+(\/[\w.-]+)*$/;

/** The folder to write into: `given` (a relative name, from a caller) or asked for. */
async function chooseFolder(root: vscode.Uri, given: unknown): Promise<{ dir: vscode.Uri; name: string }> {
  const name = typeof given === 'string' && FOLDER_NAME.test(given) && !given.split('/').includes('..') ? given : await vscode.window.showInputBox({
    title: vscode.l10n.t('Create Test Identity'),
    prompt: vscode.l10n.t('Folder (inside the workspace) for the TEST-ONLY keys, certificates and sample messages'),
    value: 'smime-demo',
    validateInput: (v) => (FOLDER_NAME.test(v) && !v.split('/').includes('..') ? undefined : vscode.l10n.t('A relative folder name')),
  });
  if (!name) throw new Cancelled();
  const dir = vscode.Uri.joinPath(root, ...name.split('/'));
  if (!(await isEmpty(dir))) {
    if (!(await confirm(vscode.l10n.t('{0} is not empty. Overwrite files of the same name?', name), vscode.l10n.t('Overwrite')))) throw new Cancelled();
  }
  return { dir, name };
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
  const config = vscode.workspace.getConfiguration('smime');
  const target = vscode.ConfigurationTarget.Workspace;
  await config.update('signing.p12', `${base}/alice.p12`, target);
  await config.update('decrypt.p12', `${base}/bob.p12`, target);
  await config.update('trust.anchors', [`${base}/ca.pem`], target);
  await config.update('recipients.folder', `${base}/recipients`, target);
  for (const user of ['alice', 'bob']) await analysis.keys.store(vscode.Uri.joinPath(dir, `${user}.p12`).fsPath, DEMO_PASSPHRASE);
  analysis.invalidate('settings');
  const sample = vscode.Uri.joinPath(dir, 'messages', 'signed-detached.eml');
  const open = vscode.l10n.t('Open Sample Message');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('Test identity written to {0} (TEST ONLY). Signing as alice@example.com, decrypting as bob@example.com.', name), open)
    .then((p) => p === open && vscode.commands.executeCommand('vscode.openWith', sample, MESSAGE_EDITOR_VIEW_TYPE));
  return dir;
}

export function registerDemoCommand(analysis: AnalysisService): vscode.Disposable {
  return registerCommand('smime.createTestIdentity', vscode.l10n.t('Create Test Identity'), (folderName: unknown) => createTestIdentity(analysis, folderName));
}
