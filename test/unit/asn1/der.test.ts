import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDer, decodeOid, encodeOid, decodeTime, Asn1Error, MAX_ASN1_DEPTH } from '../../../src/core/asn1/der';

test('reads definite and indefinite lengths with offsets', () => {
  // SEQUENCE (indefinite) { OID 1.2.840.113549.1.7.1, [0] constructed OCTET STRING { "ab", "c" } } EOC
  const oid = encodeOid('1.2.840.113549.1.7.1');
  const inner = Buffer.from([0x24, 0x80, 0x04, 0x02, 0x61, 0x62, 0x04, 0x01, 0x63, 0x00, 0x00]);
  const buf = Buffer.concat([Buffer.from([0x30, 0x80]), oid, Buffer.from([0xa0, 0x80]), inner, Buffer.from([0, 0, 0, 0])]);
  const root = parseDer(buf);
  assert.equal(root.end, buf.length);
  assert.equal(root.indefinite, true);
  assert.equal(decodeOid(root.child(0)), '1.2.840.113549.1.7.1');
  assert.equal(root.child(1).child(0).octets().toString(), 'abc');
});

test('rejects lengths that run past the container', () => {
  assert.throws(() => parseDer(Buffer.from([0x30, 0x05, 0x02, 0x01])), Asn1Error);
  assert.throws(() => parseDer(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), Asn1Error);
});

test('bounds nesting depth', () => {
  const deep = Buffer.concat([Buffer.alloc(2 * (MAX_ASN1_DEPTH + 5), Buffer.from([0x30, 0x80])), Buffer.alloc(2 * (MAX_ASN1_DEPTH + 5))]);
  assert.throws(() => parseDer(deep), /too deep/);
});

test('decodes UTCTime and GeneralizedTime', () => {
  assert.equal(decodeTime(parseDer(Buffer.from('170d3439313233313233353935395a', 'hex'))).toISOString(), '2049-12-31T23:59:59.000Z');
  assert.equal(decodeTime(parseDer(Buffer.from('170d3530303130313030303030305a', 'hex'))).toISOString(), '1950-01-01T00:00:00.000Z');
  const gt = Buffer.concat([Buffer.from([0x18, 15]), Buffer.from('20500101000000Z')]);
  assert.equal(decodeTime(parseDer(gt)).toISOString(), '2050-01-01T00:00:00.000Z');
});
