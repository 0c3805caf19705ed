/**
 * Resource limits for the MIME parser. Mail is attacker-controlled input: every structure that can repeat or
 * nest is bounded so that a crafted message costs linear time and bounded memory. Exceeding a limit never
 * throws; the parser records a warning and keeps the rest of the input as an opaque body.
 */

/** Nesting of multipart and message/rfc822 entities. Real mail rarely goes past 10; crafted mail recurses
 *  without end, and each level rescans its body, so depth multiplies the cost of the parse. */
export const MAX_DEPTH = 64;

/** Entities per message. Mailing-list digests reach a few hundred parts; a million empty parts is an attack
 *  on memory (each entity is an object with arrays), not a message anyone reads. */
export const MAX_PARTS = 10_000;

/** Bytes in one header block. RFC 5322 §2.1.1 caps lines at 998 characters but not their number; large DKIM
 *  and Received chains stay far below 1 MiB, while an unbounded block would be held as strings in memory. */
export const MAX_HEADER_BYTES = 1024 * 1024;

/** Header fields in one header block: each field becomes an object and two strings. */
export const MAX_HEADER_FIELDS = 10_000;

/**
 * Bytes of one field value that are analysed (decoded, unfolded, parsed as addresses, parameters or a date):
 * eight times the 998-character line RFC 5322 §2.1.1 allows. Fields that matter to verification (From, Sender,
 * Date, Content-*) are far shorter in real mail; long To/Cc lists and References of long threads are only shown.
 * A field of megabytes only exists to make the parsers work. The rest of a longer field is not analysed (a
 * warning says so, and a cut From or Sender never matches a signer); its bytes stay in the entity, and
 * signatures still cover them.
 */
export const MAX_FIELD_ANALYSIS_BYTES = 8 * 1024;

/** Output of one transfer decoding (base64 / quoted-printable). Bounds the memory a single decode may take. */
export const MAX_DECODED_SIZE = 256 * 1024 * 1024;

export interface MimeLimits {
  maxDepth: number;
  maxParts: number;
  maxHeaderBytes: number;
  maxHeaderFields: number;
  maxFieldBytes: number;
  maxDecodedSize: number;
}

export const DEFAULT_MIME_LIMITS: Readonly<MimeLimits> = Object.freeze({
  maxDepth: MAX_DEPTH,
  maxParts: MAX_PARTS,
  maxHeaderBytes: MAX_HEADER_BYTES,
  maxHeaderFields: MAX_HEADER_FIELDS,
  maxFieldBytes: MAX_FIELD_ANALYSIS_BYTES,
  maxDecodedSize: MAX_DECODED_SIZE,
});

/** Hard ceiling on the depth a caller may ask for: the parser recurses once per level, and the JavaScript stack
 *  holds a few thousand frames at most. */
const DEPTH_CEILING = 1000;

/** Merges caller overrides with the defaults, ignoring values that are not positive finite numbers. */
export function resolveLimits(overrides?: Partial<MimeLimits>): MimeLimits {
  const limits: MimeLimits = { ...DEFAULT_MIME_LIMITS };
  if (!overrides) return limits;
  for (const key of Object.keys(limits) as (keyof MimeLimits)[]) {
    const value = overrides[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) limits[key] = Math.floor(value);
  }
  limits.maxDepth = Math.min(limits.maxDepth, DEPTH_CEILING);
  return limits;
}
