/**
 * Builds the message editor's view model from an analysis: pure (no `vscode`), so it is unit-tested on messages
 * made with openssl. The host sends the result to the webview as is; nothing in it is key material.
 */
import { innermostContent, messageTree, isEncrypted, type AnalysisResult } from '../core';
import type { DecryptState, HeaderView, MessageView, SummaryView } from '../shared/protocol';
import { bodiesAndAttachments, headerViews } from './view/bodyView';
import { certificateViews } from './view/certificateView';
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
  /** Names of the key files a configured identity needs the passphrase of (the message is not decrypted yet). */
  lockedKeys?: string[];
}

function decryptState(result: AnalysisResult, failed: boolean, keyLocked: boolean): DecryptState {
  const encrypted = result.report.layers.filter(isEncrypted);
  if (!encrypted.length) return 'none';
  if (encrypted.every((l) => l.decrypted)) return 'decrypted';
  if (keyLocked) return 'keyLocked';
  return failed ? 'failed' : 'locked';
}

/**
 * A signer that does not match the sender (a possible spoof): the From rows are flagged with the address that
 * actually signed beside them, so the reader compares the two where the false one is shown.
 */
function flagSpoofedFrom(headers: HeaderView[], report: AnalysisResult['report'], t: Translate): HeaderView[] {
  const signers = report.layers.flatMap((l) => (l.kind === 'signed' && l.coversMessage ? l.signers : []));
  const addresses = [...new Set(signers.map((s) => s.email).filter((e): e is string => Boolean(e)))];
  const note = addresses.length ? t('signed by {0}', addresses.join(', ')) : t('the signer\'s certificate names no address');
  return headers.map((h) => (h.name.toLowerCase() === 'from' || h.name.toLowerCase() === 'sender' ? { ...h, flag: { tone: 'error', note } } : h));
}

/** The headline of a message whose key is configured but locked: say so, and what unlocks it. */
function keyLockedSummary(summary: SummaryView, lockedKeys: string[], t: Translate): SummaryView {
  if (summary.verdict !== 'locked') return summary;
  return {
    ...summary,
    title: t('Key locked: enter passphrase'),
    detail: t('The message is decrypted once the passphrase of {0} is entered.', lockedKeys.join(', ')),
  };
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
  const notMime = report.messageReasons.some((r) => r.code === 'not-mime');
  const state = decryptState(result, options.decryptFailed === true, (options.lockedKeys ?? []).length > 0);
  const summary = summaryView(report, t);
  const hasInnerHeaders = content !== result.message.root && content.headers.some((h) => !h.key.startsWith('content-'));
  return {
    fileName: options.fileName,
    subject: report.message.subject ?? '',
    summary: state === 'keyLocked' ? keyLockedSummary(summary, options.lockedKeys ?? [], t) : summary,
    layers,
    tree: root,
    headers: summary.verdict === 'mismatch' ? flagSpoofedFrom(headerViews(result.message.root.headers), report, t) : headerViews(result.message.root.headers),
    ...(hasInnerHeaders ? { innerHeaders: headerViews(content.headers) } : {}),
    // A file that is not a message has no body worth showing: its bytes would be hundreds of KB of noise.
    bodies: notMime ? [] : bodies,
    attachments: notMime ? [] : attachments,
    certificates: certificateViews(report, t),
    decryptState: state,
    warnings: [...(options.problems ?? []), ...report.warnings.map((w) => `${w.path}: ${w.message}`)],
    trustedWorkspace: options.trustedWorkspace !== false,
  };
}
