/**
 * The part limit bounds work; it does not turn a correctly signed message into a malformed one. A message whose
 * signed content has more than MAX_PARTS parts, signed by OpenSSL, still verifies (the limit is reported as a MIME
 * warning), and an attacker who adds parts after the limit still gets at most PART_RESERVE more entities.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PARTS } from '../../../src/core/mime/limits';
import { PART_RESERVE, parseMessage } from '../../../src/core/mime/parser';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import { mixedOf, sampleTextEntity, wrapMessage } from '../../helpers/mime';
import { opensslSigned, opensslVerify } from '../../helpers/openssl';
import { sharedTestPki, type TestPki } from '../../helpers/pki';
import { certificatesIn } from '../../helpers/certFiles';

let pki: TestPki;
const envelope = { from: 'Alice Example <alice@example.com>', to: 'bob@example.com', subject: 'many parts' };

/** A multipart/mixed of `count` small text parts. */
function manyParts(count: number): Buffer {
  return mixedOf(Array.from({ length: count }, (_, i) => sampleTextEntity(`part ${i}`)));
}

before(async () => {
  pki = await sharedTestPki();
});

describe('the part limit', () => {
  test(`a message signed over more than ${MAX_PARTS} parts verifies, with the limit reported`, () => {
    const message = wrapMessage(envelope, opensslSigned(pki, pki.users.alice, manyParts(MAX_PARTS + 50)));
    assert.ok(opensslVerify(pki, message).ok, 'OpenSSL accepts the signature');
    const { report } = analyzeMessage(message, { anchors: certificatesIn([pki.root.cert]).certs });
    assert.equal(report.verdict, 'valid', report.summary);
    assert.ok(report.warnings.some((w) => w.code === 'max-parts'), 'the limit is reported');
  });

  test('the same message with one byte of the content changed is still caught', () => {
    const message = wrapMessage(envelope, opensslSigned(pki, pki.users.alice, manyParts(MAX_PARTS + 50)));
    const at = message.lastIndexOf('part 10040');
    message[at] = 'P'.charCodeAt(0);
    const { report } = analyzeMessage(message, { anchors: certificatesIn([pki.root.cert]).certs });
    assert.equal(report.verdict, 'invalid');
    assert.ok(report.reasons.includes('digest-mismatch'));
  });

  test('parts added after the limit, at every level, cost at most PART_RESERVE more entities', () => {
    const inner = manyParts(MAX_PARTS + 10);
    const outer = mixedOf([inner, ...Array.from({ length: 5000 }, () => sampleTextEntity('after'))]);
    const parsed = parseMessage(wrapMessage(envelope, outer));
    assert.ok(parsed.entityCount <= MAX_PARTS + PART_RESERVE + 1, `${parsed.entityCount} entities`);
    assert.ok(parsed.entityCount > MAX_PARTS, 'the enclosing multipart still got parts from the reserve');
  });
});
