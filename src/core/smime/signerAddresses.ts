/**
 * The addresses a signer certificate vouches for (RFC 8550 §3). The subjectAltName rfc822Name entries are the
 * certificate's addresses; the legacy PKCS #9 emailAddress attribute of the subject DN is read only when the
 * certificate has no rfc822Name at all (RFC 8550 §3: receiving agents must still recognise it). A DN address
 * that differs from the SAN ones is not used and is shown as a warning: a CA checks the SAN, and a viewer that
 * shows the DN would show an address nobody verified. An address with a control character or that is not a
 * plain addr-spec is unusable: a NUL can cut "alice@example.com\0.evil.example" short in C readers.
 */
import { OID } from '../asn1/oids';
import type { Certificate } from '../x509/certificate';
import { readExtension } from '../x509/extensions';
import { parseGeneralNames } from '../x509/generalName';
import { forbiddenCharacter, isStrictAddrSpec } from './mailboxList';
import { reason, type Reason } from './report';

export interface SignerAddresses {
  /** Lower-case addresses the From (or Sender) may match, SAN first. */
  usable: string[];
  /** Why some certificate addresses were not used. */
  reasons: Reason[];
}

const RFC = 'RFC 8550 §3';

function printable(address: string): string {
  return JSON.stringify(address).slice(1, -1);
}

function usableAddress(address: string, where: string, reasons: Reason[]): string | undefined {
  const bad = forbiddenCharacter(address);
  if (bad || !isStrictAddrSpec(address)) {
    reasons.push(reason('unusable-address', 'warning', `the ${where} address "${printable(address)}" is not used: ${bad ? `it holds a ${bad}` : 'it is not a plain addr-spec'}`, RFC));
    return undefined;
  }
  return address.toLowerCase();
}

export function signerAddresses(cert: Certificate): SignerAddresses {
  const reasons: Reason[] = [];
  const san = readExtension(cert, OID.subjectAltName, parseGeneralNames);
  if (san.present && san.error) {
    // An unreadable SAN may hold the real addresses: the DN is no substitute for it.
    reasons.push(reason('unusable-address', 'warning', `the subjectAltName cannot be read, so the certificate names no usable address: ${san.error}`, 'RFC 5280 §4.2.1.6'));
    return { usable: [], reasons };
  }
  const sanAddresses = (san.present ? san.value ?? [] : []).filter((n) => n.type === 'email').map((n) => n.value);
  const dnAddresses = cert.subject.rdns.flat().filter((a) => a.oid === OID.emailAddress).map((a) => a.value);
  const usable = new Set<string>();
  for (const a of sanAddresses) {
    const ok = usableAddress(a, 'subjectAltName', reasons);
    if (ok) usable.add(ok);
  }
  if (sanAddresses.length > 0) {
    for (const a of dnAddresses) {
      if (usable.has(a.toLowerCase())) continue;
      reasons.push(reason('subject-email-mismatch', 'warning', `the subject DN names "${printable(a)}", which is not among the subjectAltName addresses (${sanAddresses.map(printable).join(', ')}): only those are used`, RFC));
    }
  } else {
    for (const a of dnAddresses) {
      const ok = usableAddress(a, 'subject DN', reasons);
      if (ok) usable.add(ok);
    }
  }
  return { usable: [...usable], reasons };
}
