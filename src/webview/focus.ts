/**
 * Keeping the keyboard user's place when the view is rebuilt (an update, a setting change): the focused control
 * is identified by what it is, not by the DOM node, and focused again in the new tree. Also the one live region:
 * only the verdict is announced, and only when it changes.
 */

const FOCUSABLE = 'button, summary, a[href], [tabindex], iframe, input, select, textarea';

/** What identifies a control across renders: its id, the part/certificate/layer it belongs to, its kind and label. */
function keyOf(el: Element): string {
  if (el.id) return `#${el.id}`;
  const owner = el.closest('[data-part], [data-certificate], [data-layer], section[id], details[id]');
  const scope = owner ? `${owner.getAttribute('data-part') ?? owner.getAttribute('data-certificate') ?? owner.getAttribute('data-layer') ?? owner.id}` : '';
  return `${scope}|${el.tagName}|${el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 80)}`;
}

/** The focused control's key, when the focus is inside `root`. */
export function focusedKey(doc: Document, root: HTMLElement): string | undefined {
  const active = doc.activeElement;
  return active && active !== root && root.contains(active) ? keyOf(active) : undefined;
}

/** Focuses the control of the new tree with that key (the first, when several share it). */
export function restoreFocus(root: HTMLElement, key: string | undefined): void {
  if (!key) return;
  for (const el of Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE))) {
    if (keyOf(el) === key) {
      el.focus({ preventScroll: true });
      return;
    }
  }
}

/** The page's only live region (polite): the verdict, set only when its text changes so nothing else is re-read. */
export function verdictAnnouncer(doc: Document): (text: string) => void {
  const region = doc.createElement('div');
  region.id = 'verdict-announcer';
  region.className = 'visually-hidden';
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-atomic', 'true');
  doc.body.appendChild(region);
  let last = '';
  return (text) => {
    if (text === last) return;
    last = text;
    region.textContent = text;
  };
}
