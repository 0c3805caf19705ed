/**
 * Builds the message editor's view model from an analysis: pure (no `vscode`), so it is unit-tested on messages
 * made with openssl. The host sends the result to the webview as is; nothing in it is key material.
 */
import { innermostContent, messageTree } from '../core/mail';
import type { AnalysisResult } from '../core/smime/analyze';
import { isEncrypted } from '../core/smime/layers';
import type { DecryptState, MessageView } from '../shared/protocol';
import { bodiesAndAttachments, headerViews } from './view/bodyView';
import { certificateIndex, certificateViews } from './view/certificateView';
import { layerViews, summaryView } from './view/summaryView';
import { treeView } from './view/treeView';
import { formatMessage, type Translate } from './view/translate';

export { formatMessage, type Translate } from './view/translate';

export interface ViewModelOptions {
  fileName: string;
  t?: Translate;
  /** Nonce of the webview's style-src, written into the HTML frames' style blocks. */
  styleNonce: string;
  allowRemote?: boolean;
  trustedWorkspace?: boolean;
  /** A decryption was tried and failed (wrong key, no key configured). */
  decryptFailed?: boolean;
  /** Problems loading trust anchors, CRLs or keys, shown with the parse warnings. */
  problems?: string[];
}

function decryptState(result: AnalysisResult, failed: boolean): DecryptState {
  const encrypted = result.report.layers.filter(isEncrypted);
  if (!encrypted.length) return 'none';
  if (encrypted.every((l) => l.decrypted)) return 'decrypted';
  return failed ? 'failed' : 'locked';
}

export function buildViewModel(result: AnalysisResult, options: ViewModelOptions): MessageView {
  const t = options.t ?? formatMessage;
  const { report } = result;
  const tree = messageTree(result.message, result.inner);
  const layers = layerViews(report, t);
  const root = treeView(tree, report);
  const encrypted = report.layers.some(isEncrypted);
  const { bodies, attachments } = bodiesAndAttachments(tree, root, {
    t,
    styleNonce: options.styleNonce,
    allowRemote: options.allowRemote === true,
    encrypted,
  });
  const content = innermostContent(tree);
  const hasInnerHeaders = content !== result.message.root && content.headers.some((h) => !h.key.startsWith('content-'));
  return {
    fileName: options.fileName,
    subject: report.message.subject ?? '',
    summary: summaryView(report, t),
    layers,
    tree: root,
    headers: headerViews(result.message.root.headers),
    ...(hasInnerHeaders ? { innerHeaders: headerViews(content.headers) } : {}),
    bodies,
    attachments,
    certificates: certificateViews(certificateIndex(report, result.certificates), t),
    decryptState: decryptState(result, options.decryptFailed === true),
    warnings: [...(options.problems ?? []), ...report.warnings.map((w) => `${w.path}: ${w.message}`)],
    trustedWorkspace: options.trustedWorkspace !== false,
  };
}
