/**
 * DER pieces the certificate and PKCS#12 writers need beyond asn1/derWriter.ts: BOOLEAN, the string types of
 * names and attributes, and AlgorithmIdentifier.
 */
import { Tag } from '../asn1/der';
import { oid, primitive, sequence, type DerElement, type DerInput } from '../asn1/derWriter';

/** DER BOOLEAN TRUE is 0xFF (X.690 §11.1). FALSE is normally omitted as a DEFAULT. */
export function boolean(value: boolean): DerElement {
  return primitive(Tag.boolean, Buffer.from([value ? 0xff : 0]));
}

export function utf8String(s: string): DerElement {
  return primitive(Tag.utf8String, Buffer.from(s, 'utf8'));
}

export function ia5String(s: string): DerElement {
  if (/[^\x00-\x7f]/.test(s)) throw new RangeError(`IA5String cannot hold "${s}"`);
  return primitive(Tag.ia5String, Buffer.from(s, 'latin1'));
}

/** BMPString: UTF-16 big-endian (PKCS#12 friendlyName, RFC 7292 §4.2). */
export function bmpString(s: string): DerElement {
  return primitive(Tag.bmpString, Buffer.from(s, 'utf16le').swap16());
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280 §4.1.1.2). */
export function algorithmIdentifier(algorithm: string, parameters?: DerInput): DerElement {
  return parameters ? sequence(oid(algorithm), parameters) : sequence(oid(algorithm));
}
