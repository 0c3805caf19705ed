// Shared checks for the MIME parser tests: layout invariants and a line-ending-neutral tree summary.
import assert from 'node:assert/strict';
import { checkRanges, decodeBody, rebuildFromRanges, walk, type MimeEntity, type ParsedMessage } from '../../../src/core/mime/index';

/** Converts every line ending to CRLF. */
export function crlf(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1');
}

/** Converts every line ending to bare LF. */
export function lf(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\n'), 'latin1');
}

/** Alternates CRLF and LF line by line. */
export function mixed(text: string): Buffer {
  let n = 0;
  return Buffer.from(text.replace(/\r?\n/g, () => (n++ % 2 === 0 ? '\r\n' : '\n')), 'latin1');
}

/** Asserts that children and gaps tile every multipart, children nest inside their parent, and the ranges
 *  rebuild the input byte for byte. */
export function assertLayout(msg: ParsedMessage): void {
  assert.deepEqual(checkRanges(msg), []);
  assert.equal(msg.root.start, 0);
  assert.equal(msg.root.end, msg.source.length);
  assert.ok(rebuildFromRanges(msg).equals(msg.source), 'ranges rebuild the input');
  for (const entity of walk(msg.root)) {
    assert.ok(entity.start <= entity.headerEnd && entity.headerEnd <= entity.bodyStart && entity.bodyStart <= entity.end, `offsets of ${entity.path}`);
    entity.children.forEach((child, i) => {
      assert.equal(child.path, `${entity.path}.${i + 1}`);
      assert.equal(child.parent, entity);
      assert.ok(child.start >= entity.bodyStart && child.end <= entity.end, `${child.path} inside ${entity.path}`);
    });
  }
}

export interface EntitySummary {
  path: string;
  mimeType: string;
  headers: [string, string][];
  body: string;
  warnings: string[];
}

/** What a reader sees of each entity, with line endings normalised so LF and CRLF inputs compare equal. */
export function summarize(msg: ParsedMessage): EntitySummary[] {
  return [...walk(msg.root)].map((entity: MimeEntity) => ({
    path: entity.path,
    mimeType: entity.contentType.mimeType,
    headers: entity.headers.map((field): [string, string] => [field.key, field.value]),
    body: entity.children.length > 0 ? '' : decodeBody(entity).data.toString('latin1').replace(/\r\n/g, '\n'),
    warnings: entity.warnings.map((warning) => warning.code),
  }));
}

/** The entity's bytes as text (latin1), for readable assertions. */
export function textOf(entity: MimeEntity): string {
  return entity.source.toString('latin1', entity.start, entity.end);
}
