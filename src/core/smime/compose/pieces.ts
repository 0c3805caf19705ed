/**
 * Output built from pieces and joined once. Pieces that lie side by side in memory (unchanged stretches of the
 * input, taken as views) are merged as they are added, so an entity that needs no change comes out as one view
 * of the input and is never copied. Base64 pieces are encoded straight into the joined buffer.
 */
import { base64LinesLength, writeBase64Lines } from './base64Lines';

/** Bytes to be written as base64 lines (RFC 2045 §6.8), given as chunks that are never joined. */
export interface Base64Piece {
  /** Read once, in order, when the output is joined (a generator may produce the chunks only then). */
  base64: Iterable<Buffer>;
  /** Their total length. */
  byteLength: number;
}

/** A base64 piece of chunks already at hand. */
export function base64Of(chunks: readonly Buffer[]): Base64Piece {
  return { base64: chunks, byteLength: chunks.reduce((n, c) => n + c.length, 0) };
}

export type Piece = Buffer | Base64Piece;

function adjacent(a: Buffer, b: Buffer): boolean {
  return a.buffer === b.buffer && a.byteOffset + a.length === b.byteOffset;
}

function pieceLength(piece: Piece): number {
  return Buffer.isBuffer(piece) ? piece.length : base64LinesLength(piece.byteLength);
}

export class Pieces {
  private readonly parts: Piece[] = [];

  /** Adds pieces (or all pieces of another list) in order; returns this. */
  add(...items: (Piece | Pieces | string)[]): this {
    for (const item of items) {
      if (item instanceof Pieces) this.add(...item.parts);
      else if (typeof item === 'string') this.addBuffer(Buffer.from(item, 'latin1'));
      else if (Buffer.isBuffer(item)) this.addBuffer(item);
      else this.parts.push(item);
    }
    return this;
  }

  private addBuffer(buffer: Buffer): void {
    if (buffer.length === 0) return;
    const last = this.parts[this.parts.length - 1];
    if (Buffer.isBuffer(last) && adjacent(last, buffer)) {
      this.parts[this.parts.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + buffer.length);
    } else {
      this.parts.push(buffer);
    }
  }

  /** Total octets once joined. */
  get length(): number {
    return this.parts.reduce((n, p) => n + pieceLength(p), 0);
  }

  /**
   * The pieces as consecutive buffers, for writing without joining them (writev): unchanged stretches stay views
   * of the input and each base64 piece is encoded into a buffer of its own. Base64 pieces are read here, so this
   * or toBuffer is called once.
   */
  toBuffers(): Buffer[] {
    return this.parts.map((part) => {
      if (Buffer.isBuffer(part)) return part;
      const out = Buffer.allocUnsafe(pieceLength(part));
      if (writeBase64Lines(part.base64, out, 0) !== out.length) throw new Error('a base64 piece did not add up to its declared length');
      return out;
    });
  }

  /**
   * One buffer: the single piece itself when there is one (a view, not a copy), else one joined copy. Base64
   * pieces are read here, so this is called once.
   */
  toBuffer(): Buffer {
    if (this.parts.length === 1 && Buffer.isBuffer(this.parts[0])) return this.parts[0];
    const out = Buffer.allocUnsafe(this.length);
    let pos = 0;
    for (const part of this.parts) pos = Buffer.isBuffer(part) ? pos + part.copy(out, pos) : writeBase64Lines(part.base64, out, pos);
    // A base64 piece whose chunks did not add up to its declared length would leave garbage or be cut short.
    if (pos !== out.length) throw new Error(`output of ${pos} octets where ${out.length} were expected`);
    return out;
  }
}
