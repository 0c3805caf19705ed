/**
 * Name constraints (RFC 5280 §4.2.1.10, applied as in §6.1.3 (b)/(c)): a CA may restrict the names of the
 * certificates below it. Supported forms: rfc822Name, dNSName, directoryName, uniformResourceIdentifier (host
 * part) and iPAddress. A constraint of any other form fails a certificate that carries a name of that form,
 * as §4.2.1.10 requires of implementations that cannot process it.
 */
import { Asn1Node, Tag, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import type { Certificate } from './certificate';
import { parseName, type DistinguishedName } from './name';

/** GeneralName CHOICE tags (RFC 5280 §4.2.1.6). */
const EMAIL = 1;
const DNS = 2;
const DIRECTORY = 4;
const URI = 6;
const IP = 7;
const SUPPORTED_FORMS = [EMAIL, DNS, DIRECTORY, URI, IP];

interface Subtrees {
  permitted: Asn1Node[];
  excluded: Asn1Node[];
}

/** Names a certificate asserts: its subject DN, legacy emailAddress attributes (§4.2.1.10) and its SANs. */
interface CertificateName {
  form: number;
  /** Text for email/DNS/URI, RDN canonical strings for directoryName, raw bytes for iPAddress. */
  text?: string;
  rdns?: string[];
  bytes?: Buffer;
}

function subtreeBases(node: Asn1Node | undefined): Asn1Node[] {
  // GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }
  return (node?.children ?? []).map((subtree) => subtree.child(0));
}

function readSubtrees(cert: Certificate): Subtrees | undefined {
  const ext = cert.extension(OID.nameConstraints);
  if (!ext) return undefined;
  const root = parseDer(ext.value).expect(Tag.sequence, 'NameConstraints');
  return {
    permitted: subtreeBases(root.children.find((c) => c.isContext(0))),
    excluded: subtreeBases(root.children.find((c) => c.isContext(1))),
  };
}

/** Each RDN compared the way name.ts compares whole names: case and inner spaces ignored (RFC 5280 §7.1). */
function rdnStrings(name: DistinguishedName): string[] {
  return name.rdns.map((rdn) => rdn.map((a) => `${a.oid}=${a.value.trim().replace(/\s+/g, ' ').toLowerCase()}`).sort().join('+'));
}

function certificateNames(cert: Certificate): CertificateName[] {
  const names: CertificateName[] = [];
  if (cert.subject.rdns.length) names.push({ form: DIRECTORY, rdns: rdnStrings(cert.subject) });
  for (const rdn of cert.subject.rdns) for (const a of rdn) if (a.oid === OID.emailAddress) names.push({ form: EMAIL, text: a.value });
  const san = cert.extension(OID.subjectAltName);
  for (const general of san ? parseDer(san.value).children : []) {
    const form = general.tagNumber;
    if (form === DIRECTORY) names.push({ form, rdns: rdnStrings(parseName(general.child(0))) });
    else if (form === IP) names.push({ form, bytes: general.value });
    else if (form === EMAIL || form === DNS || form === URI) names.push({ form, text: general.value.toString('latin1') });
    else names.push({ form });
  }
  return names;
}

/** dNSName and URI hosts: "example.com" covers itself and its subdomains, ".example.com" only subdomains. */
function hostMatches(host: string, constraint: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const c = constraint.toLowerCase();
  if (c === '') return true;
  if (c.startsWith('.')) return h.endsWith(c);
  return h === c || h.endsWith(`.${c}`);
}

function uriHost(uri: string): string | undefined {
  const m = uri.match(/^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)/i);
  return m ? m[1] : undefined;
}

function emailMatches(email: string, constraint: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  if (constraint.includes('@')) return email.toLowerCase() === constraint.toLowerCase();
  const host = email.slice(at + 1).toLowerCase();
  const c = constraint.toLowerCase();
  // A leading dot means any host within the domain; otherwise exactly that host (§4.2.1.10).
  return c.startsWith('.') ? host.endsWith(c) : host === c;
}

function ipMatches(address: Buffer, constraint: Buffer): boolean {
  if (constraint.length !== address.length * 2) return false;
  for (let i = 0; i < address.length; i++) {
    const mask = constraint[address.length + i];
    if ((address[i] & mask) !== (constraint[i] & mask)) return false;
  }
  return true;
}

function matches(name: CertificateName, base: Asn1Node): boolean {
  const value = base.value.toString('latin1');
  switch (name.form) {
    case EMAIL:
      return emailMatches(name.text ?? '', value);
    case DNS:
      return hostMatches(name.text ?? '', value);
    case URI: {
      const host = uriHost(name.text ?? '');
      return host !== undefined && hostMatches(host, value);
    }
    case IP:
      return ipMatches(name.bytes ?? Buffer.alloc(0), base.value);
    case DIRECTORY: {
      const prefix = rdnStrings(parseName(base.child(0)));
      return prefix.every((rdn, i) => name.rdns?.[i] === rdn);
    }
    default:
      return false;
  }
}

function describeName(name: CertificateName): string {
  if (name.rdns) return `directoryName ${name.rdns.join(',')}`;
  if (name.bytes) return `IP address ${name.bytes.toString('hex')}`;
  return name.text ?? `a name of form [${name.form}]`;
}

/** Why `cert` violates the name constraints of `ca`, or an empty list when it does not. */
export function nameConstraintViolations(ca: Certificate, cert: Certificate): string[] {
  let subtrees: Subtrees | undefined;
  try {
    subtrees = readSubtrees(ca);
    if (!subtrees) return [];
    const out: string[] = [];
    for (const name of certificateNames(cert)) {
      const permitted = subtrees.permitted.filter((b) => b.tagNumber === name.form);
      const excluded = subtrees.excluded.filter((b) => b.tagNumber === name.form);
      if (!SUPPORTED_FORMS.includes(name.form)) {
        if (permitted.length || excluded.length) out.push(`${describeName(name)} is of a constrained form we cannot check`);
      } else if (excluded.some((b) => matches(name, b))) {
        out.push(`${describeName(name)} is in an excluded subtree`);
      } else if (permitted.length && !permitted.some((b) => matches(name, b))) {
        out.push(`${describeName(name)} is outside the permitted subtrees`);
      }
    }
    return out;
  } catch (e) {
    return [`unreadable name constraints: ${(e as Error).message}`];
  }
}
