/**
 * The checks run on one candidate certification path (RFC 5280 §6.1 basic path validation, without policy
 * processing, as OpenSSL does by default): signatures, validity, CA and name constraints, critical
 * extensions, CRLs.
 */
import { OID, oidName } from '../asn1/oids';
import type { Certificate } from './certificate';
import type { Crl } from './crl';
import { decodeBasicConstraints, decodeKeyUsage, readExtension } from './extensions';
import { nameConstraintViolations } from './nameConstraints';

export type ChainProblemCode =
  | 'untrusted-root'
  | 'bad-cert-signature'
  | 'cert-expired'
  | 'cert-not-yet-valid'
  | 'ca-constraint'
  | 'revoked'
  | 'crl-stale'
  | 'crl-invalid'
  | 'unknown-critical-extension'
  | 'name-constraint'
  | 'chain-too-long'
  | 'resource-limit';

export interface ChainProblem {
  code: ChainProblemCode;
  message: string;
  /** Index in `chain` of the certificate concerned (0 = leaf). */
  certIndex: number;
  /** Warnings (stale or unusable CRLs) do not make the chain untrusted. */
  severity: 'error' | 'warning';
}

/**
 * Critical extensions whose semantics we apply (or, for the policy extensions, deliberately leave to the
 * caller like OpenSSL's default of no policy checking). Anything else critical fails the path (RFC 5280 §4.2).
 */
const HANDLED_CRITICAL_EXTENSIONS: readonly string[] = [
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.crlDistributionPoints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.nameConstraints,
];

export interface PathContext {
  at: Date;
  crls: Crl[];
  verifySignature: (child: Certificate, issuer: Certificate) => boolean;
  verifyCrl: (crl: Crl, issuer: Certificate) => boolean;
}

function label(cert: Certificate): string {
  return `"${cert.subject.text || cert.serialHex}"`;
}

function problem(code: ChainProblemCode, certIndex: number, message: string, severity: 'error' | 'warning' = 'error'): ChainProblem {
  return { code, certIndex, message, severity };
}

function checkValidity(cert: Certificate, index: number, at: Date): ChainProblem[] {
  if (at < cert.notBefore) return [problem('cert-not-yet-valid', index, `${label(cert)} is not valid before ${cert.notBefore.toISOString()}`)];
  if (at > cert.notAfter) return [problem('cert-expired', index, `${label(cert)} expired on ${cert.notAfter.toISOString()}`)];
  return [];
}

function checkCriticalExtensions(cert: Certificate, index: number): ChainProblem[] {
  return cert.extensions
    .filter((e) => e.critical && !HANDLED_CRITICAL_EXTENSIONS.includes(e.oid))
    .map((e) => problem('unknown-critical-extension', index, `${label(cert)} has a critical ${oidName(e.oid)} extension we do not process`));
}

/**
 * An issuing certificate must be a CA (RFC 5280 §6.1.4 (k)), allow keyCertSign (§6.1.4 (n)) and respect its
 * pathLenConstraint: the non-self-issued intermediates below it may not exceed it (§6.1.4 (l), (m)).
 */
function checkIssuer(path: Certificate[], index: number, isAnchor: boolean): ChainProblem[] {
  const cert = path[index];
  const out: ChainProblem[] = [];
  const bc = readExtension(cert, OID.basicConstraints, decodeBasicConstraints);
  const ku = readExtension(cert, OID.keyUsage, decodeKeyUsage);
  // Trust anchors are trusted as given (RFC 5280 §6.1.1 (d)); like OpenSSL we still want some sign of a CA
  // from one without basicConstraints: being version 1 (no extensions at all) or a keyUsage with keyCertSign.
  const legacyAnchor = isAnchor && !bc.present && (cert.version < 3 || (ku.present && ku.value?.includes('keyCertSign')));
  if (!legacyAnchor && !(bc.present && bc.value?.ca)) {
    out.push(problem('ca-constraint', index, `${label(cert)} issues certificates but is not a CA (basicConstraints cA is not true)`));
  }
  const pathLen = bc.present ? bc.value?.pathLen : undefined;
  if (pathLen !== undefined) {
    const below = path.slice(1, index).filter((c) => !c.isSelfIssued).length;
    if (below > pathLen) out.push(problem('ca-constraint', index, `${label(cert)} allows ${pathLen} intermediate(s) below it, the chain has ${below}`));
  }
  if (ku.present && !ku.value?.includes('keyCertSign')) {
    out.push(problem('ca-constraint', index, `${label(cert)} issues certificates but its keyUsage lacks keyCertSign`));
  }
  return out;
}

/**
 * A CA's name constraints bind every certificate below it, except self-issued intermediates
 * (RFC 5280 §6.1.3 (b), §6.1.4 (b)).
 */
function checkNameConstraints(path: Certificate[], index: number): ChainProblem[] {
  const ca = path[index];
  if (!ca.extension(OID.nameConstraints)) return [];
  const out: ChainProblem[] = [];
  for (let j = 0; j < index; j++) {
    if (j > 0 && path[j].isSelfIssued) continue;
    for (const why of nameConstraintViolations(ca, path[j])) {
      out.push(problem('name-constraint', j, `${label(path[j])} breaks the name constraints of ${label(ca)}: ${why}`));
    }
  }
  return out;
}

/** CRLs from `issuer` that may be used: signed by its key, with known critical extensions (RFC 5280 §6.3.3). */
function usableCrls(issuer: Certificate, index: number, ctx: PathContext, out: ChainProblem[]): Crl[] {
  const usable: Crl[] = [];
  const ku = readExtension(issuer, OID.keyUsage, decodeKeyUsage);
  const skiHex = issuer.subjectKeyIdentifier?.toString('hex');
  for (const crl of ctx.crls) {
    if (!crl.isIssuedBy(issuer)) continue;
    if (crl.authorityKeyIdentifier && skiHex && crl.authorityKeyIdentifier.toString('hex') !== skiHex) continue;
    const from = `CRL from ${label(issuer)} (${crl.thisUpdate.toISOString()})`;
    if (!ctx.verifyCrl(crl, issuer)) out.push(problem('crl-invalid', index, `${from} has a bad signature; ignored`, 'warning'));
    else if (ku.present && !ku.value?.includes('cRLSign')) out.push(problem('crl-invalid', index, `${from}: issuer keyUsage lacks cRLSign; ignored`, 'warning'));
    else if (crl.unknownCriticalExtensions.length) {
      out.push(problem('crl-invalid', index, `${from} has unknown critical extensions (${crl.unknownCriticalExtensions.join(', ')}); ignored`, 'warning'));
    } else usable.push(crl);
  }
  return usable;
}

function checkRevocation(cert: Certificate, issuer: Certificate, index: number, ctx: PathContext): ChainProblem[] {
  const out: ChainProblem[] = [];
  let stale = false;
  for (const crl of usableCrls(issuer, index, ctx, out)) {
    if (crl.nextUpdate && crl.nextUpdate < ctx.at) stale = true;
    const entry = crl.entryFor(cert.serialHex);
    if (entry) {
      const reason = entry.reason ? ` (${entry.reason})` : '';
      out.push(problem('revoked', index, `${label(cert)} was revoked on ${entry.revocationDate.toISOString()}${reason}`));
      break;
    }
  }
  if (stale) out.push(problem('crl-stale', index, `the CRL for ${label(cert)} is past its nextUpdate`, 'warning'));
  return out;
}

/** Every problem of `path` (leaf first); `anchored` says whether its last certificate is a trust anchor. */
export function checkPath(path: Certificate[], anchored: boolean, ctx: PathContext): ChainProblem[] {
  const out: ChainProblem[] = [];
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    if (!ctx.verifySignature(path[i], path[i + 1])) {
      out.push(problem('bad-cert-signature', i, `the signature on ${label(path[i])} does not verify with the key of ${label(path[i + 1])}`));
    }
  }
  if (!anchored) {
    const tail = path[last];
    const why = tail.isSelfIssued ? 'is self-signed and not a trust anchor' : 'was issued by a certificate we do not have';
    out.push(problem('untrusted-root', last, `${label(tail)} ${why}`));
  }
  path.forEach((cert, i) => {
    out.push(...checkValidity(cert, i, ctx.at), ...checkCriticalExtensions(cert, i));
    if (i > 0) out.push(...checkIssuer(path, i, anchored && i === last), ...checkNameConstraints(path, i));
    if (i < last) out.push(...checkRevocation(cert, path[i + 1], i, ctx));
  });
  return out;
}
