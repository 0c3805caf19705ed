/**
 * Signing a message: multipart/signed (RFC 1847 §2.1, RFC 8551 §3.5.3) whose first part is the prepared
 * entity byte for byte, or application/pkcs7-mime signed-data (RFC 8551 §3.5.2) with the entity inside.
 */
import { buildSignedDataElement, digestOfSigner, micalgFor } from '../../cms/build/signedDataBuilder';
import { randomBoundary, uniqueBoundary } from './headers';
import { messagePieces, prepareMessage, type PrepareOptions, type PreparedMessage } from './prepare';
import { base64Of, Pieces, type Base64Piece } from './pieces';
import { dateWarnings, enforce, senderWarnings, signerProblems, type SignerIdentity } from './identityChecks';
import { withSigningDate, type SigningDateOptions } from './signingDate';
import { ComposeError, composeResult, type ComposeResult } from './types';
import type { SigningDigestName } from '../../digests';


export interface EntitySignOptions {
  /** multipart/signed (default) or opaque signed-data. */
  detached?: boolean;
  /** Default SHA-256 (the builder picks SHA-384 for P-384 and SHA-512 for Ed25519 keys). */
  digest?: SigningDigestName;
  /** RSASSA-PSS with salt = digest length (RFC 4056), which gpgsm also accepts. */
  pss?: boolean;
  /** signingTime attribute; default now. */
  now?: Date;
  /** The entity's digest, already computed over exactly its bytes (prepareMessage's one-pass digest). */
  contentDigest?: { algorithm: SigningDigestName; value: Buffer };
  /** A multipart/signed boundary already proven absent from the entity (prepareMessage's one pass). */
  boundary?: string;
}

export interface SignMessageOptions extends EntitySignOptions, PrepareOptions, SigningDateOptions {
  input: Buffer;
  signer: SignerIdentity;
  /** Sign even when the identity checks fail (each failure becomes a warning). */
  force?: boolean;
}

const SIGNED_PREAMBLE = 'This is a cryptographically signed message in MIME format.\r\n\r\n';

/** Runs the CMS builder, turning its errors into a refusal the caller can report. */
export function buildOrRefuse<T>(build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof ComposeError) throw e;
    throw new ComposeError([{ code: 'cms-build-failed', message: (e as Error).message }]);
  }
}

/** application/pkcs7-mime entity with a base64 body of the DER given in chunks (RFC 8551 §3.2.1 names smime.p7m). */
export function pkcs7MimePieces(der: Base64Piece, smimeType: string): Pieces {
  const head = [
    `Content-Type: application/pkcs7-mime; smime-type=${smimeType}; name=smime.p7m`,
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename=smime.p7m',
  ];
  return new Pieces().add(head.join('\r\n') + '\r\n\r\n', der);
}

/** multipart/signed around `content`; the CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1). */
function multipartSigned(content: Buffer, signature: Buffer, micalg: string, provenBoundary?: string): Pieces {
  const boundary = provenBoundary ?? uniqueBoundary([content]);
  const head =
    `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=${micalg};\r\n` +
    ` boundary="${boundary}"\r\n\r\n${SIGNED_PREAMBLE}--${boundary}\r\n`;
  const signaturePart =
    `\r\n--${boundary}\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n` +
    'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7s\r\n\r\n';
  return new Pieces().add(head, content, signaturePart, base64Of([signature]), `\r\n--${boundary}--\r\n`);
}

/**
 * Signs a prepared entity (CRLF, ends with CRLF) and returns the S/MIME entity (headers included). No identity
 * checks here: callers run them first. Throws ComposeError when the CMS cannot be built.
 */
export function signEntity(entity: Buffer, signer: SignerIdentity, options: EntitySignOptions = {}): Buffer {
  return signedPieces(entity, signer, options).toBuffer();
}

/** signEntity as pieces: the entity and the encapsulated DER are referenced, joined only with the whole message. */
export function signedPieces(entity: Buffer, signer: SignerIdentity, options: EntitySignOptions = {}): Pieces {
  const spec = { privateKey: signer.privateKey, certificate: signer.certificate, chain: signer.chain ?? [], digest: options.digest, pss: options.pss ?? false };
  const detached = options.detached ?? true;
  return buildOrRefuse(() => {
    const contentDigests = options.contentDigest ? { [options.contentDigest.algorithm]: options.contentDigest.value } : undefined;
    const der = buildSignedDataElement(entity, [spec], { detached, signingTime: options.now, contentDigests });
    return detached ? multipartSigned(entity, der.toBuffer(), micalgFor(digestOfSigner(spec)), options.boundary) : pkcs7MimePieces(base64Of(der.chunks), 'signed-data');
  });
}

/** prepareMessage, with Date first set to the signing time when asked (the change is the first preflight entry). */
export function prepareDated(options: PrepareOptions & SigningDateOptions & { input: Buffer }, now: Date): PreparedMessage {
  if (!options.refreshDate) return prepareMessage(options.input, options);
  const dated = withSigningDate(options.input, now);
  const prepared = prepareMessage(dated.input, options);
  prepared.preflight.unshift(dated.change);
  return prepared;
}

/** The digest the signature will use, so that preparing can hash in its pass; undefined when it cannot be told. */
function plannedDigest(options: SignMessageOptions): SigningDigestName | undefined {
  try {
    return digestOfSigner({ privateKey: options.signer.privateKey, certificate: options.signer.certificate, digest: options.digest });
  } catch {
    return undefined; // the builder reports it, after the identity checks, as before
  }
}

/** Prepares, checks and signs a message. Throws ComposeError when refused; nothing is written here. */
export function signMessage(options: SignMessageOptions): ComposeResult {
  const now = options.now ?? new Date();
  const detached = options.detached ?? true;
  const prepared = prepareDated({ ...options, onePassDigest: plannedDigest(options), boundaryCandidate: detached ? randomBoundary() : undefined }, now);
  const warnings = [...prepared.warnings];
  enforce(signerProblems(options.signer, now), options.force ?? false, warnings);
  warnings.push(...senderWarnings(options.signer.certificate, prepared.addresses.from), ...dateWarnings(prepared.date, now));
  const smime = signedPieces(prepared.entity, options.signer, { ...options, now, contentDigest: prepared.digest, boundary: prepared.boundary });
  return composeResult(messagePieces(prepared.outerHeaders, smime).toBuffers(), prepared.preflight, warnings);
}
