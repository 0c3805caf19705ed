/** GeneralName (RFC 5280 §4.2.1.6), as used by subjectAltName, CRL distribution points and AIA. */
import { Asn1Node, Tag, decodeOid, decodeString, encodeTlv, parseDer } from '../asn1/der';
import { oidName } from '../asn1/oids';
import { parseName } from './name';

export type GeneralNameType = 'email' | 'dns' | 'uri' | 'ip' | 'dirName' | 'other';

export interface GeneralName {
  type: GeneralNameType;
  value: string;
}

/** Reads one GeneralName; the CHOICE is told apart by its context tag number. */
export function parseGeneralName(node: Asn1Node): GeneralName {
  switch (node.tagNumber) {
    case 1:
      return { type: 'email', value: node.value.toString('latin1') };
    case 2:
      return { type: 'dns', value: node.value.toString('latin1') };
    case 6:
      return { type: 'uri', value: node.value.toString('latin1') };
    case 7:
      return { type: 'ip', value: formatIpAddress(node.value) };
    case 4:
      // directoryName is [4] EXPLICIT Name because Name is itself a CHOICE (X.680 §31.2.7).
      return { type: 'dirName', value: parseName(node.child(0)).text };
    case 0:
      return { type: 'other', value: describeOtherName(node) };
    case 8:
      return { type: 'other', value: `registeredID:${decodeOid(rawOid(node))}` };
    default:
      return { type: 'other', value: `[${node.tagNumber}]:${node.value.toString('hex')}` };
  }
}

/** GeneralNames ::= SEQUENCE OF GeneralName. */
export function parseGeneralNames(seq: Asn1Node): GeneralName[] {
  return seq.children.map(parseGeneralName);
}

/** otherName [0] { type-id OID, value [0] EXPLICIT ANY } e.g. a Microsoft UPN (UTF8String). */
function describeOtherName(node: Asn1Node): string {
  const typeId = decodeOid(node.child(0));
  const wrapped = node.children[1]?.children[0];
  let value = '';
  if (wrapped && !wrapped.constructed) {
    try {
      value = decodeString(wrapped);
    } catch {
      value = wrapped.value.toString('hex');
    }
  }
  return `${oidName(typeId)}:${value}`;
}

/** registeredID is [8] IMPLICIT OBJECT IDENTIFIER: re-read its contents with the universal OID tag. */
function rawOid(node: Asn1Node): Asn1Node {
  return parseDer(encodeTlv(Tag.oid, node.value));
}

/** IPv4 dotted quad, IPv6 in RFC 5952 form; name-constraint ranges (8 or 32 bytes) as address/mask. */
export function formatIpAddress(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length === 16) return formatIpv6(bytes);
  if (bytes.length === 8 || bytes.length === 32) {
    const half = bytes.length / 2;
    return `${formatIpAddress(bytes.subarray(0, half))}/${formatIpAddress(bytes.subarray(half))}`;
  }
  return bytes.toString('hex');
}

function formatIpv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  // RFC 5952 §4.2: shorten the longest run (of two or more) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
