/** X.509 v2 Certificate Revocation Lists (RFC 5280 §5). */
import { Asn1Error, Asn1Node, Tag, decodeBitString, decodeIntegerHex, decodeOid, decodeSmallInteger, decodeTime, parseDer } from '../asn1/der';
import { OID, oidName } from '../asn1/oids';
import type { Certificate } from './certificate';
import { decodeAuthorityKeyIdentifier } from './extensions';
import { parseName, type DistinguishedName } from './name';
import { algorithmParameters, signatureAlgorithmName, verifyWithAlgorithm } from './signatureAlgorithm';

/** CRLReason names by ENUMERATED value (RFC 5280 §5.3.1; 7 is unused). */
const REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** CRL extensions we understand; a CRL with any other critical extension must not be used (RFC 5280 §5.2). */
const KNOWN_CRL_EXTENSIONS: readonly string[] = [OID.crlNumber, OID.authorityKeyIdentifier, OID.issuingDistributionPoint, OID.deltaCrlIndicator];

export interface RevokedEntry {
  /** Upper-case hex without leading zeros, comparable with Certificate.serialHex. */
  serialHex: string;
  revocationDate: Date;
  reason?: string;
  invalidityDate?: Date;
}

export class Crl {
  readonly der: Buffer;
  readonly version: number;
  readonly issuerDer: Buffer;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revoked: RevokedEntry[];
  readonly signatureAlgorithm: string;
  /** Readable name of the signature algorithm ('sha256WithRSAEncryption'). */
  readonly signatureAlgorithmName: string;
  /** cRLNumber in decimal (up to 20 octets, RFC 5280 §5.2.3, so not a JS number). */
  readonly crlNumber?: string;
  readonly authorityKeyIdentifier?: Buffer;
  readonly isDelta: boolean;
  /** Critical extensions we do not understand (the CRL should then be ignored). */
  readonly unknownCriticalExtensions: string[];
  private readonly tbsRaw: Buffer;
  private readonly signatureValue: Buffer;
  private readonly signatureParams?: Asn1Node;
  private readonly bySerial: Map<string, RevokedEntry>;

  constructor(der: Buffer) {
    const root = parseDer(der).expect(Tag.sequence, 'CertificateList');
    this.der = der.subarray(0, root.end);
    const tbs = root.child(0).expect(Tag.sequence, 'TBSCertList');
    this.tbsRaw = tbs.raw;
    const sigAlg = root.child(1).expect(Tag.sequence, 'signatureAlgorithm');
    this.signatureAlgorithm = decodeOid(sigAlg.child(0));
    this.signatureParams = algorithmParameters(sigAlg);
    this.signatureAlgorithmName = signatureAlgorithmName(this.signatureAlgorithm, this.signatureParams);
    this.signatureValue = decodeBitString(root.child(2).expect(Tag.bitString, 'signatureValue')).bytes;
    const fields = [...tbs.children];
    const take = (what: string): Asn1Node => {
      const node = fields.shift();
      if (!node) throw new Asn1Error(`TBSCertList lacks ${what}`, tbs.start);
      return node;
    };
    this.version = fields[0]?.is(Tag.integer) ? decodeSmallInteger(take('version')) + 1 : 1;
    take('signature'); // the AlgorithmIdentifier repeated inside the signed part
    const issuer = take('issuer').expect(Tag.sequence, 'issuer');
    this.issuerDer = issuer.raw;
    this.issuer = parseName(issuer);
    this.thisUpdate = decodeTime(take('thisUpdate'));
    if (fields[0]?.is(Tag.utcTime) || fields[0]?.is(Tag.generalizedTime)) this.nextUpdate = decodeTime(take('nextUpdate'));
    this.revoked = fields[0]?.is(Tag.sequence) ? take('revokedCertificates').children.map(parseEntry) : [];
    this.bySerial = new Map(this.revoked.map((e) => [e.serialHex, e]));
    const extensions = fields.find((f) => f.isContext(0))?.child(0).children ?? [];
    const unknown: string[] = [];
    let isDelta = false;
    for (const ext of extensions) {
      const oid = decodeOid(ext.child(0));
      const critical = ext.children.length === 3 && ext.child(1).value[0] !== 0;
      const value = parseDer(ext.children[ext.children.length - 1].octets());
      if (oid === OID.crlNumber) this.crlNumber = BigInt(`0x${decodeIntegerHex(value)}`).toString();
      else if (oid === OID.authorityKeyIdentifier) this.authorityKeyIdentifier = decodeAuthorityKeyIdentifier(value).keyIdentifier;
      else if (oid === OID.deltaCrlIndicator) isDelta = true;
      if (critical && !KNOWN_CRL_EXTENSIONS.includes(oid)) unknown.push(oidName(oid));
    }
    this.isDelta = isDelta;
    this.unknownCriticalExtensions = unknown;
  }

  /** Verifies the CRL's signature with `issuer`'s public key (RFC 5280 §6.3.3 (f)). */
  verifySignatureBy(issuer: Certificate): boolean {
    try {
      return verifyWithAlgorithm(this.signatureAlgorithm, this.signatureParams, this.tbsRaw, this.signatureValue, issuer.publicKey);
    } catch {
      return false;
    }
  }

  /** True when this CRL's issuer Name equals the certificate's subject (byte-exact, then canonical). */
  isIssuedBy(issuer: Certificate): boolean {
    return this.issuerDer.equals(issuer.subjectDer) || this.issuer.canonical === issuer.subject.canonical;
  }

  /** The entry for a serial, unless it was taken off hold by a delta CRL (removeFromCRL, RFC 5280 §5.3.1). */
  entryFor(serialHex: string): RevokedEntry | undefined {
    const entry = this.bySerial.get(serialHex.toUpperCase());
    return entry && entry.reason !== 'removeFromCRL' ? entry : undefined;
  }

  toPem(): string {
    const b64 = this.der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
    return `-----BEGIN X509 CRL-----\n${b64}\n-----END X509 CRL-----\n`;
  }
}

/** revokedCertificates entry: SEQUENCE { userCertificate, revocationDate, crlEntryExtensions OPTIONAL }. */
function parseEntry(node: Asn1Node): RevokedEntry {
  const entry: RevokedEntry = {
    serialHex: decodeIntegerHex(node.child(0).expect(Tag.integer, 'userCertificate')),
    revocationDate: decodeTime(node.child(1)),
  };
  for (const ext of node.children[2]?.children ?? []) {
    const oid = decodeOid(ext.child(0));
    const value = parseDer(ext.children[ext.children.length - 1].octets());
    if (oid === OID.cRLReason) entry.reason = REASONS[value.value[0]] ?? `reason ${value.value[0]}`;
    else if (oid === OID.invalidityDate) entry.invalidityDate = decodeTime(value);
  }
  return entry;
}

/** Parses a DER CRL; throws Asn1Error when the bytes are not one (see tryParseCrl). */
export function parseCrl(der: Buffer): Crl {
  return new Crl(der);
}

export function tryParseCrl(der: Buffer): Crl | undefined {
  try {
    return new Crl(der);
  } catch {
    return undefined;
  }
}
