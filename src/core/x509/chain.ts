/**
 * Certification path building and validation (RFC 4158 path building, RFC 5280 §6.1 validation).
 * Candidate issuers are matched by name and, when both sides carry them, AKI/SKI (RFC 5280 §4.2.1.1); the
 * search explores cross-certificates depth-first and keeps the best path: one that reaches a trust anchor
 * with the fewest problems.
 */
import type { Certificate } from './certificate';
import { checkPath, type ChainProblem, type PathContext } from './chainChecks';
import type { Crl } from './crl';
import { parseAuthorityKeyIdentifier } from './extensions';
import { keyUsable } from './keyStrength';

export type { ChainProblem, ChainProblemCode } from './chainChecks';

/** Real S/MIME chains are 2-4 certificates long; the bound stops cross-certificate loops early. */
export const MAX_CHAIN_LENGTH = 10;
/** Crafted bundles of cross-certificates can make the number of paths explode; stop after this many steps. */
export const MAX_PATH_SEARCH_STEPS = 500;
/** Issuer candidates tried per certificate. Real CAs have one issuer, two or three during a cross-signed
 *  migration; hundreds of certificates with one subject name are a crafted bundle. Anchors are tried first. */
export const MAX_ISSUER_CANDIDATES = 8;
/** Signature checks (certificates and CRLs) spent on one signer's chain: a few paths of a few certificates. */
export const MAX_SIGNATURE_CHECKS_PER_CHAIN = 32;
/** Public-key operations for a whole message (every signer, chain and CRL): each costs up to milliseconds, and
 *  the extension host waits for all of them. */
export const MAX_PUBLIC_KEY_OPERATIONS = 256;

/** The public-key operations a message may still spend; one object is shared by everything one message checks. */
export interface PublicKeyBudget {
  remaining: number;
}

export function publicKeyBudget(operations: number = MAX_PUBLIC_KEY_OPERATIONS): PublicKeyBudget {
  return { remaining: operations };
}

export interface ChainOptions {
  intermediates: Certificate[];
  anchors: Certificate[];
  /** The time to validate at (now, or the signing time). */
  at: Date;
  crls?: Crl[];
  /** The message's budget of public-key operations (a fresh one per call when absent). */
  budget?: PublicKeyBudget;
}

export interface ChainResult {
  /** Leaf first, up to the anchor or as far as the search got. */
  chain: Certificate[];
  /** The path reaches an anchor and has no error (warnings allowed). */
  trusted: boolean;
  anchor?: Certificate;
  problems: ChainProblem[];
}

/** Same entity: same subject name and same public key (RFC 5280 §6.1.1 (d) defines an anchor by both). */
function identity(cert: Certificate): string {
  return `${cert.subject.canonical}|${cert.spkiDer.toString('base64')}`;
}

function memoisedPairCheck<A extends object>(check: (a: A, b: Certificate) => boolean): (a: A, b: Certificate) => boolean {
  const cache = new WeakMap<A, Map<Certificate, boolean>>();
  return (a, b) => {
    let inner = cache.get(a);
    if (!inner) cache.set(a, (inner = new Map()));
    let ok = inner.get(b);
    if (ok === undefined) inner.set(b, (ok = check(a, b)));
    return ok;
  };
}

/** A candidate whose SKI contradicts the child's AKI keyIdentifier is not its issuer (as OpenSSL decides). */
function keyIdentifiersAgree(aki: Buffer | undefined, candidate: Certificate): boolean {
  const ski = candidate.subjectKeyIdentifier;
  return !aki || !ski || aki.equals(ski);
}

interface Scored {
  chain: Certificate[];
  anchor?: Certificate;
  problems: ChainProblem[];
  score: number;
}

function score(anchored: boolean, problems: ChainProblem[], length: number): number {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (anchored ? 0 : 1_000_000) + errors * 1000 + (problems.length - errors) * 10 + length;
}

export function validateChain(leaf: Certificate, opts: ChainOptions): ChainResult {
  const anchorsById = new Map(opts.anchors.map((a) => [identity(a), a]));
  const pool = [...opts.anchors, ...opts.intermediates];
  const budget = opts.budget ?? publicKeyBudget();
  let checksLeft = MAX_SIGNATURE_CHECKS_PER_CHAIN;
  let limited = false;
  let spent = false;
  /** Spends one public-key operation with `issuer`'s key, or refuses: a refused key (keyStrength.ts) is never
   *  used, and once a budget is spent every further check fails, so the path search ends untrusted. */
  const spend = (issuer: Certificate): boolean => {
    if (checksLeft <= 0 || budget.remaining <= 0) {
      limited = spent = true;
      return false;
    }
    checksLeft--; // a refused key counts as a try of this chain, though it costs the message nothing
    if (!keyUsable(issuer)) return false;
    budget.remaining--;
    return true;
  };
  const ctx: PathContext = {
    at: opts.at,
    crls: opts.crls ?? [],
    verifySignature: memoisedPairCheck((child: Certificate, issuer) => spend(issuer) && child.verifySignatureBy(issuer)),
    verifyCrl: memoisedPairCheck((crl: Crl, issuer) => spend(issuer) && crl.verifySignatureBy(issuer)),
  };
  let best: Scored | undefined;
  let steps = 0;

  const record = (path: Certificate[], anchor: Certificate | undefined, tooLong: boolean) => {
    const problems = checkPath(path, anchor !== undefined, ctx);
    if (tooLong) {
      const last = path.length - 1;
      problems.push({ code: 'chain-too-long', certIndex: last, severity: 'error', message: `no trust anchor within ${MAX_CHAIN_LENGTH} certificates` });
    }
    const s = score(anchor !== undefined, problems, path.length);
    if (!best || s < best.score) best = { chain: path, anchor, problems, score: s };
  };
  const perfect = () => best !== undefined && best.anchor !== undefined && !best.problems.some((p) => p.severity === 'error');

  // Identities and DER keys once per certificate, not once per search step.
  const ids = new Map(pool.map((c) => [c, identity(c)]));
  const ders = new Map(pool.map((c) => [c, c.der.toString('base64')]));
  const issuersOf = (cert: Certificate, seen: Set<string>): Certificate[] => {
    const found = new Map<string, Certificate>();
    const aki = parseAuthorityKeyIdentifier(cert)?.keyIdentifier;
    for (const c of pool) {
      const der = ders.get(c) ?? '';
      if (seen.has(ids.get(c) ?? '') || found.has(der)) continue;
      if (cert.isIssuedBy(c) && keyIdentifiersAgree(aki, c)) found.set(der, c);
    }
    // Anchors first, then those valid at `at` (no key operation needed), cut to MAX_ISSUER_CANDIDATES; among those,
    // issuers whose signature verifies first.
    const cheapRank = (c: Certificate) => (anchorsById.has(ids.get(c) ?? '') ? 0 : 2) + (opts.at >= c.notBefore && opts.at <= c.notAfter ? 0 : 1);
    const candidates = [...found.values()].sort((a, b) => cheapRank(a) - cheapRank(b));
    if (candidates.length > MAX_ISSUER_CANDIDATES) {
      limited = true;
      candidates.length = MAX_ISSUER_CANDIDATES;
    }
    const rank = (c: Certificate) => cheapRank(c) * 2 + (ctx.verifySignature(cert, c) ? 0 : 1);
    return candidates.sort((a, b) => rank(a) - rank(b));
  };

  const search = (path: Certificate[], seen: Set<string>) => {
    // Once the signature checks are spent no further path can verify: stop rather than walk the rest.
    if (++steps > MAX_PATH_SEARCH_STEPS || spent || perfect()) return;
    const last = path[path.length - 1];
    const anchor = anchorsById.get(identity(last));
    if (anchor) {
      // A cross-certified copy of an anchor ends the path at the anchor itself; the leaf is kept as given.
      return record(path.length > 1 ? [...path.slice(0, -1), anchor] : path, anchor, false);
    }
    if (path.length >= MAX_CHAIN_LENGTH) return record(path, undefined, true);
    const issuers = issuersOf(last, seen);
    if (issuers.length === 0) return record(path, undefined, false);
    for (const issuer of issuers) {
      search([...path, issuer], new Set([...seen, identity(issuer)]));
      if (perfect()) return;
    }
  };

  search([leaf], new Set([identity(leaf)]));
  const result = best ?? { chain: [leaf], problems: checkPath([leaf], false, ctx), anchor: undefined };
  if (limited && (result.anchor === undefined || result.problems.some((p) => p.severity === 'error'))) {
    // The search was cut short: the path it did not try might have been the right one, so say why it stopped.
    result.problems.push({
      code: 'resource-limit',
      certIndex: result.chain.length - 1,
      severity: 'error',
      message: `path search stopped: more than ${MAX_ISSUER_CANDIDATES} candidate issuers or ${MAX_SIGNATURE_CHECKS_PER_CHAIN} signature checks for one certificate chain, or the message's ${MAX_PUBLIC_KEY_OPERATIONS} public-key operations spent`,
    });
  }
  const trusted = result.anchor !== undefined && !result.problems.some((p) => p.severity === 'error');
  return { chain: result.chain, trusted, anchor: result.anchor, problems: result.problems };
}
