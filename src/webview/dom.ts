/**
 * A tiny DOM builder. Message data only ever goes in through textContent and attribute values; there is no
 * innerHTML anywhere in the webview.
 */
export type Child = Node | string | null | undefined | false;

export interface Ctx {
  doc: Document;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  ctx: Ctx,
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = ctx.doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? ctx.doc.createTextNode(c) : c);
  }
  return node;
}

/** A codicon (decorative: the text next to it carries the meaning). */
export function icon(ctx: Ctx, name: string): HTMLElement {
  return el(ctx, 'span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export function button(ctx: Ctx, label: string, onClick: () => void, iconName?: string, extra: Record<string, string> = {}): HTMLButtonElement {
  const b = el(ctx, 'button', { type: 'button', ...extra }, iconName ? icon(ctx, iconName) : null, label);
  b.addEventListener('click', onClick);
  return b;
}

export function section(ctx: Ctx, id: string, title: string, ...children: Child[]): HTMLElement {
  const headingId = `${id}-heading`;
  return el(ctx, 'section', { id, class: 'panel', 'aria-labelledby': headingId }, el(ctx, 'h2', { id: headingId }, title), ...children);
}
