/**
 * What the user decided for one message file, kept in one place for every view of it: whether decryption was
 * asked for (the views then analyse with the configured key) and whether remote content was allowed. A decision
 * lives while some view of the file is open and is forgotten with the last one, so reopening a file starts
 * locked and blocked again.
 */
import type * as vscode from 'vscode';

interface FileState {
  decryptRequested: boolean;
  remoteAllowed: boolean;
  holders: number;
}

export class FileStates {
  private readonly states = new Map<string, FileState>();

  /** Keeps the file's decisions while the returned handle is not disposed (one per open view). */
  hold(uri: vscode.Uri): { dispose(): void } {
    const key = uri.toString();
    const state = this.states.get(key) ?? { decryptRequested: false, remoteAllowed: false, holders: 0 };
    state.holders++;
    this.states.set(key, state);
    let held = true;
    return {
      dispose: () => {
        if (!held) return;
        held = false;
        if (--state.holders <= 0 && this.states.get(key) === state) this.states.delete(key);
      },
    };
  }

  decryptRequested(uri: vscode.Uri): boolean {
    return this.states.get(uri.toString())?.decryptRequested === true;
  }

  remoteAllowed(uri: vscode.Uri): boolean {
    return this.states.get(uri.toString())?.remoteAllowed === true;
  }

  /** Only for a file some view holds: a decision about a file nobody shows would outlive its reason. */
  requestDecrypt(uri: vscode.Uri): void {
    const state = this.states.get(uri.toString());
    if (state) state.decryptRequested = true;
  }

  allowRemote(uri: vscode.Uri): void {
    const state = this.states.get(uri.toString());
    if (state) state.remoteAllowed = true;
  }
}
