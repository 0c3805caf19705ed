// The DER writer against OpenSSL's own DER generator (`openssl asn1parse -genstr/-genconf`): INTEGER encodings,
// SET OF ordering (X.690 §11.6), long-form lengths and tagging; time choice per RFC 5280 §4.1.2.5.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  bitString,
  compareSetComponents,
  contextExplicit,
  contextImplicit,
  generalizedTime,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  setOf,
  time,
  utcTime,
} from '../../../src/core/asn1/derWriter';
import { decodeTime, parseDer } from '../../../src/core/asn1/der';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'der-writer-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** DER from `openssl asn1parse -genconf` for a config whose top item is `asn1=...`. */
function opensslGenconf(lines: string[]): Buffer {
  const cnf = join(dir, 'gen.cnf');
  const out = join(dir, 'gen.der');
  writeFileSync(cnf, lines.join('\n') + '\n');
  execFileSync('openssl', ['asn1parse', '-genconf', cnf, '-noout', '-out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  return readFileSync(out);
}

function opensslGenstr(str: string): Buffer {
  return opensslGenconf([`asn1=${str}`]);
}

describe('INTEGER', () => {
  const values = [0, 1, 127, 128, 255, 256, 32767, 32768, -1, -127, -128, -129, -256, -32769, 2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  test('numbers encode as OpenSSL encodes them (minimal two\'s complement)', () => {
    for (const v of values) assert.deepEqual(integer(v).toBuffer(), opensslGenstr(`INTEGER:${v}`), String(v));
  });
  test('unsigned magnitudes from Buffers (serials, RSA numbers) match OpenSSL\'s hex INTEGERs', () => {
    for (const hex of ['00', '7f', '80', 'ff', '0080', '000001', 'deadbeef', randomBytes(20).toString('hex'), '00' + randomBytes(32).toString('hex')]) {
      const stripped = hex.replace(/^(00)+(?=..)/, '');
      assert.deepEqual(integer(Buffer.from(hex, 'hex')).toBuffer(), opensslGenstr(`INTEGER:0x${stripped.toUpperCase()}`), hex);
    }
  });
  test('an empty Buffer is zero; a fraction is refused', () => {
    assert.deepEqual(integer(Buffer.alloc(0)).toBuffer(), Buffer.from('020100', 'hex'));
    assert.throws(() => integer(1.5), RangeError);
  });
});

describe('SET OF', () => {
  test('components in the order OpenSSL\'s DER encoder sorts them', () => {
    for (let round = 0; round < 20; round++) {
      const items = Array.from({ length: 2 + (round % 6) }, (_, i) => {
        const n = Math.floor(Math.random() * 70000) - 35000;
        return i % 3 === 0 ? { ours: octetString(randomBytes(1 + i + (round % 3))), conf: '' } : { ours: integer(n), conf: `INTEGER:${n}` };
      });
      const conf = items.map((it, i) => `f${i}=${it.conf || `FORMAT:HEX,OCTETSTRING:${it.ours.toBuffer().subarray(2).toString('hex')}`}`);
      assert.deepEqual(setOf(items.map((i) => i.ours)).toBuffer(), opensslGenconf(['asn1=SET:s', '[s]', ...conf]), `round ${round}`);
    }
  });
  test('X.690 §11.6 comparison pads the shorter encoding with zero octets', () => {
    assert.ok(compareSetComponents(Buffer.from([1, 2]), Buffer.from([1, 3])) < 0);
    assert.ok(compareSetComponents(Buffer.from([2]), Buffer.from([1, 9])) > 0);
    assert.equal(compareSetComponents(Buffer.from([1]), Buffer.from([1, 0])), 0);
    assert.ok(compareSetComponents(Buffer.from([1]), Buffer.from([1, 1])) < 0);
  });
});

describe('lengths, tags and composition', () => {
  test('short and long length forms (127, 128, 255, 256, 65535, 65536 content bytes) as OpenSSL writes them', () => {
    for (const n of [0, 127, 128, 255, 256, 65535, 65536]) {
      const bytes = Buffer.alloc(n, 0x41);
      assert.deepEqual(octetString(bytes).toBuffer(), opensslGenstr(`FORMAT:ASCII,OCTETSTRING:${'A'.repeat(n)}`), `${n} bytes`);
    }
  });
  test('SEQUENCE, NULL, OID, BIT STRING, explicit and implicit tags match OpenSSL', () => {
    const ours = sequence(oid('1.2.840.113549.1.1.11'), nullValue(), bitString(Buffer.from('0a0b', 'hex')), contextExplicit(2, integer(5)), contextImplicit(1, octetString(Buffer.from('hi'))),
      contextImplicit(0, setOf([integer(2), integer(1)])));
    const theirs = opensslGenconf([
      'asn1=SEQUENCE:s', '[s]', 'a=OID:1.2.840.113549.1.1.11', 'b=NULL', 'c=FORMAT:HEX,BITSTRING:0a0b', 'd=EXPLICIT:2,INTEGER:5',
      'e=IMPLICIT:1,FORMAT:ASCII,OCTETSTRING:hi', 'f=IMPLICIT:0,SET:t', '[t]', 'x=INTEGER:2', 'y=INTEGER:1',
    ]);
    assert.deepEqual(ours.toBuffer(), theirs);
  });
  test('big contents are referenced until the one final join', () => {
    const big = Buffer.alloc(1 << 20, 7);
    const nested = sequence(contextExplicit(0, sequence(octetString(big))));
    assert.ok(nested.chunks.includes(big), 'the content buffer itself is a chunk, not a copy');
    const der = nested.toBuffer();
    assert.equal(der.length, nested.length);
    assert.deepEqual(parseDer(der).child(0).child(0).child(0).value, big);
  });
});

describe('times (RFC 5280 §4.1.2.5, RFC 5652 §11.3)', () => {
  test('UTCTime 1950 through 2049, GeneralizedTime outside, both to the second in Zulu', () => {
    const cases: [string, number, string][] = [
      ['1950-01-01T00:00:00Z', 0x17, '500101000000Z'],
      ['2049-12-31T23:59:59.999Z', 0x17, '491231235959Z'],
      ['2050-01-01T00:00:00Z', 0x18, '20500101000000Z'],
      ['1949-12-31T23:59:59Z', 0x18, '19491231235959Z'],
      ['2026-11-28T13:46:06.500Z', 0x17, '261128134606Z'],
    ];
    for (const [iso, tag, text] of cases) {
      const der = time(new Date(iso)).toBuffer();
      assert.equal(der[0], tag, iso);
      assert.equal(der.subarray(2).toString('latin1'), text, iso);
      assert.equal(decodeTime(parseDer(der)).getTime(), Math.floor(new Date(iso).getTime() / 1000) * 1000, iso);
    }
  });
  test('UTCTime refuses years it cannot hold; GeneralizedTime matches OpenSSL', () => {
    assert.throws(() => utcTime(new Date('2050-01-01T00:00:00Z')), RangeError);
    assert.throws(() => time(new Date(NaN)), RangeError);
    assert.deepEqual(generalizedTime(new Date('2051-03-04T05:06:07Z')).toBuffer(), opensslGenstr('GENERALIZEDTIME:20510304050607Z'));
  });
});
