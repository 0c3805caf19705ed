/**
 * The strict From/Sender reader: what it accepts, why it refuses the rest, that it stays linear on 1 MB of one
 * repeated character, and that it is provably stricter than postal-mime's addressParser (an independent RFC 5322
 * parser): whenever ours accepts a field, postal-mime reads the same addresses from it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { addressParser } from 'postal-mime';
import { fieldText } from '../../../src/core/mime/headers';
import { parseMessage } from '../../../src/core/mime/parser';
import { forbiddenCharacter, isStrictAddrSpec, MAX_ADDRESS_FIELD_LENGTH, parseMailboxList } from '../../../src/core/smime/mailboxList';
import { addressesShownIn } from '../../../src/core/smime/shownAddresses';

const corpus = process.env.SMIME_CORPUS ?? join(process.cwd(), '../shared/corpus');

const addresses = (text: string) => parseMailboxList(text).mailboxes.map((m) => m.address);
const problems = (text: string) => parseMailboxList(text).problems;

describe('accepted forms', () => {
  const cases: [string, string[]][] = [
    ['alice@example.com', ['alice@example.com']],
    ['Alice <Alice@Example.COM>', ['alice@example.com']],
    ['"Alice Q. Example" <alice@example.com>', ['alice@example.com']],
    ['Alice Q. Example <alice@example.com>', ['alice@example.com']],
    ['alice@example.com (Alice)', ['alice@example.com']],
    ['Alice <alice@example.com> (work)', ['alice@example.com']],
    ['=?utf-8?q?Al=C3=AFce?= <alice@example.com>', ['alice@example.com']],
    ['Alice <alice@example.com>, bob@example.com', ['alice@example.com', 'bob@example.com']],
    ['<first.last+tag@sub.example.org>', ['first.last+tag@sub.example.org']],
    ['"Smith, John" <john@example.com>', ['john@example.com']],
  ];
  for (const [text, expected] of cases) {
    test(text, () => {
      assert.deepEqual(problems(text), []);
      assert.deepEqual(addresses(text), expected);
    });
  }

  test('display names and comments are decoded, the raw form is kept', () => {
    const [m] = parseMailboxList('=?utf-8?b?Q0VPIDxjZW9AYmFuay5leGFtcGxlPg==?= <a@evil.example> (=?utf-8?q?hi?=)').mailboxes;
    assert.equal(m.displayName, 'CEO <ceo@bank.example>');
    assert.equal(m.rawName, '=?utf-8?b?Q0VPIDxjZW9AYmFuay5leGFtcGxlPg==?=');
    assert.deepEqual(m.comments, ['hi']);
  });
});

describe('refused forms: a field that is not read completely proves nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['only spaces', '   ', /empty/],
    ['display name only', 'Alice Example', /display name without an address/],
    ['empty group', 'Undisclosed:;', /group/],
    ['group with members', 'Team: alice@example.com, bob@example.com;', /group/],
    ['route', '<@relay.example:alice@example.com>', /group|route/],
    ['text after the angle address', 'Alice <alice@example.com> trailing', /text after the angle address/],
    ['second address after the angle address', '<alice@example.com> mallory@evil.example', /text after the angle address/],
    ['two angle addresses', 'A <alice@example.com> <mallory@evil.example>', /more than one angle address/],
    ['unclosed angle', 'Alice <alice@example.com', /angle/],
    ['unclosed quote', '"Alice <alice@example.com>', /quoted string is not closed/],
    ['unclosed comment', 'alice@example.com (Alice', /comment is not closed/],
    ['stray parenthesis', 'alice@example.com)', /stray/],
    ['empty list entry', 'alice@example.com,,bob@example.com', /empty entry/],
    ['trailing comma', 'alice@example.com,', /empty entry/],
    ['quoted local part', '"alice"@example.com', /quoted local part/],
    ['domain literal', 'alice@[192.0.2.1]', /domain literal/],
    ['space inside the address', 'alice @example.com', /space or comment inside/],
    ['comment inside the address', 'alice(x)@example.com', /space or comment inside/],
    ['two @', 'alice@bob@example.com', /not an address/],
    ['NUL', 'alice@example.com\u0000.evil.example', /control character U\+0000/],
    ['escape', 'Alice\u001b[8m <alice@example.com>', /control character U\+001B/],
    ['DEL', 'alice@example.com\u007f', /control character U\+007F/],
    ['C1 control', 'Alice\u0085 <alice@example.com>', /control character U\+0085/],
    ['right-to-left override', '"\u202emoc.knab@oec" <alice@example.com>', /bidi control U\+202E/],
    ['encoded word decoding to NUL', '=?utf-8?q?Alice=00?= <alice@example.com>', /control character U\+0000/],
    ['encoded word in an unknown charset', '=?x-unknown-7?b?Y2VvQGJhbmsuZXhhbXBsZQ==?= <mallory@evil.example>', /unknown charset "x-unknown-7"/],
    ['full-width at in the address', 'alice\uff20example.com', /display name without an address/],
    ['non-ASCII address', 'аlice@example.com', /not an address/],
  ];
  for (const [name, text, why] of cases) {
    test(name, () => {
      const result = parseMailboxList(text);
      assert.ok(result.problems.some((p) => why.test(p)), `${JSON.stringify(text)}: ${JSON.stringify(result.problems)}`);
    });
  }

  test('certificate addresses: plain ASCII addr-specs only', () => {
    assert.ok(isStrictAddrSpec('alice@example.com'));
    assert.ok(!isStrictAddrSpec('alice@example.com\u0000.evil.example'));
    assert.ok(!isStrictAddrSpec('example.com'));
    assert.ok(!isStrictAddrSpec('alice@-example.com'));
    assert.ok(!isStrictAddrSpec('al..ice@example.com'));
    assert.equal(forbiddenCharacter('alice@example.com'), undefined);
  });
});

describe('addresses shown in a display name survive look-alikes', () => {
  const cases: [string, string][] = [
    ['plain', 'ceo@bank.example'],
    ['full-width commercial at', 'ceo\uff20bank.example'],
    ['small commercial at', 'ceo\ufe6bbank.example'],
    ['no-break spaces around @', 'ceo\u00a0@\u00a0bank.example'],
    ['hair spaces', 'ceo\u200a@\u200abank.example'],
    ['ideographic space', 'ceo\u3000@ bank.example'],
    ['zero-width space inside', 'ceo@ba\u200bnk.example'],
    ['zero-width joiner and BOM', 'c\u200deo@bank\ufeff.example'],
    ['left-to-right mark', 'ceo\u200e@bank.example'],
    ['full-width letters', '\uff43\uff45\uff4f@bank.example'],
    ['in angle brackets inside the name', 'CEO <ceo@bank.example>'],
    ['followed by a sentence dot', 'write to ceo@bank.example.'],
  ];
  for (const [name, text] of cases) {
    test(name, () => assert.deepEqual(addressesShownIn(text), ['ceo@bank.example']));
  }
  test('a name without "@" shows no address', () => assert.deepEqual(addressesShownIn('Alice Example (Bank)'), []));
});

describe('linear time on 1 MB of one repeated character', () => {
  const MB = 1 << 20;
  // Every character class the tokenizer and the display-name scanner treat differently.
  const chars = ['a', ' ', '\t', '"', '(', ')', '<', '>', '@', ',', ';', ':', '.', '\\', '[', '=', '?', '\u00a0', '\u200b', '\uff20', 'é', '\u0000'];
  const forms = (body: string) => [body, `Name <${body}>`, `"${body}" <a@b.example>`, `(${body}) a@b.example`];

  test('a field over the limit is refused unread', () => {
    const result = parseMailboxList('a'.repeat(MB));
    assert.deepEqual(result.problems, [`the field is longer than ${MAX_ADDRESS_FIELD_LENGTH} characters`]);
  });

  for (const ch of chars) {
    test(`U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}: 1 MB, and fields just under the limit`, () => {
      const t0 = performance.now();
      for (const text of forms(ch.repeat(MB))) parseMailboxList(text);
      addressesShownIn(ch.repeat(MB));
      const big = performance.now() - t0;
      assert.ok(big < 1000, `1 MB: ${big.toFixed(0)} ms`);
      // Under the limit the whole parser runs: a quadratic step would take seconds at this size, linear takes ms.
      const t1 = performance.now();
      for (const text of forms(ch.repeat(MAX_ADDRESS_FIELD_LENGTH - 32))) parseMailboxList(text);
      const limit = performance.now() - t1;
      assert.ok(limit < 250, `at the limit: ${limit.toFixed(0)} ms`);
    });
  }
  test('encoded-word and address fragments repeated', () => {
    for (const unit of ['=?', '=?u?q?', '=?utf-8?q?a?= ', 'a@', '@ ', 'a@b.c, ', '"a" <b@c.d>, ']) {
      const t0 = performance.now();
      addressesShownIn(unit.repeat(Math.ceil(MB / unit.length)));
      for (const text of forms(unit.repeat(Math.floor((MAX_ADDRESS_FIELD_LENGTH - 32) / unit.length)))) parseMailboxList(text);
      const ms = performance.now() - t0;
      assert.ok(ms < 1000, `${JSON.stringify(unit)}: ${ms.toFixed(0)} ms`);
    }
  });
});

/** postal-mime's reading of a field, flattened to addresses; null when it sees a group or an entry without one. */
function postalAddresses(text: string): string[] | null {
  const out: string[] = [];
  for (const a of addressParser(text)) {
    if (a.group !== undefined) return null;
    if (!a.address) return null;
    out.push(a.address.toLowerCase());
  }
  return out;
}

/** Random fields from the pieces attacks and real mail are made of. */
function randomField(random: () => number): string {
  const pieces = ['alice@example.com', 'bob@example.org', '<', '>', '"', ',', ' ', 'Alice', 'Q.', '(c)', '@', ':', ';', '\\', '=?utf-8?q?A?=', 'x', '.', '<alice@example.com>', '"A, B"'];
  let s = '';
  const n = 1 + Math.floor(random() * 8);
  for (let i = 0; i < n; i++) s += pieces[Math.floor(random() * pieces.length)];
  return s;
}

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

function emlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...emlFiles(path));
    else if (name.endsWith('.eml')) out.push(path);
  }
  return out;
}

describe('differential against postal-mime', () => {
  function agree(text: string): void {
    const ours = parseMailboxList(text);
    if (ours.problems.length) return;
    assert.deepEqual(postalAddresses(text), ours.mailboxes.map((m) => m.address), `postal-mime reads ${JSON.stringify(text)} differently`);
  }

  test('every field ours accepts, postal-mime reads to the same addresses (50,000 random fields)', () => {
    const random = seeded(8550);
    let accepted = 0;
    let refusedButPostalReads = 0;
    for (let i = 0; i < 50_000; i++) {
      const text = randomField(random);
      agree(text);
      if (!parseMailboxList(text).problems.length) accepted++;
      else if (postalAddresses(text)?.length) refusedButPostalReads++;
    }
    // Both sides must be exercised, or the comparison proves nothing.
    assert.ok(accepted > 1000, `only ${accepted} accepted`);
    assert.ok(refusedButPostalReads > 1000, `only ${refusedButPostalReads} refused`);
  });

  test('random text never throws, and every address it accepts is a plain addr-spec (20,000 inputs)', () => {
    const random = seeded(5322);
    const alphabet = ['a', 'b', '.', '@', '<', '>', '"', '\\', '(', ')', ',', ';', ':', ' ', '\t', '=?', '?=', '\u0000', '\u00a0', '\u202e', '\uff20', 'é', '[', ']'];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const n = Math.floor(random() * 40);
      for (let k = 0; k < n; k++) text += alphabet[Math.floor(random() * alphabet.length)];
      const result = parseMailboxList(text);
      for (const m of result.mailboxes) assert.ok(isStrictAddrSpec(m.address), JSON.stringify(text));
      if (!result.problems.length) assert.ok(result.mailboxes.length > 0, JSON.stringify(text));
    }
  });

  test('the attack forms ours refuses are read by postal-mime as something else', () => {
    // Where a lenient parser picks an address from these, a display could show a different one.
    assert.deepEqual(postalAddresses('Alice <alice@example.com> trailing'), ['alice@example.com']);
    assert.deepEqual(addresses('Alice <alice@example.com> trailing'), []);
    assert.equal(postalAddresses('Name:;'), null);
  });

  test('From and Sender fields of the shared corpus', { skip: !statSync(corpus, { throwIfNoEntry: false }) && 'no corpus' }, () => {
    let compared = 0;
    for (const file of emlFiles(corpus)) {
      const msg = parseMessage(readFileSync(file));
      for (const field of msg.root.headers.filter((h) => h.key === 'from' || h.key === 'sender')) {
        agree(fieldText(msg.source, field));
        compared++;
      }
    }
    assert.ok(compared > 50, `${compared} fields`);
  });
});
