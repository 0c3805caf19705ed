/**
 * The MIME tree as the user sees it, each part marked with what protects it. What protects a part is decided in
 * core/mail (partProtection, RFC 8551 §3.5): this file only turns it into the webview's words and colours.
 */
import { childrenOf, partKind, partProtection, worstStatus, type MessageTree, type MimeEntity, type SecurityReport } from '../../core';
import type { PartView, Tone } from '../../shared/protocol';
import { statusTone } from './summaryView';

/** The colour of a part's mark: the worst covering signature, warn for a part outside every signature. */
function partTone(report: Pick<SecurityReport, 'layers'>, path: string): { tone: Tone } & ReturnType<typeof partProtection> {
  const protection = partProtection(report, path);
  if (protection.signatures.length) {
    return { ...protection, tone: statusTone(worstStatus(protection.signatures.map((s) => s.status))) };
  }
  return { ...protection, tone: protection.coverage === 'not-covered' ? 'warn' : 'neutral' };
}

function partView(tree: MessageTree, entity: MimeEntity, report: Pick<SecurityReport, 'layers'>): PartView {
  const { coverage, tone, decrypted } = partTone(report, entity.path);
  const type = entity.contentType.mimeType;
  return {
    id: entity.path,
    mimeType: type,
    kind: partKind(entity),
    label: entity.filename ? `${type} (${entity.filename})` : type,
    ...(entity.filename ? { filename: entity.filename } : {}),
    size: Math.max(0, entity.end - entity.bodyStart),
    coverage,
    tone,
    decrypted,
    children: childrenOf(tree, entity).map((c) => partView(tree, c, report)),
  };
}

export function treeView(tree: MessageTree, report: Pick<SecurityReport, 'layers'>): PartView {
  return partView(tree, tree.message.root, report);
}

/** Every part view, depth first (for lookups by id). */
export function flattenParts(root: PartView): PartView[] {
  return [root, ...root.children.flatMap(flattenParts)];
}
