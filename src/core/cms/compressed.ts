/**
 * CompressedData (RFC 3274): content compressed with zlib (RFC 1950), which is the only algorithm
 * the RFC defines.
 *
 *   CompressedData ::= SEQUENCE { version CMSVersion, compressionAlgorithm CompressionAlgorithmIdentifier,
 *     encapContentInfo EncapsulatedContentInfo }
 */
import { Tag, decodeOid } from '../asn1/der';
import { OID, oidName } from '../asn1/oids';
import type { DecryptReason } from './algorithms';
import { parseContentInfo } from './contentInfo';

/**
 * A few kilobytes of zlib can inflate to gigabytes (a "zip bomb"); mail bodies are far below this,
 * so inflation stops here instead of exhausting memory.
 */
export const MAX_DECOMPRESSED_SIZE = 64 * 1024 * 1024;

/**
 * Decompressed bytes for a whole message, over all its CompressedData layers. Layers nest, and a layer may
 * inflate to a multipart holding many small compressed parts, each of which inflates to the per-layer limit:
 * without a total, the limit multiplies with every layer and every copy.
 */
export const MAX_DECOMPRESSED_TOTAL = 64 * 1024 * 1024;

export interface DecompressResult {
  content?: Buffer;
  /** The inner content type (id-data for S/MIME). */
  contentType?: string;
  reasons: DecryptReason[];
}

/** Decompresses a ContentInfo holding CompressedData. Never throws. */
export function decompress(der: Buffer, maxSize: number = MAX_DECOMPRESSED_SIZE): DecompressResult {
  let compressed: Buffer;
  let contentType: string;
  try {
    const ci = parseContentInfo(der);
    if (ci.contentType !== OID.compressedData) throw new Error(`content type ${oidName(ci.contentType)} is not compressed-data`);
    const fields = ci.content.expect(Tag.sequence, 'CompressedData');
    const algorithm = decodeOid(fields.child(1).expect(Tag.sequence, 'compressionAlgorithm').child(0));
    if (algorithm !== OID.zlibCompress) {
      return { reasons: [{ code: 'unsupported-algorithm', message: `compression ${oidName(algorithm)} is not supported (RFC 3274 defines zlib only)` }] };
    }
    const encap = fields.child(2).expect(Tag.sequence, 'encapContentInfo');
    contentType = decodeOid(encap.child(0));
    const explicit = encap.children[1];
    if (!explicit?.isContext(0)) return { contentType, reasons: [{ code: 'malformed', message: 'the compressed content is absent' }] };
    compressed = explicit.child(0).octets();
  } catch (e) {
    return { reasons: [{ code: 'malformed', message: `the CompressedData cannot be read: ${(e as Error).message}` }] };
  }
  try {
    // node:zlib is loaded here, not at start-up: compressed S/MIME is rare and loading zlib costs every command.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inflateSync } = require('node:zlib') as typeof import('node:zlib');
    return { content: inflateSync(compressed, { maxOutputLength: maxSize }), contentType, reasons: [] };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return { contentType, reasons: [{ code: 'too-large', message: `the content inflates to more than ${maxSize} bytes; not decompressed` }] };
    }
    return { contentType, reasons: [{ code: 'decompression-failed', message: `the zlib data is corrupt: ${(e as Error).message}` }] };
  }
}
