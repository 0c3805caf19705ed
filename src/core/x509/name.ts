/** X.501 Name as used in certificates (RFC 5280 §4.1.2.4). */
import { Asn1Node, decodeOid, decodeString } from '../asn1/der';
import { OID, oidName } from '../asn1/oids';

export interface RdnAttribute {
  oid: string;
  /** Short name where one is customary (CN, O, OU, C, ...), else the OID name or dotted OID. */
  name: string;
  value: string;
}

export interface DistinguishedName {
  /** RDNs in encoding order (most significant first); each RDN may hold several attributes. */
  rdns: RdnAttribute[][];
  /** RFC 4514-style string, most specific first (CN=..., O=..., C=...). */
  text: string;
  /** Case- and space-insensitive form used when the DER differs but the name is the same (RFC 5280 §7.1). */
  canonical: string;
  /** The most specific commonName (the last one in encoding order), for showing who a certificate names. */
  commonName: string | null;
}

const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.countryName]: 'C',
  [OID.localityName]: 'L',
  [OID.stateOrProvinceName]: 'ST',
  [OID.streetAddress]: 'STREET',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.domainComponent]: 'DC',
  [OID.userId]: 'UID',
  [OID.emailAddress]: 'E',
  [OID.serialNumber]: 'serialNumber',
  [OID.surname]: 'SN',
  [OID.givenName]: 'GN',
  [OID.title]: 'T',
};

function escapeRdnValue(v: string): string {
  return v.replace(/([,+"\\<>;])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

export function parseName(node: Asn1Node): DistinguishedName {
  const rdns: RdnAttribute[][] = [];
  for (const set of node.children) {
    const rdn: RdnAttribute[] = [];
    for (const atv of set.children) {
      const oid = decodeOid(atv.child(0));
      const valueNode = atv.child(1);
      let value: string;
      try {
        value = decodeString(valueNode);
      } catch {
        value = '#' + valueNode.raw.toString('hex');
      }
      rdn.push({ oid, name: SHORT_NAMES[oid] ?? oidName(oid), value });
    }
    rdns.push(rdn);
  }
  const text = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${a.name}=${escapeRdnValue(a.value)}`).join('+'))
    .join(', ');
  const canonical = rdns
    .map((rdn) => rdn.map((a) => `${a.oid}=${a.value.trim().replace(/\s+/g, ' ').toLowerCase()}`).sort().join('+'))
    .join(',');
  let commonName: string | null = null;
  for (const rdn of rdns) for (const a of rdn) if (a.oid === OID.commonName) commonName = a.value;
  return { rdns, text, canonical, commonName };
}

/** The first value of an attribute type, e.g. the CN. */
export function nameAttribute(name: DistinguishedName, oid: string): string | undefined {
  for (const rdn of name.rdns) for (const a of rdn) if (a.oid === oid) return a.value;
  return undefined;
}
