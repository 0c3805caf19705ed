/**
 * An X.509 certificate (RFC 5280 §4.1) read from its DER, keeping the exact bytes of the parts that
 * CMS matches on (issuer Name, serial number, subjectKeyIdentifier) so comparisons are byte-exact.
 * Signature checks are delegated to node:crypto's X509Certificate.
 */
import { X509Certificate, createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { Asn1Node, Tag, decodeBitString, decodeIntegerHex, decodeOid, decodeTime, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import { parseName, type DistinguishedName } from './name';

export interface Extension {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING contents (the DER of the extension's own value). */
  value: Buffer;
}

export class Certificate {
  /** The whole certificate, as a view of the input. */
  readonly der: Buffer;
  readonly tbs: Asn1Node;
  readonly version: number;
  /** Serial number as upper-case hex without leading zeros. */
  readonly serialHex: string;
  /** The serial INTEGER contents exactly as encoded (for issuerAndSerialNumber matching). */
  readonly serialBytes: Buffer;
  /** The DER of the issuer and subject Names (matching compares these bytes, RFC 5652 §10.2.4). */
  readonly issuerDer: Buffer;
  readonly subjectDer: Buffer;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  readonly spkiDer: Buffer;
  readonly publicKeyAlgorithm: string;
  /** Curve OID for EC keys. */
  readonly publicKeyCurve?: string;
  readonly signatureAlgorithm: string;
  readonly extensions: Extension[];

  private cachedX509?: X509Certificate;
  private cachedKey?: KeyObject;

  constructor(der: Buffer) {
    const root = parseDer(der).expect(Tag.sequence, 'Certificate');
    this.der = der.subarray(0, root.end);
    const tbs = root.child(0).expect(Tag.sequence, 'TBSCertificate');
    this.tbs = tbs;
    this.signatureAlgorithm = decodeOid(root.child(1).child(0));
    let i = 0;
    let version = 1;
    if (tbs.child(0).isContext(0)) {
      version = tbs.child(0).child(0).value[0] + 1;
      i = 1;
    }
    this.version = version;
    const serial = tbs.child(i).expect(Tag.integer, 'serialNumber');
    this.serialBytes = serial.value;
    this.serialHex = decodeIntegerHex(serial);
    const issuer = tbs.child(i + 2).expect(Tag.sequence, 'issuer');
    this.issuerDer = issuer.raw;
    this.issuer = parseName(issuer);
    const validity = tbs.child(i + 3);
    this.notBefore = decodeTime(validity.child(0));
    this.notAfter = decodeTime(validity.child(1));
    const subject = tbs.child(i + 4).expect(Tag.sequence, 'subject');
    this.subjectDer = subject.raw;
    this.subject = parseName(subject);
    const spki = tbs.child(i + 5).expect(Tag.sequence, 'subjectPublicKeyInfo');
    this.spkiDer = spki.raw;
    const algId = spki.child(0);
    this.publicKeyAlgorithm = decodeOid(algId.child(0));
    const param = algId.children[1];
    if (param && param.is(Tag.oid)) this.publicKeyCurve = decodeOid(param);
    const exts: Extension[] = [];
    for (const c of tbs.children.slice(i + 6)) {
      if (!c.isContext(3)) continue;
      for (const ext of c.child(0).children) {
        const oid = decodeOid(ext.child(0));
        const critical = ext.children.length === 3 && ext.child(1).is(Tag.boolean) && ext.child(1).value[0] !== 0;
        exts.push({ oid, critical, value: ext.children[ext.children.length - 1].octets() });
      }
    }
    this.extensions = exts;
  }

  extension(oid: string): Extension | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  /** subjectKeyIdentifier contents (RFC 5280 §4.2.1.2), if the certificate has one. */
  get subjectKeyIdentifier(): Buffer | undefined {
    const ext = this.extension(OID.subjectKeyIdentifier);
    if (!ext) return undefined;
    try {
      return parseDer(ext.value).value;
    } catch {
      return undefined;
    }
  }

  /** The raw public key bits (for SKI method 1 comparisons). */
  get publicKeyBits(): Buffer {
    const spki = parseDer(this.spkiDer);
    return decodeBitString(spki.child(1)).bytes;
  }

  get x509(): X509Certificate {
    if (!this.cachedX509) this.cachedX509 = new X509Certificate(this.der);
    return this.cachedX509;
  }

  get publicKey(): KeyObject {
    if (!this.cachedKey) this.cachedKey = createPublicKey({ key: this.spkiDer, format: 'der', type: 'spki' });
    return this.cachedKey;
  }

  fingerprint(algorithm: 'sha1' | 'sha256'): string {
    return createHash(algorithm).update(this.der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
  }

  /** True when this certificate's issuer Name equals `other`'s subject Name (byte-exact DER first). */
  isIssuedBy(other: Certificate): boolean {
    return this.issuerDer.equals(other.subjectDer) || this.issuer.canonical === other.subject.canonical;
  }

  get isSelfIssued(): boolean {
    return this.isIssuedBy(this);
  }

  /** Verifies this certificate's signature with `issuer`'s public key (node:crypto). */
  verifySignatureBy(issuer: Certificate): boolean {
    try {
      return this.x509.verify(issuer.publicKey);
    } catch {
      return false;
    }
  }

  toPem(): string {
    const b64 = this.der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
    return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
  }
}

/** Parses DER; returns undefined instead of throwing for bytes that are not a certificate. */
export function tryParseCertificate(der: Buffer): Certificate | undefined {
  try {
    return new Certificate(der);
  } catch {
    return undefined;
  }
}
