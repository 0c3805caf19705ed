/**
 * Verifies one SignerInfo (RFC 5652 §5.6) and judges its certificate (RFC 8550, RFC 5280) and its
 * relation to the message (RFC 8550 §3 address match, signing time vs Date).
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeOid } from '../asn1/der';
import { OID } from '../asn1/oids';
import {
  certificateMatches,
  signedAttribute,
  signingTimeOf,
  smimeCapabilitiesOf,
  type SignedData,
  type SignerInfo,
} from '../cms/signedData';
import {
  digestLabel,
  digestName,
  schemeHash,
  signatureScheme,
  verifyParams,
  type SignatureScheme,
} from '../cms/signatureAlgorithms';
import type { DigestName } from '../digests';
import type { Certificate } from '../x509/certificate';
import { validateChain, type PublicKeyBudget } from '../x509/chain';
import { keyWeakness } from '../x509/keyStrength';
import type { Crl } from '../x509/crl';
import { checkSignerUsage } from '../x509/usage';
import { capabilityName } from './capabilities';
import type { MailboxList } from './mailboxList';
import type { CertificateRegistry } from './certificateRegistry';
import { reason, statusForReason, worstStatus, type Check, type Reason, type SignerReport } from './report';
import { bindSender, type SenderFields } from './senderBinding';
import { signerAddresses } from './signerAddresses';

/** Thunderbird flags a signingTime more than one hour from the Date header (VERIFY_TIME_MISMATCH). */
export const SIGNING_TIME_TOLERANCE_MS = 60 * 60 * 1000;

export interface TrustOptions {
  anchors: Certificate[];
  /** Certificates configured by the user (intermediates, known signers) besides the message's own. */
  extraCertificates: Certificate[];
  crls: Crl[];
  /** Validation time: now, or the user's --at. */
  at: Date;
  /** SHA-1 signatures are rejected unless allowed (Thunderbird 115+ policy); they are always flagged weak. */
  allowSha1: boolean;
  /**
   * How the caller's user turns SHA-1 on, for the message that says it is off: the command line's flag by default,
   * the extension's setting in VS Code.
   */
  allowSha1Option?: string;
  /** Public-key operations the message may still spend (shared by all its signers; see MAX_PUBLIC_KEY_OPERATIONS). */
  budget?: PublicKeyBudget;
}

/** The command line's way to accept SHA-1 signatures (the default of TrustOptions.allowSha1Option). */
export const CLI_ALLOW_SHA1_OPTION = '--allow-sha1';

/** Decoded values of the fields header protection compares (RFC 8551 §3.1). */
export interface ShownHeaders {
  from: string[];
  to: string[];
  subject: string[];
}

export interface MessageContext extends SenderFields {
  date: Date | null;
  dateHeaderPresent: boolean;
  shown: ShownHeaders;
  /** The header fields inside the signed content, when it protects them (RFC 8551 §3.1). */
  protected?: { from: MailboxList[]; shown: ShownHeaders };
}

export interface ContentDigester {
  /** Digest of the signed content with a given hash (computed once per hash). */
  digest(hash: DigestName): Buffer;
  /** The content itself, for signatures without signed attributes. */
  bytes(): Buffer;
}

class SignerJudgement {
  readonly reasons: Reason[] = [];
  readonly checks: Check[] = [];

  check(id: Check['id'], status: Check['status'], detail: string, rfc?: string): void {
    this.checks.push(rfc ? { id, status, detail, rfc } : { id, status, detail });
  }
  fail(code: Reason['code'], message: string, rfc?: string): void {
    this.reasons.push(reason(code, 'error', message, rfc));
  }
  warn(code: Reason['code'], message: string, rfc?: string): void {
    this.reasons.push(reason(code, 'warning', message, rfc));
  }
}

function checkAlgorithms(j: SignerJudgement, scheme: SignatureScheme, digestOid: string, allowSha1: boolean, allowSha1Option: string): boolean {
  if (scheme.kind === 'unsupported') {
    j.fail('unsupported-algorithm', scheme.why, 'RFC 8551 §2.2');
    j.check('algorithm', 'fail', scheme.why, 'RFC 8551 §2.2');
    return false;
  }
  const hashes = new Set([digestName(digestOid), schemeHash(scheme)]);
  if (hashes.has('md5')) {
    j.fail('weak-algorithm', 'MD5 signatures are broken and never accepted', 'RFC 8551 §2.1');
    j.check('algorithm', 'fail', 'MD5', 'RFC 8551 §2.1');
    return false;
  }
  if (hashes.has('sha1')) {
    if (allowSha1) {
      j.warn('weak-algorithm', 'SHA-1 signature accepted because SHA-1 was explicitly allowed', 'RFC 8551 §2.1');
      j.check('algorithm', 'warn', `${scheme.name}: SHA-1 is weak (allowed by option)`, 'RFC 8551 §2.1');
    } else {
      j.fail('weak-algorithm', `SHA-1 signatures are rejected (as Thunderbird does since 115); allow with ${allowSha1Option}`, 'RFC 8551 §2.1');
      j.check('algorithm', 'fail', `${scheme.name}: SHA-1 rejected`, 'RFC 8551 §2.1');
    }
    return true;
  }
  j.check('algorithm', 'pass', scheme.name, 'RFC 8551 §2.1-2.2');
  return true;
}

/** messageDigest and contentType signed attributes (RFC 5652 §5.4, §11.1, §11.2). */
function checkSignedAttributes(j: SignerJudgement, sd: SignedData, signer: SignerInfo, content: ContentDigester, hash: DigestName): boolean {
  const ct = signedAttribute(signer, OID.contentType);
  const md = signedAttribute(signer, OID.messageDigest);
  if (!ct || !md) {
    const missing = [!ct && 'contentType', !md && 'messageDigest'].filter(Boolean).join(' and ');
    j.fail('missing-signed-attribute', `signed attributes lack ${missing}`, 'RFC 5652 §5.3');
    j.check('digest', 'fail', `no ${missing} attribute`, 'RFC 5652 §5.3');
    return false;
  }
  let ok = true;
  const ctOid = decodeOid(ct);
  if (ctOid !== sd.eContentType) {
    j.fail('content-type-mismatch', `contentType attribute ${ctOid} differs from the content's type ${sd.eContentType}`, 'RFC 5652 §11.1');
    ok = false;
  }
  const computed = content.digest(hash);
  if (!computed.equals(md.value)) {
    j.fail('digest-mismatch', 'the content was changed after signing: its digest differs from the signed messageDigest', 'RFC 5652 §5.4');
    j.check('digest', 'fail', `computed ${computed.toString('hex').slice(0, 16)}…, signed ${md.value.toString('hex').slice(0, 16)}…`, 'RFC 5652 §5.4');
    return false;
  }
  j.check('digest', ok ? 'pass' : 'fail', `${digestLabel(signer.digestAlgorithm.oid)} digest matches messageDigest`, 'RFC 5652 §5.4');
  return ok;
}

function verifySignatureValue(j: SignerJudgement, signer: SignerInfo, scheme: SignatureScheme, cert: Certificate, content: ContentDigester, budget?: PublicKeyBudget): boolean {
  const data = signer.signedAttrsDer ?? content.bytes();
  const refused = keyWeakness(cert);
  if (refused?.level === 'refused') {
    // Reported with the key sizes (checkKeyStrength); the key is never used.
    j.check('signature', 'fail', `not checked: ${refused.message}`, 'RFC 8551 §6');
    return false;
  }
  if (budget && budget.remaining-- <= 0) {
    j.fail('resource-limit', 'not checked: the message already used up its public-key operations', 'RFC 5652 §5.6');
    j.check('signature', 'fail', 'not checked: public-key operation limit', 'RFC 5652 §5.6');
    return false;
  }
  let key: KeyObject;
  try {
    key = cert.publicKey;
  } catch (e) {
    // A key we cannot load (e.g. DSA parameters inherited from the issuer) says nothing about the content.
    j.fail('unsupported-algorithm', `the signer's public key cannot be used: ${(e as Error).message}`, 'RFC 5280 §4.1.2.7');
    j.check('signature', 'fail', 'signer public key unusable', 'RFC 5280 §4.1.2.7');
    return false;
  }
  let ok = false;
  try {
    const { hash, options } = verifyParams(scheme);
    ok = cryptoVerify(hash, data, { key, ...options } as Parameters<typeof cryptoVerify>[2], signer.signature);
  } catch (e) {
    j.fail('bad-signature', `the signature could not be checked: ${(e as Error).message}`, 'RFC 5652 §5.6');
    j.check('signature', 'fail', 'signature check failed', 'RFC 5652 §5.6');
    return false;
  }
  if (!ok) {
    j.fail('bad-signature', 'the signature value does not verify with the signer certificate\'s public key', 'RFC 5652 §5.6');
    j.check('signature', 'fail', `${scheme.name}: does not verify`, 'RFC 5652 §5.6');
  } else {
    j.check('signature', 'pass', `${scheme.name} verifies`, 'RFC 5652 §5.6');
  }
  return ok;
}

/** A day as YYYY-MM-DD (UTC): how people read an expiry date. */
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The signer certificate expired after the signature was made (by the signer's own signingTime, RFC 5652 §11.3,
 * which nothing countersigns): say when it expired and that it was valid then, rather than a bare failure. The
 * check still fails: without a trusted timestamp the claimed time cannot be relied on.
 */
function expiryMessage(cert: Certificate, signingTime: Date | undefined): string | undefined {
  if (!signingTime || signingTime < cert.notBefore || signingTime > cert.notAfter) return undefined;
  return `${cert.subject.text ? `"${cert.subject.text}"` : cert.serialHex} expired on ${day(cert.notAfter)} (valid when signed on ${day(signingTime)})`;
}

function checkCertificate(j: SignerJudgement, cert: Certificate, pool: Certificate[], trust: TrustOptions, signingTime: Date | undefined): { trusted: boolean; chain: Certificate[] } {
  const result = validateChain(cert, { intermediates: pool, anchors: trust.anchors, at: trust.at, crls: trust.crls, budget: trust.budget });
  const leafExpiry = expiryMessage(cert, signingTime);
  for (const p of result.problems) if (p.code === 'cert-expired' && p.certIndex === 0 && leafExpiry) p.message = leafExpiry;
  const byCode = new Map<string, string[]>();
  for (const p of result.problems) byCode.set(p.code, [...(byCode.get(p.code) ?? []), p.message]);
  const problem = (code: string) => byCode.get(code)?.join('; ');
  const when = trust.at.toISOString();
  const rfcPath = 'RFC 5280 §6.1';
  const chainProblems = ['bad-cert-signature', 'ca-constraint', 'unknown-critical-extension', 'name-constraint', 'chain-too-long', 'resource-limit'].filter((c) => byCode.has(c));
  j.check('chain', chainProblems.length ? 'fail' : 'pass', chainProblems.length ? chainProblems.map(problem).join('; ') : `${result.chain.length} certificate(s), signatures and CA constraints hold`, rfcPath);
  // The anchor check is about the path alone: an expired or revoked certificate on a path that reaches an anchor
  // fails its own check (validity, revocation) and the signer is still not trusted.
  const anchored = result.anchor !== undefined;
  j.check('trust-anchor', anchored ? 'pass' : 'fail', anchored ? `anchored at ${result.anchor?.subject.text ?? 'a configured anchor'}` : problem('untrusted-root') ?? 'no path to a configured trust anchor', 'RFC 8550 §4.2');
  const expired = problem('cert-expired') ?? problem('cert-not-yet-valid');
  j.check('validity', expired ? 'fail' : 'pass', expired ?? `every certificate valid at ${when}`, 'RFC 5280 §4.1.2.5');
  const revoked = problem('revoked');
  j.check('revocation', revoked ? 'fail' : trust.crls.length ? 'pass' : 'skip', revoked ?? (trust.crls.length ? 'not revoked by the given CRLs' : 'no CRLs given'), 'RFC 5280 §6.3');
  for (const p of result.problems) {
    const code = p.code as Reason['code'];
    const rfc = code === 'untrusted-root' ? 'RFC 8550 §4.2' : code.startsWith('crl-') ? 'RFC 5280 §6.3.3' : rfcPath;
    if (p.severity === 'warning') j.warn(code, p.message, rfc);
    else j.fail(code, p.message, rfc);
  }
  return { trusted: result.trusted, chain: result.chain };
}

/** Key sizes of the signer and of every CA of its chain, anchor included (RFC 8551 §6, CA/B S/MIME BR §6.1.5):
 *  a weak key anywhere lets a forger in, so it is an error, not a note. */
function checkKeyStrength(j: SignerJudgement, chain: Certificate[]): void {
  const found: string[] = [];
  chain.forEach((cert, i) => {
    const weakness = keyWeakness(cert);
    if (!weakness) return;
    const whose = i === 0 ? 'signer' : `CA "${cert.subject.text || cert.serialHex}"`;
    found.push(`${whose}: ${weakness.message}`);
    j.fail('weak-algorithm', `${whose}: ${weakness.message}`, 'RFC 8551 §6; CA/B S/MIME BR §6.1.5');
  });
  j.check('algorithm', found.length ? 'fail' : 'pass', found.length ? found.join('; ') : 'key sizes: RSA ≥ 2048 bits, EC ≥ 256 bits', 'RFC 8551 §6');
}

function checkUsage(j: SignerJudgement, cert: Certificate): void {
  const problems = checkSignerUsage(cert);
  const ku = problems.find((p) => p.code === 'key-usage');
  const eku = problems.find((p) => p.code === 'ext-key-usage');
  j.check('key-usage', ku ? 'fail' : 'pass', ku?.message ?? 'keyUsage allows signing (or is absent)', 'RFC 8550 §4.4.2');
  j.check('ext-key-usage', eku ? 'fail' : 'pass', eku?.message ?? 'extKeyUsage allows emailProtection (or is absent)', 'RFC 8550 §4.4.4');
  if (ku) j.fail('key-usage', ku.message, 'RFC 8550 §4.4.2');
  if (eku) j.fail('ext-key-usage', eku.message, 'RFC 8550 §4.4.4');
}

/** RFC 8550 §3: every From mailbox (or, without From, the Sender) must be one of the signer certificate's addresses. */
function checkSender(j: SignerJudgement, emails: string[], msg: MessageContext): boolean {
  const rfc = 'RFC 8550 §3';
  if (emails.length === 0) {
    j.fail('no-signer-address', 'the signer certificate names no usable email address', rfc);
    j.check('sender', 'fail', 'certificate has no usable email address', rfc);
    return false;
  }
  const binding = bindSender(emails, msg, msg.protected?.from);
  j.reasons.push(...binding.reasons);
  j.check('sender', binding.pass ? 'pass' : 'fail', binding.detail, rfc);
  return binding.pass;
}

/**
 * A signingTime far from Date is a warning of its own (Thunderbird's VERIFY_TIME_MISMATCH): clocks and drafts
 * differ, and the signature and the sender binding are proven without it, so it never changes the verdict.
 */
function checkSigningTime(j: SignerJudgement, signingTime: Date | undefined, msg: MessageContext): void {
  if (!signingTime) {
    j.check('signing-time', 'skip', 'no signingTime attribute (optional)', 'RFC 5652 §11.3');
    return;
  }
  if (!msg.date) {
    if (msg.dateHeaderPresent) {
      j.warn('signing-time-mismatch', `signed at ${signingTime.toISOString()}; the Date header cannot be read, so the times cannot be compared`, 'RFC 5652 §11.3');
      j.check('signing-time', 'warn', 'unreadable Date header', 'RFC 5652 §11.3');
    } else {
      j.check('signing-time', 'skip', `signed at ${signingTime.toISOString()}; no Date header to compare`, 'RFC 5652 §11.3');
    }
    return;
  }
  const delta = Math.abs(signingTime.getTime() - msg.date.getTime());
  if (delta > SIGNING_TIME_TOLERANCE_MS) {
    const hours = (delta / 3600000).toFixed(1);
    j.warn('signing-time-mismatch', `signed at ${signingTime.toISOString()}, ${hours} h away from the Date header ${msg.date.toISOString()}`, 'RFC 5652 §11.3');
    j.check('signing-time', 'warn', `${hours} h from the Date header`, 'RFC 5652 §11.3');
  } else {
    j.check('signing-time', 'pass', `signed at ${signingTime.toISOString()}, within an hour of Date`, 'RFC 5652 §11.3');
  }
}

export function verifySigner(
  sd: SignedData,
  signer: SignerInfo,
  content: ContentDigester,
  trust: TrustOptions,
  msg: MessageContext,
  registry: CertificateRegistry,
): SignerReport {
  const j = new SignerJudgement();
  const scheme = signatureScheme(signer.signatureAlgorithm, signer.digestAlgorithm.oid);
  const pool = [...sd.certificates, ...trust.extraCertificates];
  const cert = pool.find((c) => certificateMatches(signer.sid, c));
  const signingTime = signingTimeOf(signer);
  const algorithmsUsable = checkAlgorithms(j, scheme, signer.digestAlgorithm.oid, trust.allowSha1, trust.allowSha1Option ?? CLI_ALLOW_SHA1_OPTION);
  const digestHash = digestName(signer.digestAlgorithm.oid);

  let emails: string[] = [];
  let chain: Certificate[] = [];
  let trusted = false;
  let emailMatchesFrom: boolean | null = null;
  if (!cert) {
    j.fail('signer-cert-missing', 'the signer certificate is neither in the message nor among the configured certificates', 'RFC 5652 §5.3');
    j.check('signer-certificate', 'fail', 'signer certificate not found', 'RFC 5652 §5.3');
  } else {
    j.check('signer-certificate', 'pass', cert.subject.text, 'RFC 5652 §5.3');
  }
  if (algorithmsUsable && digestHash) {
    const digestOk = signer.signedAttrsDer ? checkSignedAttributes(j, sd, signer, content, digestHash) : true;
    if (!signer.signedAttrsDer) j.check('digest', 'skip', 'no signed attributes: the signature covers the content directly', 'RFC 5652 §5.4');
    if (cert && digestOk) verifySignatureValue(j, signer, scheme, cert, content, trust.budget);
    else j.check('signature', 'skip', cert ? 'not checked: the digest already failed' : 'not checked: no certificate', 'RFC 5652 §5.6');
  } else if (algorithmsUsable && !digestHash) {
    j.fail('unsupported-algorithm', `unknown digest algorithm ${signer.digestAlgorithm.oid}`, 'RFC 8551 §2.1');
  }
  if (cert) {
    const addresses = signerAddresses(cert);
    emails = addresses.usable;
    j.reasons.push(...addresses.reasons);
    const c = checkCertificate(j, cert, pool, trust, signingTime);
    chain = c.chain;
    trusted = c.trusted;
    checkKeyStrength(j, chain.length ? chain : [cert]);
    checkUsage(j, cert);
    emailMatchesFrom = checkSender(j, emails, msg);
  }
  checkSigningTime(j, signingTime, msg);

  const errors = j.reasons.filter((r) => r.severity === 'error');
  const status = worstStatus(errors.map((r) => statusForReason(r.code)));
  return {
    status,
    reasons: j.reasons,
    checks: j.checks,
    certificate: cert ? registry.add(cert, false) : null,
    email: emails[0] ?? null,
    emails,
    emailMatchesFrom,
    digestAlgorithm: digestLabel(signer.digestAlgorithm.oid),
    signatureAlgorithm: scheme.name,
    signingTime: signingTime?.toISOString() ?? null,
    chainTrusted: trusted,
    chain: (chain.length ? chain : cert ? [cert] : []).map((c) => registry.add(c, false)),
    smimeCapabilities: smimeCapabilitiesOf(signer).map(capabilityName),
  };
}
