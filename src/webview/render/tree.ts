/**
 * The MIME tree (ARIA tree pattern): every part with its type, name, size and a coverage mark saying whether a
 * signature covers it. Arrow keys move, Enter selects; selecting scrolls the part's body or attachment into view.
 */
import type { PartView } from '../../shared/protocol';
import { el, icon } from '../dom';
import type { RenderCtx } from './context';

const KIND_ICON: Record<PartView['kind'], string> = {
  multipart: 'folder-opened', text: 'file-text', html: 'code', image: 'file-media', message: 'mail', smime: 'key', attachment: 'file-binary',
};

const COVERAGE_ICON: Record<PartView['coverage'], string> = {
  signed: 'verified', encrypted: 'lock', 'signed-encrypted': 'shield', 'not-covered': 'warning', unprotected: 'circle-outline',
};

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function selectPart(ctx: RenderCtx, partId: string, focus = false): void {
  ctx.state.selectedPart = partId;
  ctx.saveState();
  for (const item of Array.from(ctx.doc.querySelectorAll<HTMLElement>('[role="treeitem"]'))) {
    const selected = item.dataset.part === partId;
    item.setAttribute('aria-selected', String(selected));
    item.tabIndex = selected ? 0 : -1;
    if (selected && focus) item.focus();
  }
  const target = Array.from(ctx.doc.querySelectorAll<HTMLElement>('[data-part-content]')).find((e) => e.dataset.partContent === partId);
  target?.scrollIntoView?.({ block: 'nearest' });
}

function treeItem(ctx: RenderCtx, part: PartView, level: number): HTMLElement {
  const coverage = ctx.strings.coverage[part.coverage];
  const label = el(ctx, 'span', { class: 'part-row' },
    icon(ctx, KIND_ICON[part.kind]),
    el(ctx, 'span', { class: 'part-id' }, part.id),
    el(ctx, 'span', { class: 'part-label' }, part.label),
    el(ctx, 'span', { class: 'part-size' }, formatSize(part.size)),
    el(ctx, 'span', { class: `coverage coverage-${part.coverage} tone-${part.tone}`, title: coverage }, icon(ctx, COVERAGE_ICON[part.coverage]), coverage),
    part.decrypted ? icon(ctx, 'unlock') : null,
  );
  const selected = ctx.state.selectedPart === part.id;
  const item = el(ctx, 'li', {
    role: 'treeitem',
    'data-part': part.id,
    'aria-level': String(level),
    'aria-selected': String(selected),
    'aria-label': `${part.id} ${part.label}, ${coverage}`,
    ...(part.children.length ? { 'aria-expanded': 'true' } : {}),
    tabindex: selected ? '0' : '-1',
  }, label);
  if (part.children.length) item.append(el(ctx, 'ul', { role: 'group' }, ...part.children.map((c) => treeItem(ctx, c, level + 1))));
  return item;
}

function onTreeKey(ctx: RenderCtx, e: KeyboardEvent): void {
  const items = Array.from(ctx.doc.querySelectorAll<HTMLElement>('[role="treeitem"]'));
  const current = items.indexOf(e.target as HTMLElement);
  if (current < 0) return;
  const move = (i: number) => {
    const target = items[Math.max(0, Math.min(items.length - 1, i))];
    for (const it of items) it.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  };
  if (e.key === 'ArrowDown') move(current + 1);
  else if (e.key === 'ArrowUp') move(current - 1);
  else if (e.key === 'Home') move(0);
  else if (e.key === 'End') move(items.length - 1);
  else if (e.key === 'Enter' || e.key === ' ') selectPart(ctx, items[current].dataset.part ?? '', true);
  else return;
  e.preventDefault();
}

export function renderTree(ctx: RenderCtx, root: PartView): HTMLElement {
  const tree = el(ctx, 'ul', { role: 'tree', class: 'mime-tree', 'aria-label': ctx.strings.structure }, treeItem(ctx, root, 1));
  if (!ctx.state.selectedPart) tree.querySelector<HTMLElement>('[role="treeitem"]')?.setAttribute('tabindex', '0');
  tree.addEventListener('keydown', (e) => onTreeKey(ctx, e as KeyboardEvent));
  tree.addEventListener('click', (e) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (item?.dataset.part) selectPart(ctx, item.dataset.part);
  });
  return el(ctx, 'nav', { class: 'panel tree-panel', 'aria-label': ctx.strings.structure }, el(ctx, 'h2', {}, ctx.strings.structure), tree);
}
