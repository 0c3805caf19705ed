/**
 * The digest algorithms by the names node:crypto knows them. One name for each, used by reading, verifying and
 * writing alike.
 */

/** Every digest the core reads in signatures and certificates (MD5 and SHA-1 only to report them as weak). */
export type DigestName = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** The digests the core signs with: the SHA-2 family from SHA-256 up (RFC 8551 §2.1, RFC 5754). */
export type SigningDigestName = Extract<DigestName, 'sha256' | 'sha384' | 'sha512'>;
