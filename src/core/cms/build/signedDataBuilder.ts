/**
 * SignedData (RFC 5652 §5) for S/MIME signing (RFC 8551 §3.5): detached for multipart/signed, or with the
 * content inside for application/pkcs7-mime; smime-type=signed-data.
 *
 * The content is hashed once per digest with node:crypto and referenced, not copied, until the final
 * ContentInfo is joined in one pass.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { OID } from '../../asn1/oids';
import {
  contextExplicit,
  contextImplicit,
  integer,
  octetString,
  oid,
  raw,
  sequence,
  setOf,
  type DerElement,
} from '../../asn1/derWriter';
import { publicKeysMatch } from '../../keys/publicKeyMatch';
import type { Certificate } from '../../x509/certificate';
import { DEFAULT_SMIME_CAPABILITIES, signedAttributes } from './attributes';
import { BuildError } from './buildError';
import { contentInfoElement, issuerAndSerialNumber } from './common';
import { signerAlgorithms, signerDigest, type SignerAlgorithms } from './signerAlgorithms';
import type { SigningDigestName } from '../../digests';

export { BuildError, type BuildErrorCode } from './buildError';
export { DEFAULT_SMIME_CAPABILITIES } from './attributes';

export interface SignerSpec {
  privateKey: KeyObject;
  certificate: Certificate;
  /** Intermediate certificates to ship with the signature (the root is better left out). */
  chain?: Certificate[];
  /** Default SHA-256 (SHA-384 for P-384, SHA-512 for P-521 and Ed25519). */
  digest?: SigningDigestName;
  /** RSASSA-PSS instead of PKCS#1 v1.5 (RSA keys only; RFC 4056). */
  pss?: boolean;
}

export interface SignOptions {
  /** True: no eContent (multipart/signed). False: the content is inside (pkcs7-mime signed-data). */
  detached: boolean;
  /** Default: now. */
  signingTime?: Date;
  /** Capability OIDs, strongest first (RFC 8551 §2.5.2); default DEFAULT_SMIME_CAPABILITIES; [] leaves it out. */
  smimeCapabilities?: string[];
  /** Default id-data. */
  eContentType?: string;
  /**
   * Digests of exactly `content` the caller already computed (in the pass that prepared it), by algorithm; a
   * digest not given here is computed from `content`.
   */
  contentDigests?: Partial<Record<SigningDigestName, Buffer>>;
}

/** Real messages carry one or two signers; the read side refuses more than 64 (MAX_SIGNER_INFOS). */
export const MAX_SIGNERS = 64;

const MICALG: Record<SigningDigestName, string> = { sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512' };

/** The micalg parameter value of multipart/signed for a digest (RFC 5751 §3.4.3.2, RFC 8551 §3.5.3.2). */
export function micalgFor(digest: SigningDigestName): string {
  return MICALG[digest];
}

/** The digest a signer spec ends up using (for micalg): the requested one or the key's default. Throws BuildError. */
export function digestOfSigner(signer: SignerSpec): SigningDigestName {
  return signerDigest(signer.privateKey, signer.digest);
}

interface PreparedSigner {
  spec: SignerSpec;
  algorithms: SignerAlgorithms;
}

function prepare(spec: SignerSpec): PreparedSigner {
  if (spec.privateKey.type !== 'private') throw new BuildError('unsupported-key', 'a signer needs a private key');
  if (!publicKeysMatch(spec.privateKey, spec.certificate)) {
    throw new BuildError('key-cert-mismatch', `the private key does not belong to the certificate of ${spec.certificate.subject.text}`);
  }
  return { spec, algorithms: signerAlgorithms(spec.privateKey, spec.digest, spec.pss ?? false) };
}

/** SignerInfo (RFC 5652 §5.3), version 1 because the signer is named by issuerAndSerialNumber. */
function signerInfo(signer: PreparedSigner, signedAttrs: DerElement): DerElement {
  const setDer = signedAttrs.toBuffer();
  // RFC 5652 §5.4: the signature covers the DER SET OF (tag 0x31); the field stores it as [0] IMPLICIT.
  const signature = signer.algorithms.sign(setDer);
  return sequence(
    integer(1),
    issuerAndSerialNumber(signer.spec.certificate),
    signer.algorithms.digestAlgorithm,
    contextImplicit(0, setDer),
    signer.algorithms.signatureAlgorithm,
    octetString(signature),
  );
}

/** Each signer's certificate and chain, once each (compared by their DER). */
function certificateSet(signers: SignerSpec[]): DerElement {
  const unique = new Map<string, Certificate>();
  for (const s of signers) {
    for (const cert of [s.certificate, ...(s.chain ?? [])]) unique.set(cert.der.toString('base64'), cert);
  }
  return contextImplicit(0, setOf([...unique.values()].map((c) => raw(c.der))));
}

/**
 * EncapsulatedContentInfo (RFC 5652 §5.2): eContent [0] EXPLICIT OCTET STRING, absent when detached.
 * The content buffer is referenced, not copied.
 */
function encapsulatedContent(content: Buffer, eContentType: string, detached: boolean): DerElement {
  return detached ? sequence(oid(eContentType)) : sequence(oid(eContentType), contextExplicit(0, octetString(content)));
}

/**
 * Builds a ContentInfo holding SignedData over `content`, signed by every signer. Throws BuildError when a
 * signer cannot sign (no signer, unsupported key, key not matching its certificate, digest not allowed).
 */
export function buildSignedData(content: Buffer, signers: SignerSpec[], options: SignOptions): Buffer {
  return buildSignedDataElement(content, signers, options).toBuffer();
}

/** buildSignedData as chunks: an encapsulated content is referenced, never copied (it is joined by the caller). */
export function buildSignedDataElement(content: Buffer, signers: SignerSpec[], options: SignOptions): DerElement {
  if (signers.length === 0) throw new BuildError('no-signers', 'at least one signer is needed');
  if (signers.length > MAX_SIGNERS) throw new BuildError('too-many-signers', `at most ${MAX_SIGNERS} signers are supported`);
  const prepared = signers.map(prepare);
  const eContentType = options.eContentType ?? OID.data;
  const signingTime = options.signingTime ?? new Date();
  const capabilities = options.smimeCapabilities ?? DEFAULT_SMIME_CAPABILITIES;
  // One hash of the content per digest algorithm, however many signers use it.
  const digests = new Map<SigningDigestName, { value: Buffer; algorithm: DerElement }>();
  for (const { algorithms } of prepared) {
    if (!digests.has(algorithms.digest)) {
      const value = options.contentDigests?.[algorithms.digest] ?? createHash(algorithms.digest).update(content).digest();
      digests.set(algorithms.digest, { value, algorithm: algorithms.digestAlgorithm });
    }
  }
  const infos = prepared.map((p) =>
    signerInfo(p, signedAttributes({
      contentType: eContentType,
      messageDigest: (digests.get(p.algorithms.digest) as { value: Buffer }).value,
      signingTime,
      smimeCapabilities: capabilities,
      signerCertificate: p.spec.certificate,
    })),
  );
  const digestAlgorithms = [...digests.values()].map((d) => d.algorithm);
  // RFC 5652 §5.1: version 3 when eContentType is not id-data (or a signer uses SKI, which we do not), else 1.
  const version = eContentType === OID.data ? 1 : 3;
  const signedData = sequence(
    integer(version),
    setOf(digestAlgorithms),
    encapsulatedContent(content, eContentType, options.detached),
    certificateSet(signers),
    setOf(infos),
  );
  return contentInfoElement(OID.signedData, signedData);
}
