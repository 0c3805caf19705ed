/**
 * SignedData (RFC 5652 §5) read into offsets of the original DER, so the signed attributes and the
 * encapsulated content are hashed exactly as they were sent.
 */
import { Asn1Node, Asn1Error, Tag, decodeOid, decodeSmallInteger, decodeTime, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import { Certificate } from '../x509/certificate';

/** A message may carry a chain; thousands of certificates are an attack on the chain builder. */
export const MAX_EMBEDDED_CERTIFICATES = 256;
/** Real messages carry one or two signers; more is a resource attack. */
export const MAX_SIGNER_INFOS = 64;

export type SignerIdentifier =
  | { type: 'issuerAndSerialNumber'; issuerDer: Buffer; serialBytes: Buffer }
  | { type: 'subjectKeyIdentifier'; ski: Buffer };

export interface AlgorithmIdentifier {
  oid: string;
  /** The parameters element, if any (absent and NULL are both possible). */
  params?: Asn1Node;
}

/** SignerInfo, RFC 5652 §5.3. */
export interface SignerInfo {
  version: number;
  sid: SignerIdentifier;
  digestAlgorithm: AlgorithmIdentifier;
  /**
   * The signed attributes re-tagged as the DER SET OF they are signed as (RFC 5652 §5.4): the original
   * bytes with the [0] IMPLICIT tag replaced by 0x31, nothing re-encoded.
   */
  signedAttrsDer?: Buffer;
  signedAttrs?: Map<string, Asn1Node[]>;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Buffer;
  unsignedAttrs?: Map<string, Asn1Node[]>;
  /** Each attribute as written, in order, with its number of values: the maps above merge repeats, and the
   *  rules of RFC 5652 §11 are about repeats and placement (attributeRules.ts). */
  attributeShapes: AttributeShape[];
}

export interface AttributeShape {
  oid: string;
  signed: boolean;
  values: number;
}

export interface SignedData {
  version: number;
  digestAlgorithms: string[];
  eContentType: string;
  /** The eContent OCTET STRING (opaque signing), absent for a detached signature. */
  eContent?: Asn1Node;
  certificates: Certificate[];
  /** Entries of the certificates field we could not read (attribute certificates, garbage). */
  unreadableCertificates: number;
  crls: Buffer[];
  signerInfos: SignerInfo[];
}

function algorithm(node: Asn1Node): AlgorithmIdentifier {
  node.expect(Tag.sequence, 'AlgorithmIdentifier');
  return { oid: decodeOid(node.child(0)), params: node.children[1] };
}

function attributes(node: Asn1Node, signed: boolean, shapes: AttributeShape[]): Map<string, Asn1Node[]> {
  const map = new Map<string, Asn1Node[]>();
  for (const attr of node.children) {
    const oid = decodeOid(attr.child(0));
    const values = attr.child(1).children;
    shapes.push({ oid, signed, values: values.length });
    const list = map.get(oid);
    if (list) list.push(...values);
    else map.set(oid, [...values]);
  }
  return map;
}

function signerIdentifier(node: Asn1Node): SignerIdentifier {
  if (node.isContext(0)) return { type: 'subjectKeyIdentifier', ski: node.octets() };
  node.expect(Tag.sequence, 'IssuerAndSerialNumber');
  return { type: 'issuerAndSerialNumber', issuerDer: node.child(0).raw, serialBytes: node.child(1).value };
}

function parseSignerInfo(node: Asn1Node): SignerInfo {
  const c = node.children;
  let i = 0;
  const version = c[i++].value[0] ?? 0;
  const sid = signerIdentifier(c[i++]);
  const digestAlgorithm = algorithm(c[i++]);
  let signedAttrsDer: Buffer | undefined;
  let signedAttrs: Map<string, Asn1Node[]> | undefined;
  const attributeShapes: AttributeShape[] = [];
  if (c[i]?.isContext(0)) {
    const raw = c[i].raw;
    // RFC 5652 §5.4: the signature covers the DER of the SET OF, i.e. the same bytes with tag 0x31.
    signedAttrsDer = Buffer.concat([Buffer.from([Tag.set]), raw.subarray(1)]);
    signedAttrs = attributes(c[i], true, attributeShapes);
    i++;
  }
  const signatureAlgorithm = algorithm(c[i++]);
  const sigNode = c[i++];
  if (!sigNode) throw new Asn1Error('SignerInfo has no signature', node.start);
  const signature = sigNode.octets();
  const unsignedAttrs = c[i]?.isContext(1) ? attributes(c[i], false, attributeShapes) : undefined;
  return { version, sid, digestAlgorithm, signedAttrsDer, signedAttrs, signatureAlgorithm, signature, unsignedAttrs, attributeShapes };
}

/** Parses the `content` of a ContentInfo whose type is id-signedData. Throws Asn1Error on malformed input. */
export function parseSignedData(content: Asn1Node): SignedData {
  const sd = content.expect(Tag.sequence, 'SignedData');
  const c = sd.children;
  const version = c[0].value[0] ?? 0;
  const digestAlgorithms = c[1].children.map((a) => decodeOid(a.child(0)));
  const encap = c[2].expect(Tag.sequence, 'EncapsulatedContentInfo');
  const eContentType = decodeOid(encap.child(0));
  const eContent = encap.children[1]?.isContext(0) ? encap.children[1].child(0) : undefined;
  const certificates: Certificate[] = [];
  let unreadableCertificates = 0;
  const crls: Buffer[] = [];
  let i = 3;
  if (c[i]?.isContext(0)) {
    for (const cert of c[i].children.slice(0, MAX_EMBEDDED_CERTIFICATES)) {
      if (!cert.is(Tag.sequence)) {
        unreadableCertificates++;
        continue;
      }
      try {
        certificates.push(new Certificate(Buffer.from(cert.raw)));
      } catch {
        unreadableCertificates++;
      }
    }
    i++;
  }
  if (c[i]?.isContext(1)) {
    for (const crl of c[i].children) if (crl.is(Tag.sequence)) crls.push(crl.raw);
    i++;
  }
  const signerSet = c[i];
  if (!signerSet || !signerSet.is(Tag.set)) throw new Asn1Error('SignedData has no signerInfos', sd.start);
  const signerInfos = signerSet.children.slice(0, MAX_SIGNER_INFOS).map(parseSignerInfo);
  return { version, digestAlgorithms, eContentType, eContent, certificates, unreadableCertificates, crls, signerInfos };
}

export function signedAttribute(signer: SignerInfo, oid: string): Asn1Node | undefined {
  return signer.signedAttrs?.get(oid)?.[0];
}

/** signingTime (RFC 5652 §11.3), if present and readable. */
export function signingTimeOf(signer: SignerInfo): Date | undefined {
  const node = signedAttribute(signer, OID.signingTime);
  if (!node) return undefined;
  try {
    return decodeTime(node);
  } catch {
    return undefined;
  }
}

export interface SmimeCapability {
  oid: string;
  /** An INTEGER parameter when present (RC2 effective key bits, RFC 8551 §2.5.2). */
  bits?: number;
}

/** SMIMECapabilities (RFC 8551 §2.5.2) in the sender's order of preference. */
export function smimeCapabilitiesOf(signer: SignerInfo): SmimeCapability[] {
  const node = signedAttribute(signer, OID.smimeCapabilities);
  if (!node) return [];
  try {
    return node.children.map((cap) => {
      const param = cap.children[1];
      const bits = param?.is(Tag.integer) ? decodeSmallInteger(param) : undefined;
      return bits === undefined ? { oid: decodeOid(cap.child(0)) } : { oid: decodeOid(cap.child(0)), bits };
    });
  } catch {
    return [];
  }
}

/** Whether `cert` is the one a SignerIdentifier names (RFC 5652 §5.3). */
export function certificateMatches(sid: SignerIdentifier, cert: Certificate): boolean {
  if (sid.type === 'subjectKeyIdentifier') {
    const ski = cert.subjectKeyIdentifier;
    return !!ski && ski.equals(sid.ski);
  }
  return sameInteger(sid.serialBytes, cert.serialBytes) && sid.issuerDer.equals(cert.issuerDer);
}

/** Compares INTEGER contents by value (ignores redundant leading zero octets some encoders write). */
export function sameInteger(a: Buffer, b: Buffer): boolean {
  const strip = (x: Buffer) => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    return x.subarray(i);
  };
  return strip(a).equals(strip(b));
}

export { parseDer };
