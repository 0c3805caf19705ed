/**
 * The digest of the entity to be signed (RFC 5652 §5.4 messageDigest), computed in the same pass as the
 * ESP-safety scan (bodyScan.ts) instead of in a second pass over a large body.
 *
 * The scan meets the bodies in input order, while the entity's pieces are put together afterwards (a part's
 * header fields after its children), so the digest is taken over the input as it is met: the bytes between
 * bodies as they are, each body in its canonical form as the scan hands it over. That equals the entity only when
 * nothing outside the bodies changed, so the digest is used only when the bytes hashed are proven to be the
 * entity's bytes: the same stretches of the same memory, or equal bytes where they are not (sameBytes). Anything
 * else, and the signer hashes the entity itself, as before.
 */
import { createHash, type Hash } from 'node:crypto';
import type { BodySink } from './bodyScan';
import { Pieces } from './pieces';
import type { SigningDigestName } from '../../digests';


export class EntityDigest {
  private readonly hash: Hash;
  private readonly hashed = new Pieces();
  private cursor: number;
  private valid = true;
  private readonly boundary: Buffer | undefined;

  /**
   * `start`: where the entity would begin in `input` when nothing outside the bodies changes. `boundary`: a
   * multipart/signed boundary to look for in the bytes hashed (RFC 2046 §5.1.1: it must not occur in the content).
   */
  constructor(private readonly input: Buffer, start: number, readonly algorithm: SigningDigestName, boundary?: string) {
    this.hash = createHash(algorithm);
    this.cursor = start;
    this.boundary = boundary === undefined ? undefined : Buffer.from(boundary, 'latin1');
  }

  private feed(piece: Buffer): void {
    if (!this.valid || piece.length === 0) return;
    this.hash.update(piece);
    this.hashed.add(piece);
  }

  /** Hashes the input as it is up to `offset`; a body met out of order ends the attempt. */
  private catchUp(offset: number): void {
    if (offset < this.cursor) this.valid = false;
    if (!this.valid) return;
    this.feed(this.input.subarray(this.cursor, offset));
    this.cursor = offset;
  }

  /**
   * The sink for the body at [start, end) of `source`: the input before it is hashed first, then the body's
   * canonical pieces as the scan produces them. Undefined (no hashing) once the attempt has failed or when the
   * body is not a stretch of the input (a part decoded from another part).
   */
  bodySink(source: Buffer, start: number, end: number): BodySink | undefined {
    if (source.buffer !== this.input.buffer || source.byteOffset !== this.input.byteOffset) this.valid = false;
    this.catchUp(start);
    if (!this.valid) return undefined;
    this.cursor = end;
    return (piece) => this.feed(piece);
  }

  /**
   * The digest when the bytes hashed (up to `end` of the input) are exactly `entity`'s, and whether the boundary
   * given to the constructor is then proven absent from it; undefined when they are not the entity's bytes.
   */
  digestOf(entity: Buffer, end: number): { value: Buffer; boundaryAbsent: boolean } | undefined {
    this.catchUp(end);
    const hashed = this.hashed.toBuffers();
    if (!this.valid || !sameBytes(hashed, [entity])) return undefined;
    this.valid = false;
    return { value: this.hash.digest(), boundaryAbsent: this.boundary !== undefined && !occursIn(this.boundary, hashed) };
  }
}

/**
 * Whether `needle` occurs in the bytes of `buffers` taken in order, also across their seams. The buffers hashed
 * are few (adjacent views of the input are one), so the search is one native search over each and a short one
 * over each seam: less than searching each chunk as it was hashed.
 */
export function occursIn(needle: Buffer, buffers: readonly Buffer[]): boolean {
  const keep = needle.length - 1;
  /** The last `keep` bytes before the current buffer. */
  let tail: Buffer = Buffer.alloc(0);
  for (const buffer of buffers) {
    if (buffer.indexOf(needle) !== -1) return true;
    if (tail.length > 0 && Buffer.concat([tail, buffer.subarray(0, keep)]).indexOf(needle) !== -1) return true;
    tail = buffer.length >= keep ? buffer.subarray(buffer.length - keep) : Buffer.concat([tail, buffer]).subarray(-keep);
  }
  return false;
}

/**
 * Whether two lists of buffers hold the same bytes in order. Stretches that are the same memory are equal
 * without being read, so a large entity that is the hashed input itself is compared in a few steps.
 */
export function sameBytes(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  let [i, j, offA, offB] = [0, 0, 0, 0];
  for (;;) {
    while (i < a.length && offA === a[i].length) [i, offA] = [i + 1, 0];
    while (j < b.length && offB === b[j].length) [j, offB] = [j + 1, 0];
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    const x = a[i];
    const y = b[j];
    const n = Math.min(x.length - offA, y.length - offB);
    const sameMemory = x.buffer === y.buffer && x.byteOffset + offA === y.byteOffset + offB;
    if (!sameMemory && Buffer.compare(x.subarray(offA, offA + n), y.subarray(offB, offB + n)) !== 0) return false;
    offA += n;
    offB += n;
  }
}
