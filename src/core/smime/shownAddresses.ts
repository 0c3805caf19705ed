/**
 * Addresses a reader would see in a display name or comment, e.g. `"ceo@bank.example" <attacker@evil.example>`:
 * the display-name spoofing class of "Johnny, you are fired!" (USENIX Security 2019). Look-alike characters must
 * not hide them, so the text is normalised first (Unicode NFKC folds full-width and small commercial at, UTS #39
 * lists them as confusables of "@"), format characters (zero-width, bidi marks) are removed and every kind of
 * space (no-break, hair, ideographic ...) counts as a space. Spaces around "@" are dropped, since a reader
 * still sees "ceo @ bank.example" as an address. Linear time: one split and one pass.
 */

/** Look-alikes of "@" (UTS #39 confusables.txt). NFKC maps both already; folding them here keeps the rule explicit. */
const AT_LOOKALIKES = /[\uFF20\uFE6B]/gu;
/** Format characters (General Category Cf): zero-width space/joiners, word joiner, BOM, bidi marks. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
/** Every separator a reader sees as a break between words, spaces of all kinds (Zs, Zl, Zp) included. */
const SEPARATORS = /[\s\p{Z}<>"(),;:[\]'`]+/u;

export function foldForDisplay(text: string): string {
  return text.normalize('NFKC').replace(FORMAT_CHARACTERS, '').replace(AT_LOOKALIKES, '@');
}

/** Every word with an "@" that `text` shows (after folding), lower-case, with surrounding dots removed. */
export function addressesShownIn(text: string): string[] {
  const words = foldForDisplay(text).split(SEPARATORS).filter(Boolean);
  // Glue "ceo", "@", "bank.example" and "ceo@", "bank.example" back together.
  // Runs are kept as word lists and joined once: growing one string and testing its end each time is quadratic.
  const runs: string[][] = [];
  let previous = '';
  for (const word of words) {
    if (runs.length > 0 && (previous.endsWith('@') || word.startsWith('@'))) runs[runs.length - 1].push(word);
    else runs.push([word]);
    previous = word;
  }
  return runs.map((r) => r.join('')).filter((r) => r.includes('@')).map((r) => trimDots(r.toLowerCase()));
}

function trimDots(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && word[start] === '.') start++;
  while (end > start && word[end - 1] === '.') end--;
  return word.slice(start, end);
}
