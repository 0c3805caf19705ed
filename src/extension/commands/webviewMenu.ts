/**
 * The message view's context menu (package.json `webview/context`): Copy Fingerprint and Export PEM on a
 * certificate. VS Code passes the `data-vscode-context` of the element right-clicked, which names the certificate
 * by its fingerprint id only; the action runs in the editor in front, as its buttons do.
 */
import * as vscode from 'vscode';
import type { EditorRegistry } from '../editorRegistry';
import { registerCommand } from './registerCommand';

/** What the webview puts in data-vscode-context on a certificate (see src/webview/render/certificates.ts). */
function certificateIdOf(context: unknown): string | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const { webviewSection, certificateId } = context as Record<string, unknown>;
  return webviewSection === 'certificate' && typeof certificateId === 'string' ? certificateId : undefined;
}

export function registerWebviewMenuCommands(registry: EditorRegistry): vscode.Disposable {
  const t = vscode.l10n.t;
  const run = (action: 'copyFingerprint' | 'exportCertificate') => async (context: unknown) => {
    const certificateId = certificateIdOf(context);
    const editor = registry.active();
    if (certificateId && editor) await editor.run({ action, certificateId });
  };
  return vscode.Disposable.from(
    registerCommand('smime.copyCertificateFingerprint', t('Copy SHA-256 Fingerprint'), run('copyFingerprint')),
    registerCommand('smime.exportCertificatePem', t('Export Certificate as PEM'), run('exportCertificate')),
  );
}
