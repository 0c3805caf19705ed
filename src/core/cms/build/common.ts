/** Pieces every CMS builder needs: AlgorithmIdentifier, IssuerAndSerialNumber and the ContentInfo wrapper. */
import { Tag } from '../../asn1/der';
import { contextExplicit, oid, primitive, raw, sequence, type DerElement, type DerInput } from '../../asn1/derWriter';
import type { Certificate } from '../../x509/certificate';

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280 §4.1.1.2). */
export function algorithmIdentifier(algorithm: string, parameters?: DerInput): DerElement {
  return parameters === undefined ? sequence(oid(algorithm)) : sequence(oid(algorithm), parameters);
}

/**
 * IssuerAndSerialNumber (RFC 5652 §10.2.4) with the certificate's issuer Name and serial INTEGER
 * contents copied byte for byte, so readers that compare encodings find the certificate.
 */
export function issuerAndSerialNumber(cert: Certificate): DerElement {
  return sequence(raw(cert.issuerDer), primitive(Tag.integer, cert.serialBytes));
}

/** ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT } (RFC 5652 §3), as chunks (the content not copied). */
export function contentInfoElement(contentType: string, content: DerInput): DerElement {
  return sequence(oid(contentType), contextExplicit(0, content));
}
