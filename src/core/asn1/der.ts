/**
 * A small, zero-copy BER/DER reader (X.690) that keeps the byte offsets of every element.
 *
 * Why by hand: verification must hash the exact bytes of structures such as the signed attributes
 * (RFC 5652 §5.4) and the certificates, and the libraries we could use re-encode what they parse.
 * Every element here is a view (offsets into the original buffer), so nothing is re-serialised.
 * BER is accepted where CMS producers use it (indefinite lengths and constructed OCTET STRINGs from
 * streaming encoders such as `openssl cms -stream`).
 */

/** Crafted input can nest indefinitely; real CMS/X.509 never comes close to this. */
export const MAX_ASN1_DEPTH = 64;

export class Asn1Error extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'Asn1Error';
  }
}

export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
} as const;

export class Asn1Node {
  private cachedChildren?: Asn1Node[];

  constructor(
    /** The buffer this element lives in (the whole input, not a copy). */
    readonly buf: Buffer,
    /** Offset of the identifier octet. */
    readonly start: number,
    /** Length of identifier + length octets. */
    readonly headerLength: number,
    /** Offset just past the contents (for indefinite length: just past the end-of-contents octets). */
    readonly end: number,
    /** First identifier octet (class, constructed bit and low tag number). */
    readonly tagByte: number,
    /** Tag number (may exceed 30 with the long form). */
    readonly tagNumber: number,
    /** True when the length was indefinite (BER), so the contents end with 00 00. */
    readonly indefinite: boolean,
    readonly depth: number,
  ) {}

  get tagClass(): number {
    return this.tagByte >> 6;
  }
  get constructed(): boolean {
    return (this.tagByte & 0x20) !== 0;
  }
  /** Offset where the contents start. */
  get valueStart(): number {
    return this.start + this.headerLength;
  }
  /** Offset where the contents end (before any end-of-contents octets). */
  get valueEnd(): number {
    return this.indefinite ? this.end - 2 : this.end;
  }
  /** The contents octets, as a view. */
  get value(): Buffer {
    return this.buf.subarray(this.valueStart, this.valueEnd);
  }
  /** The whole encoding (identifier, length and contents), as a view. */
  get raw(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  is(tagByte: number): boolean {
    return this.tagByte === tagByte;
  }
  /** Context-specific tag [n], constructed or primitive. */
  isContext(n: number): boolean {
    return this.tagClass === TagClass.context && this.tagNumber === n;
  }

  get children(): Asn1Node[] {
    if (!this.constructed) return [];
    if (!this.cachedChildren) this.cachedChildren = readChildren(this);
    return this.cachedChildren;
  }

  child(i: number): Asn1Node {
    const c = this.children[i];
    if (!c) throw new Asn1Error(`expected element #${i} inside tag 0x${this.tagByte.toString(16)}`, this.start);
    return c;
  }

  /**
   * Contents of an OCTET STRING (or an implicitly tagged one), joining the segments of a
   * constructed (BER) encoding. Returns a view when the encoding is primitive.
   */
  octets(): Buffer {
    if (!this.constructed) return this.value;
    const parts: Buffer[] = [];
    collectSegments(this, parts);
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Positions of the segments of a (possibly constructed) OCTET STRING, for hashing in place. */
  octetSegments(): Buffer[] {
    if (!this.constructed) return [this.value];
    const parts: Buffer[] = [];
    collectSegments(this, parts);
    return parts;
  }

  expect(tagByte: number, what: string): this {
    if (this.tagByte !== tagByte) {
      throw new Asn1Error(`expected ${what} (tag 0x${tagByte.toString(16)}), found 0x${this.tagByte.toString(16)}`, this.start);
    }
    return this;
  }
}

function collectSegments(node: Asn1Node, out: Buffer[]): void {
  for (const c of node.children) {
    if (c.constructed) collectSegments(c, out);
    else out.push(c.value);
  }
}

function readChildren(parent: Asn1Node): Asn1Node[] {
  const out: Asn1Node[] = [];
  let pos = parent.valueStart;
  const limit = parent.valueEnd;
  while (pos < limit) {
    const node = readNode(parent.buf, pos, limit, parent.depth + 1);
    out.push(node);
    pos = node.end;
  }
  return out;
}

/** Reads one element at `offset`; `limit` bounds it (the parent's end). */
export function readNode(buf: Buffer, offset: number, limit = buf.length, depth = 0): Asn1Node {
  if (depth > MAX_ASN1_DEPTH) throw new Asn1Error('ASN.1 nesting too deep', offset);
  let pos = offset;
  if (pos >= limit) throw new Asn1Error('unexpected end of data', pos);
  const tagByte = buf[pos++];
  let tagNumber = tagByte & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    let byte: number;
    let count = 0;
    do {
      if (pos >= limit || ++count > 4) throw new Asn1Error('bad long-form tag', offset);
      byte = buf[pos++];
      tagNumber = tagNumber * 128 + (byte & 0x7f);
    } while (byte & 0x80);
  }
  if (pos >= limit) throw new Asn1Error('missing length', offset);
  const first = buf[pos++];
  let length: number;
  let indefinite = false;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    if (!(tagByte & 0x20)) throw new Asn1Error('indefinite length on a primitive element', offset);
    indefinite = true;
    length = -1;
  } else {
    const n = first & 0x7f;
    if (n > 6 || pos + n > limit) throw new Asn1Error('bad length', offset);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++];
  }
  const headerLength = pos - offset;
  if (!indefinite) {
    const end = pos + length;
    if (end > limit) throw new Asn1Error(`length ${length} runs past the end of its container`, offset);
    return new Asn1Node(buf, offset, headerLength, end, tagByte, tagNumber, false, depth);
  }
  // Indefinite length: walk the children up to the end-of-contents octets (X.690 §8.1.3.6).
  let p = pos;
  for (;;) {
    if (p + 2 > limit) throw new Asn1Error('missing end-of-contents', offset);
    if (buf[p] === 0 && buf[p + 1] === 0) {
      p += 2;
      break;
    }
    p = readNode(buf, p, limit, depth + 1).end;
  }
  return new Asn1Node(buf, offset, headerLength, p, tagByte, tagNumber, true, depth);
}

/** Parses a complete element; trailing bytes are reported through `trailing`. */
export function parseDer(buf: Buffer): Asn1Node {
  return readNode(buf, 0, buf.length, 0);
}

// ---- value decoders ----

export function decodeOid(node: Asn1Node): string {
  node.expect(Tag.oid, 'OBJECT IDENTIFIER');
  const v = node.value;
  if (v.length === 0) throw new Asn1Error('empty OID', node.start);
  const parts: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    acc = acc * 128 + (v[i] & 0x7f);
    if (!(v[i] & 0x80)) {
      if (parts.length === 0) {
        const first = acc < 40 ? 0 : acc < 80 ? 1 : 2;
        parts.push(first, acc - first * 40);
      } else {
        parts.push(acc);
      }
      acc = 0;
    }
  }
  return parts.join('.');
}

/** INTEGER contents as a hex string without redundant leading zero (serial numbers). */
export function decodeIntegerHex(node: Asn1Node): string {
  let v = node.value;
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return v.toString('hex').toUpperCase();
}

export function decodeSmallInteger(node: Asn1Node): number {
  const v = node.value;
  if (v.length > 6) throw new Asn1Error('integer too large', node.start);
  let n = 0;
  for (const b of v) n = n * 256 + b;
  if (v.length && v[0] & 0x80) n -= 2 ** (8 * v.length);
  return n;
}

/** UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5). */
export function decodeTime(node: Asn1Node): Date {
  const s = node.value.toString('latin1');
  let m: RegExpMatchArray | null;
  if (node.tagByte === Tag.utcTime) {
    m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/);
    if (!m) throw new Asn1Error(`bad UTCTime "${s}"`, node.start);
    const yy = Number(m[1]);
    return buildDate(yy >= 50 ? 1900 + yy : 2000 + yy, m.slice(2, 6), m[6], '', m[7]);
  }
  if (node.tagByte === Tag.generalizedTime) {
    m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(\.\d+)?(Z|[+-]\d{4})?$/);
    if (!m) throw new Asn1Error(`bad GeneralizedTime "${s}"`, node.start);
    return buildDate(Number(m[1]), m.slice(2, 6), m[6], m[7] ?? '', m[8] ?? 'Z');
  }
  throw new Asn1Error('expected a time', node.start);
}

function buildDate(year: number, mdhm: string[], sec: string | undefined, frac: string, zone: string): Date {
  const [mo, d, h, mi] = mdhm.map(Number);
  let ms = Date.UTC(year, mo - 1, d, h, mi, Number(sec ?? 0), frac ? Math.round(Number(frac) * 1000) : 0);
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60000;
  }
  return new Date(ms);
}

/** Any of the ASN.1 string types used in names and attributes. */
export function decodeString(node: Asn1Node): string {
  const v = node.value;
  switch (node.tagByte) {
    case Tag.bmpString: {
      const swapped = Buffer.from(v);
      if (swapped.length % 2 === 0) swapped.swap16();
      return swapped.toString('utf16le');
    }
    case Tag.universalString: {
      let s = '';
      for (let i = 0; i + 3 < v.length; i += 4) s += String.fromCodePoint(v.readUInt32BE(i) & 0x10ffff);
      return s;
    }
    case Tag.utf8String:
      return v.toString('utf8');
    case Tag.t61String:
    case Tag.printableString:
    case Tag.ia5String:
    case Tag.visibleString:
      return v.toString('latin1');
    default:
      return v.toString('utf8');
  }
}

/** BIT STRING contents without the unused-bits octet. */
export function decodeBitString(node: Asn1Node): { bytes: Buffer; unusedBits: number } {
  const v = node.value;
  if (v.length === 0) throw new Asn1Error('empty BIT STRING', node.start);
  return { bytes: v.subarray(1), unusedBits: v[0] };
}

// ---- minimal DER writer (for re-tagging and for building structures we sign) ----

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function encodeTlv(tagByte: number, ...contents: Buffer[]): Buffer {
  const body = contents.length === 1 ? contents[0] : Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tagByte]), encodeLength(body.length), body]);
}

export function encodeOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const bytes: number[] = [];
  const pushBase128 = (n: number) => {
    const tmp = [n & 0x7f];
    for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) tmp.unshift((n & 0x7f) | 0x80);
    bytes.push(...tmp);
  };
  pushBase128(parts[0] * 40 + parts[1]);
  for (const p of parts.slice(2)) pushBase128(p);
  return encodeTlv(Tag.oid, Buffer.from(bytes));
}
