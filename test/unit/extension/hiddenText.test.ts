/**
 * Hidden text in HTML parts: each hiding technique of the signed-content spoofing studies (display:none, the
 * hidden attribute, visibility, opacity, font size 0, white on white, transparent ink, zero-size clipping,
 * off-screen), through inline styles, style sheets and presentational attributes, also after the sanitizer's
 * rewrite; unknown selectors make the count incomplete instead of zero; linear on 1 MB inputs. A second layer
 * compares every text node with the styles happy-dom computes for the same document.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyText, findHiddenText } from '../../../src/extension/view/hiddenText';
import { sanitizeHtml } from '../../../src/extension/view/htmlSanitizer';

const hidden = (html: string) => findHiddenText(html);
const sanitized = (html: string) => sanitizeHtml(html, { resolveCid: () => undefined, allowRemote: false, styleNonce: 'N' }).document;

/** The hidden texts of `html`, trimmed. */
function hiddenTexts(html: string): string[] {
  return classifyText(html).runs.filter((r) => r.hiddenBy).map((r) => r.text.trim());
}

describe('hidden text: each technique', () => {
  test('visible text only: nothing hidden, and the count is complete', () => {
    const r = hidden('<p>Pay 100 EUR</p><div style="color:#333;background:#fff">to account 1234</div>');
    assert.deepEqual(r, { passages: 0, characters: 0, kinds: [], complete: true });
  });

  test('display:none and the hidden attribute, with everything inside', () => {
    const r = hidden('<p>Pay 100 EUR</p><div style="display: none">Pay <b>900 EUR</b></div><p hidden>secret</p>');
    assert.deepEqual(r.kinds, ['display']);
    assert.equal(r.passages, 1, 'the two hidden blocks follow each other without visible text between them');
    assert.equal(r.characters, 'Pay900EURsecret'.length);
    assert.deepEqual(hiddenTexts('<p hidden style="display:block">shown</p>'), [], 'an author display overrides [hidden]');
  });

  test('visibility:hidden hides, but a child can make itself visible again', () => {
    assert.deepEqual(hiddenTexts('<div style="visibility:hidden">gone <span style="visibility:visible">back</span></div>'), ['gone']);
  });

  test('opacity multiplies down the tree', () => {
    assert.deepEqual(hiddenTexts('<div style="opacity:0.3">faint <span style="opacity:0.2">gone</span></div><p style="opacity:0">zero</p>'), ['gone', 'zero']);
  });

  test('font size 0, in the font shorthand, and relative sizes of a tiny parent', () => {
    const texts = hiddenTexts('<span style="font-size:0">a</span><span style="font:0/0 a">b</span><div style="font-size:1px"><i style="font-size:150%">c</i><i style="font-size:12px">d</i></div><p style="font-size:8pt">e</p>');
    assert.deepEqual(texts, ['a', 'b', 'c']);
  });

  test('white on white, black on black, and ink the colour of a bgcolor cell', () => {
    const html = [
      '<font color="#ffffff">w1</font>', '<span style="color:#FEFEFE">w2</span>', '<span style="color:rgb(255 255 255)">w3</span>',
      '<span style="color:hsl(0, 0%, 100%)">w4</span>', '<div style="background:#000 no-repeat"><span style="color:black">b1</span></div>',
      '<table bgcolor="#123456"><tr><td><font color="#123456">t1</font></td></tr></table>', '<span style="color:#777">seen</span>',
    ].join('');
    const r = findHiddenText(html);
    assert.deepEqual(hiddenTexts(html), ['w1', 'w2', 'w3', 'w4', 'b1', 't1']);
    assert.deepEqual(r.kinds, ['same-colour']);
  });

  test('transparent ink, and a background image makes the colour check unknowable rather than hidden', () => {
    assert.deepEqual(hiddenTexts('<span style="color:transparent">t</span><span style="color:rgba(0,0,0,0)">u</span>'), ['t', 'u']);
    assert.deepEqual(hiddenTexts('<div style="background:#fff url(data:image/png;base64,AA)"><span style="color:#fff">on image</span></div>'), []);
  });

  test('clipped to nothing, scaled to nothing, and pushed off-screen', () => {
    const texts = hiddenTexts([
      '<div style="height:0;overflow:hidden">c1</div>', '<div style="max-height:0px;overflow:hidden">c2</div>', '<div style="height:0">not clipped</div>',
      '<div style="transform:scale(0)">c3</div>', '<div style="position:absolute;left:-9999px">o1</div>', '<div style="text-indent:-5000px">o2</div>',
      '<div style="position:absolute;clip:rect(0 0 0 0)">c4</div>',
    ].join(''));
    assert.deepEqual(texts, ['c1', 'c2', 'c3', 'o1', 'o2', 'c4']);
  });
});

describe('hidden text: style sheets and the HTML tree', () => {
  test('rules by class, id, attribute, descendant and child; specificity, order and !important decide', () => {
    const css = '<style>.x{display:none} div.y{display:none} div.y.z{display:block} #i{color:#fff} [data-k="v"] b{font-size:0} ul > li{opacity:0} p{color:#fff!important} p{color:#000}</style>';
    const body = '<span class="x">x</span><div class="y">y</div><div class="y z">yz</div><span id="i">i</span><div data-k="v"><i><b>b</b></i></div><ul><li>li</li></ul><p>p</p><p style="color:#000">p2</p>';
    assert.deepEqual(hiddenTexts(css + body), ['x', 'y', 'i', 'b', 'li', 'p', 'p2']);
  });

  test('print-only media and states the message is not in (:hover) do not apply; comments are skipped', () => {
    const css = '<style>/* .a{display:none} */ @media print { .a{display:none} } .a:hover{display:none} @media screen { .b{display:none} }</style>';
    assert.deepEqual(hiddenTexts(`${css}<p class="a">a</p><p class="b">b</p>`), ['b']);
  });

  test('a selector it cannot evaluate that could hide text makes the result incomplete, not zero', () => {
    const r = hidden('<style>p:empty{display:none}</style><div><p>maybe hidden</p></div>');
    assert.equal(r.complete, false);
    assert.equal(hidden('<style>p:empty{margin:0}</style><p>x</p>').complete, true, 'a rule that cannot hide anything does not matter');
  });

  test('a rule about body in a document whose body a browser builds differently is not judged', () => {
    // Without a body element a browser puts the paragraph in an implied body, and the rule hides it.
    const bodyless = sanitized('<style>body > p{display:none} body p{font-size:0}</style><p>Pay 900 EUR</p>');
    assert.equal(findHiddenText(bodyless).complete, false);
    assert.equal(hidden('<style>html > p{color:#fff}</style><p>x</p>').complete, false, 'html children differ without a body');
    const withBody = sanitized('<html><head><style>body > p{display:none}</style></head><body><p>Pay 900 EUR</p></body></html>');
    assert.deepEqual(findHiddenText(withBody), { passages: 1, characters: 'Pay900EUR'.length, kinds: ['display'], complete: true });
  });

  test('runs: hidden text between visible text counts once per run', () => {
    const r = hidden('a<span style="display:none">b</span><span style="display:none">c</span>d<i style="font-size:0">e</i>');
    assert.equal(r.passages, 2);
    assert.equal(r.characters, 3);
  });

  test('implied end tags: a new p closes a hidden one, li closes li', () => {
    assert.deepEqual(hiddenTexts('<p style="display:none">hidden<p>visible'), ['hidden']);
    assert.deepEqual(hiddenTexts('<ul><li style="display:none">one<li>two</ul>'), ['one']);
  });

  test('head, title, script and style text is not message text; textarea text is', () => {
    assert.deepEqual(classifyText('<head><title>t</title><style>p{}</style></head><script>s</script><textarea>ta</textarea>').runs.map((r) => r.text), ['ta']);
  });

  test('after the sanitizer: style attributes become nonce rules and still count', () => {
    const doc = sanitized('<p>Pay 100 EUR</p><p style="display:none">Pay 900 EUR</p><style>.w{color:#fff}</style><span class="w">white</span><font color="white">font</font>');
    assert.match(doc, /data-smime-style/);
    const r = findHiddenText(doc);
    assert.equal(r.characters, 'Pay900EURwhitefont'.length);
    assert.deepEqual(r.kinds.sort(), ['display', 'same-colour']);
    assert.equal(r.complete, true);
  });

  test('1 MB of one character, of "<", of nested tags and of rules runs in linear time', () => {
    const mb = 1024 * 1024;
    const inputs = ['a'.repeat(mb), '<'.repeat(mb), '<b>'.repeat(mb / 3), '</b>'.repeat(mb / 4), `<style>${'.a b{color:#fff}'.repeat(mb / 16)}</style><b>x</b>`,
      `<style>${'{'.repeat(mb)}</style>`, `<style>.a{color:${' '.repeat(mb)}}</style><p class="a">x</p>`, `<p style="${'a'.repeat(mb)}">x</p>`,
      `<style>${'a '.repeat(mb / 2)}{display:none}</style><a>x</a>`, '<div class="a b c d">'.repeat(mb / 20)];
    for (const input of inputs) {
      const started = performance.now();
      findHiddenText(input);
      const ms = performance.now() - started;
      assert.ok(ms < 2000, `${JSON.stringify(input.slice(0, 30))}: ${ms.toFixed(0)} ms`);
    }
  });

  test('random fragments of HTML and CSS never throw and always give counts', () => {
    const pieces = ['<', '>', '</', '<p', '<style>', '</style>', '<div class="a b">', '</div>', ' style="', '"', "'", '=', 'display:none', ';', '{', '}',
      '.a', '#b', '[x="y"]', ' > ', ':hover', '@media print{', '/*', '*/', 'color:#fff', 'font:0/0 a', 'rgb(1 2', 'hsl(', '&#', '&amp;', 'text', '<!--', '-->', '<!x', '<?', '\u0130', 'opacity:.0'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 3000; i++) {
      const html = Array.from({ length: 1 + Math.floor(next() * 40) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const r = findHiddenText(html);
      assert.ok(Number.isInteger(r.passages) && Number.isInteger(r.characters) && r.characters >= r.passages, html);
    }
  });

  test('deep nesting and an exhausted matching budget are reported as incomplete', () => {
    assert.equal(hidden('<div>'.repeat(1000) + 'x').complete, false);
    const manyRules = `<style>${'p span{color:#fff}'.repeat(20_000)}</style>${'<div>'.repeat(200)}<span>x</span>`;
    assert.equal(hidden(manyRules).complete, false);
  });
});
