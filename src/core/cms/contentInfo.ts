/**
 * ContentInfo, the outer wrapper of every CMS object (RFC 5652 §3):
 *
 *   ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY contentType }
 *
 * BER is accepted (indefinite lengths from streaming encoders such as `openssl cms -stream` and NSS).
 */
import { Asn1Error, Asn1Node, Tag, decodeOid, parseDer } from '../asn1/der';

export interface ContentInfo {
  /** Dotted OID of the content type (OID.envelopedData, OID.signedData, ...). */
  contentType: string;
  /** The element inside the [0] EXPLICIT wrapper (for example the EnvelopedData SEQUENCE). */
  content: Asn1Node;
  /** The ContentInfo SEQUENCE itself. */
  root: Asn1Node;
}

/**
 * Reads a ContentInfo. Throws Asn1Error when the bytes are not one (callers that must not throw use
 * sniffContentType first or catch). Trailing bytes after the SEQUENCE are ignored: mail clients pad
 * base64 bodies and some append a newline to DER files.
 */
export function parseContentInfo(der: Buffer): ContentInfo {
  const root = parseDer(der).expect(Tag.sequence, 'ContentInfo');
  const contentType = decodeOid(root.child(0));
  const wrapper = root.child(1);
  if (!wrapper.isContext(0) || !wrapper.constructed) {
    throw new Asn1Error('expected content [0] EXPLICIT in ContentInfo', wrapper.start);
  }
  return { contentType, content: wrapper.child(0), root };
}

/** The content type OID of a ContentInfo, or undefined for anything else. Never throws. */
export function sniffContentType(der: Buffer): string | undefined {
  try {
    return parseContentInfo(der).contentType;
  } catch {
    return undefined;
  }
}
