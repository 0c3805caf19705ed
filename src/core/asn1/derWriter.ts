/**
 * A small DER writer (X.690 §10, §11) for the CMS structures we create.
 *
 * An element is kept as a list of chunks with a known total length and joined once at the end
 * (toBuffer), so wrapping a 10 MB eContent in six levels of SEQUENCE and [0] costs one copy of the
 * content, not six. Contents passed in (an OCTET STRING's bytes, a certificate) are referenced, not copied.
 */
import { Tag, encodeLength, encodeOid, encodeTlv } from './der';

/** An encoded element (identifier, length and contents) as chunks. */
export class DerElement {
  constructor(
    readonly chunks: readonly Buffer[],
    /** Total length of the encoding in bytes. */
    readonly length: number,
  ) {}

  /** The identifier octet. */
  get tagByte(): number {
    return this.chunks[0][0];
  }

  /** The whole encoding in one buffer (one copy, or none when it is already a single chunk). */
  toBuffer(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks as Buffer[], this.length);
  }
}

/** A built element, or a Buffer holding one complete encoding (a certificate, a Name, an OID from encodeOid). */
export type DerInput = DerElement | Buffer;

function element(input: DerInput): DerElement {
  return input instanceof DerElement ? input : new DerElement([input], input.length);
}

/** An already encoded element, taken as is (RFC 5652 copies Names and certificates byte for byte). */
export function raw(encoded: Buffer): DerElement {
  return element(encoded);
}

/** A constructed element with identifier octet `tagByte` whose contents are `children` in order. */
export function constructed(tagByte: number, children: DerInput[]): DerElement {
  const parts = children.map(element);
  const contentLength = parts.reduce((n, p) => n + p.length, 0);
  const header = Buffer.concat([Buffer.from([tagByte]), encodeLength(contentLength)]);
  const chunks: Buffer[] = [header];
  for (const p of parts) chunks.push(...p.chunks);
  return new DerElement(chunks, header.length + contentLength);
}

/** A primitive element with the given contents octets (given as one or more chunks, not copied). */
export function primitive(tagByte: number, contents: Buffer | Buffer[]): DerElement {
  const parts = Array.isArray(contents) ? contents : [contents];
  const contentLength = parts.reduce((n, p) => n + p.length, 0);
  const header = Buffer.concat([Buffer.from([tagByte]), encodeLength(contentLength)]);
  return new DerElement([header, ...parts], header.length + contentLength);
}

export function sequence(...children: DerInput[]): DerElement {
  return constructed(Tag.sequence, children);
}

/**
 * X.690 §11.6: compares two encodings as octet strings, the shorter one padded at its end with 0-octets.
 * Negative when `a` sorts first.
 */
export function compareSetComponents(a: Buffer, b: Buffer): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = i < a.length ? a[i] : 0;
    const y = i < b.length ? b[i] : 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * SET OF with its components in ascending order of their encodings (X.690 §11.6): the order DER
 * requires, and the one a verifier re-encoding signed attributes computes (RFC 5652 §5.4).
 * Each component is joined once to be compared; SET OF components in CMS are small.
 */
export function setOf(components: DerInput[]): DerElement {
  const encoded = components.map((c) => element(c).toBuffer());
  encoded.sort(compareSetComponents);
  return constructed(Tag.set, encoded);
}

/** Two's complement, minimal length (X.690 §8.3.2). */
function integerContents(value: bigint): Buffer {
  const bytes: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, v));
    bytes.unshift(byte);
    v >>= 8n;
    // Stop once the remaining value is pure sign extension of the byte just written.
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

/**
 * INTEGER from a number, a bigint, or a Buffer holding an unsigned big-endian magnitude (a 0x00 is
 * prepended when its top bit is set, redundant leading zeros are dropped).
 */
export function integer(value: number | bigint | Buffer): DerElement {
  if (Buffer.isBuffer(value)) {
    let i = 0;
    while (i < value.length - 1 && value[i] === 0) i++;
    const magnitude = value.length === 0 ? Buffer.from([0]) : value.subarray(i);
    return primitive(Tag.integer, magnitude[0] & 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude);
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return primitive(Tag.integer, integerContents(BigInt(value)));
}

export function octetString(bytes: Buffer | Buffer[]): DerElement {
  return primitive(Tag.octetString, bytes);
}

export function nullValue(): DerElement {
  return raw(Buffer.from([Tag.null, 0]));
}

export function oid(dotted: string): DerElement {
  return raw(encodeOid(dotted));
}

/** BIT STRING: the unused-bits octet, then the bits (X.690 §8.6.2). */
export function bitString(bytes: Buffer, unusedBits = 0): DerElement {
  if (unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) throw new RangeError('bad unused bit count');
  return primitive(Tag.bitString, [Buffer.from([unusedBits]), bytes]);
}

/** [n] EXPLICIT: a constructed context tag around the whole inner encoding. */
export function contextExplicit(n: number, inner: DerInput): DerElement {
  return constructed(0xa0 | n, [inner]);
}

/**
 * [n] IMPLICIT: the inner encoding with its identifier replaced by context tag n, keeping the
 * constructed bit (a SET OF becomes 0xA0 | n, an OCTET STRING 0x80 | n).
 */
export function contextImplicit(n: number, inner: DerInput): DerElement {
  const e = element(inner);
  const tag = 0x80 | (e.tagByte & 0x20) | n;
  const first = Buffer.from(e.chunks[0].subarray(0, 1));
  first[0] = tag;
  return new DerElement([first, e.chunks[0].subarray(1), ...e.chunks.slice(1)].filter((c) => c.length > 0), e.length);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function timeDigits(date: Date): string {
  if (isNaN(date.getTime())) throw new RangeError('invalid date');
  return pad(date.getUTCMonth() + 1) + pad(date.getUTCDate()) + pad(date.getUTCHours()) + pad(date.getUTCMinutes()) + pad(date.getUTCSeconds());
}

/** UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1: seconds present, Zulu, no fraction). */
export function utcTime(date: Date): DerElement {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError(`UTCTime cannot hold the year ${year}`);
  return raw(encodeTlv(Tag.utcTime, Buffer.from(pad(year % 100) + timeDigits(date) + 'Z', 'latin1')));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2: no fractional seconds). */
export function generalizedTime(date: Date): DerElement {
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`GeneralizedTime cannot hold the year ${year}`);
  return raw(encodeTlv(Tag.generalizedTime, Buffer.from(pad(year, 4) + timeDigits(date) + 'Z', 'latin1')));
}

/**
 * Time as RFC 5280 §4.1.2.5 and RFC 5652 §11.3 (signingTime) require: UTCTime for 1950 through 2049,
 * GeneralizedTime otherwise.
 */
export function time(date: Date): DerElement {
  const year = date.getUTCFullYear();
  return year >= 1950 && year <= 2049 ? utcTime(date) : generalizedTime(date);
}
