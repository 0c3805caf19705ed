/**
 * Passphrases of key files, kept in VS Code's SecretStorage (the OS keychain where there is one), keyed by the
 * absolute path of the PKCS#12 or key file. They are asked for with a password input box, remembered, and never
 * logged, written to settings, or sent to the webview.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { KeyError, parseIdentity, type Identity } from '../core';
import { hasKey, passphraseFile, type KeySource } from './settings';
import { Cancelled, UserError } from './userError';
import { pathUri } from './workspaceFiles';

/** Wrong passphrases accepted in a row before the prompt gives up. */
const MAX_PASSPHRASE_ATTEMPTS = 3;

const SECRET_PREFIX = 'smime.passphrase:';

function needsPassphrase(e: unknown): e is KeyError {
  return e instanceof KeyError && (e.code === 'passphrase-required' || e.code === 'bad-passphrase');
}

async function readKeyFile(path: string | undefined, what: string, setting: string): Promise<Buffer | undefined> {
  if (!path) return undefined;
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(pathUri(path)));
  } catch {
    throw new UserError(vscode.l10n.t('The {0} file {1} cannot be read.', what, path), ['openSettings', 'chooseFile'], setting);
  }
}

export class KeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(file: string): Thenable<string | undefined> {
    return this.secrets.get(SECRET_PREFIX + file);
  }

  store(file: string, passphrase: string): Thenable<void> {
    return this.secrets.store(SECRET_PREFIX + file, passphrase);
  }

  forget(file: string): Thenable<void> {
    return this.secrets.delete(SECRET_PREFIX + file);
  }

  /**
   * The identity of a configured key. Tries the remembered passphrase (or none), then, when `interactive`, asks.
   * `setting` is "smime.decrypt" or "smime.signing", for the error's "Open Settings" button.
   */
  async loadIdentity(source: KeySource, setting: string, interactive: boolean): Promise<Identity> {
    if (!hasKey(source)) {
      throw new UserError(vscode.l10n.t('No key is configured: set {0}.p12, or {0}.key and {0}.cert.', setting), ['openSettings', 'chooseFile'], setting);
    }
    const file = passphraseFile(source) as string;
    const bytes = {
      p12: await readKeyFile(source.p12, 'PKCS#12', setting),
      key: await readKeyFile(source.key, vscode.l10n.t('key'), setting),
      cert: await readKeyFile(source.cert, vscode.l10n.t('certificate'), setting),
    };
    const attempt = (passphrase: string | undefined) => parseIdentity({ ...bytes, passphrase });
    const remembered = await this.get(file);
    try {
      return attempt(remembered);
    } catch (e) {
      if (!needsPassphrase(e)) throw asUserError(e, setting);
      if (!interactive) throw new UserError(vscode.l10n.t('The key {0} needs its passphrase.', basename(file)), ['enterPassphrase'], setting, file);
    }
    return this.ask(file, attempt, remembered !== undefined, setting);
  }

  private async ask(file: string, attempt: (p: string) => Identity, hadWrong: boolean, setting: string): Promise<Identity> {
    let wrong = hadWrong;
    for (let i = 0; i < MAX_PASSPHRASE_ATTEMPTS; i++) {
      const passphrase = await vscode.window.showInputBox({
        title: vscode.l10n.t('S/MIME key passphrase'),
        prompt: wrong ? vscode.l10n.t('Wrong passphrase for {0}; try again.', basename(file)) : vscode.l10n.t('Passphrase for {0}', basename(file)),
        password: true,
        ignoreFocusOut: true,
      });
      if (passphrase === undefined) throw new Cancelled();
      try {
        const identity = attempt(passphrase);
        await this.store(file, passphrase);
        return identity;
      } catch (e) {
        if (!needsPassphrase(e)) throw asUserError(e, setting);
        wrong = true;
      }
    }
    throw new UserError(vscode.l10n.t('Wrong passphrase for {0}.', basename(file)), ['enterPassphrase'], setting, file);
  }
}

function asUserError(e: unknown, setting: string): unknown {
  if (e instanceof KeyError) return new UserError(vscode.l10n.t('The configured key cannot be used: {0}', e.message), ['openSettings', 'chooseFile'], setting);
  return e;
}
