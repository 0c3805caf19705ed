/**
 * The command line's quick argument reading (src/cli/quickArgs.ts) against node:util's parseArgs, the reference:
 * wherever the quick path gives a result it must be exactly parseArgs's, and whatever parseArgs refuses (or reads
 * in a way the quick path does not know) must be left to parseArgs, so usage errors keep parseArgs's messages.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { parse, UsageError } from '../../../src/cli/args';
import { quickParse } from '../../../src/cli/quickArgs';
import { IDENTITY_OPTIONS, SIGNING_OPTIONS } from '../../../src/cli/commands/sign';
import { WRITE_OPTIONS } from '../../../src/cli/commands/output';

const SIGN = { ...IDENTITY_OPTIONS, ...SIGNING_OPTIONS, ...WRITE_OPTIONS };

function reference(args: string[]): { values: Record<string, unknown>; positionals: string[] } | Error {
  try {
    return parseArgs({ args, options: SIGN, allowPositionals: true, strict: true });
  } catch (e) {
    return e as Error;
  }
}

/** Tokens of every kind parseArgs tells apart, and values that look like options. */
const TOKENS = ['in.eml', 'out.eml', '', '-', '--', '--cert', '--key', '--certfile', '--opaque', '--pss', '--digest', 'sha256', '-o',
  '-h', '--help', '--json', '--force', '--out-dir', '--unknown', '-x', '-oh', '-ofile', '--cert=a.pem', '--opaque=yes', '--no-opaque',
  '--constructor', '--__proto__', '--toString', '-1', '---', 'a b', 'ä.eml', '--o', '--h'];

describe('quick argument reading', () => {
  test('the usual sign command line is read without parseArgs, with parseArgs\'s result', () => {
    const args = ['in.eml', '--cert', 'c.pem', '--key', 'k.pem', '--certfile', 'i1.pem', '--certfile', 'i2.pem', '--opaque', '-o', 'out.eml', '--json'];
    const quick = quickParse(args, SIGN);
    assert.ok(quick, 'read on the quick path');
    assert.deepEqual(quick, reference(args));
    assert.equal(Object.getPrototypeOf(quick.values), null, 'no prototype, as parseArgs');
  });

  test('what parseArgs refuses or reads specially is left to it', () => {
    for (const args of [['--unknown'], ['--cert'], ['--cert', '--key', 'k'], ['--opaque=1'], ['--cert=a'], ['-oh'], ['-ofile'], ['--', '-x'], ['-'], ['-x'], ['--constructor'], ['--cert', '-1']]) {
      assert.equal(quickParse(args, SIGN), undefined, JSON.stringify(args));
    }
  });

  test('20,000 random command lines: the quick result is parseArgs\'s whenever there is one', () => {
    let seed = 0x2545f491;
    const random = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    let quickCount = 0;
    for (let i = 0; i < 20_000; i++) {
      const args = Array.from({ length: random(7) }, () => TOKENS[random(TOKENS.length)]);
      const quick = quickParse(args, SIGN);
      if (quick === undefined) continue;
      quickCount++;
      const expected = reference(args);
      assert.ok(!(expected instanceof Error), `${JSON.stringify(args)}: parseArgs refuses it (${(expected as Error).message}), the quick path must not read it`);
      assert.deepEqual(quick, expected, JSON.stringify(args));
    }
    assert.ok(quickCount > 1000, `the quick path was taken ${quickCount} times`);
  });

  test('usage errors keep parseArgs\'s messages', () => {
    const message = (args: string[]) => {
      try {
        parse(args, SIGN, { min: 1, max: Infinity, names: 'IN' });
      } catch (e) {
        assert.ok(e instanceof UsageError);
        return e.message;
      }
      return 'no error';
    };
    assert.equal(message(['in.eml', '--bogus']), "Unknown option '--bogus'");
    assert.equal(message(['in.eml', '--cert']), "Option '--cert <value>' argument missing");
    assert.equal(message(['in.eml', '--opaque=1']), "Option '--opaque' does not take an argument");
    assert.equal(message(['--cert', 'c.pem']), 'missing IN');
  });
});
