/**
 * The lenient address-list reader of the write path (recipients, the sender warning): what it finds, and that a
 * long header cannot stall it (it took 44 s on 64 KB of one letter when it searched with an unanchored pattern).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddressList } from '../../../src/core/smime/addresses';

const read = (value: string) => parseAddressList(value).map((a) => [a.address, a.displayName]);

describe('lenient address lists', () => {
  test('angle addresses, quoted names, bare addresses with a comment', () => {
    assert.deepEqual(read('"Smith, J." <J@Example.com>, bob@example.org (Bob), <carol@example.net> (work)'), [
      ['j@example.com', 'Smith, J.'],
      ['bob@example.org', 'Bob'],
      ['carol@example.net', ''],
    ]);
  });
  test('a group contributes its members; a URL-like colon is not a group', () => {
    assert.deepEqual(read('Team: a@example.com, b@example.com;').map(([a]) => a), ['a@example.com', 'b@example.com']);
    assert.deepEqual(read('undisclosed-recipients:;'), []);
    assert.deepEqual(read('Name <mailto:x@example.com>').map(([a]) => a), ['x@example.com']);
  });
  test('an escaped quote in a display name', () => {
    assert.deepEqual(read('"A \\"B\\" C" <a@example.com>'), [['a@example.com', 'A "B" C']]);
  });
});

describe('linear time on 1 MB of one repeated character', () => {
  const MB = 1 << 20;
  for (const ch of ['a', ' ', '(', ')', '<', '>', '"', '@', ',', ':', '\\', 'a@']) {
    test(JSON.stringify(ch), () => {
      const body = ch.repeat(MB / ch.length);
      const t0 = performance.now();
      for (const value of [body, `<a@b.example>${body}x`, `Name <${body}>`, `${body}@x`]) parseAddressList(value);
      const ms = performance.now() - t0;
      assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
    });
  }
});
