/**
 * Message-supplied names and HTML with 1 MB runs of one character: the file-name cleaner and the CSS url()
 * rewriting (both fed by message bytes) finish within a second, with the result they give on short input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeFileName as sanitizeFileName } from '../../../src/core/mail';
import { sanitizeHtml } from '../../../src/extension/view/htmlSanitizer';

const MB = 1_000_000;
const BOUND_MS = 1000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

test('file names of 1 MB of dots or spaces with one letter inside: cleaned within the bound', () => {
  for (const ch of ['.', ' ']) {
    const { value, ms } = timed(() => sanitizeFileName(`${ch.repeat(MB)}a${ch.repeat(MB)}b`, 'x'));
    assert.ok(ms < BOUND_MS, `${JSON.stringify(ch)} took ${ms.toFixed(0)} ms`);
    assert.equal(value[0], 'a');
  }
  const { value, ms } = timed(() => sanitizeFileName(`${'\t'.repeat(MB)}a`, 'x'));
  assert.ok(ms < BOUND_MS, `tabs took ${ms.toFixed(0)} ms`);
  assert.match(value, /^_+$/, 'control characters become "_" and the name is cut to its maximum');
});

test('CSS with url( followed by 1 MB of spaces, or 1 MB of "url(" without a closing parenthesis, in <style> or style="": within the bound', () => {
  const options = { resolveCid: () => undefined, allowRemote: false, styleNonce: 'N' };
  for (const css of [`a{background:url(${' '.repeat(MB)}x`, `a{background:${'url('.repeat(MB / 4)}}`, `a{background:url(${' '.repeat(MB)}https://e/a.png${' '.repeat(MB)})}`]) {
    for (const html of [`<style>${css}</style><p>x</p>`, `<p style="${css.replace(/[{}]/g, '')}">x</p>`]) {
      const { value, ms } = timed(() => sanitizeHtml(html, options));
      assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
      assert.ok(!value.document.includes('https://e/a.png'), 'a remote URL survived');
    }
  }
});
