/**
 * Private keys from PEM or DER: PKCS#1 RSA, SEC1 EC, PKCS#8 and encrypted PKCS#8 (RFC 5958), plus OpenSSL's
 * legacy encrypted PEM (Proc-Type/DEK-Info). OpenSSL (node:crypto) does the decoding; schemes it lacks in its
 * default provider (RC2, PKCS#12 PBE) are decrypted here first.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Asn1Node, Tag, decodeSmallInteger, parseDer } from '../asn1/der';
import { decodePemBlocks, looksLikePem } from '../x509/pem';
import { KeyError } from './keyError';
import { decryptWithPassword } from './pbe';

type DerKind = 'pkcs8' | 'encrypted-pkcs8' | 'pkcs1' | 'sec1' | 'pkcs12' | 'unknown';

const KEY_LABELS: Record<string, DerKind> = {
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'DSA PRIVATE KEY': 'unknown',
};

/** Tells the key encodings apart by their outer structure (RFC 5958, RFC 8017 A.1.2, RFC 5915, RFC 7292). */
function classifyDer(der: Buffer): DerKind {
  let c: Asn1Node[];
  try {
    const root = parseDer(der);
    c = root.is(Tag.sequence) ? root.children : [];
  } catch {
    return 'unknown';
  }
  if (c.length === 2 && c[0].is(Tag.sequence) && c[1].is(Tag.octetString)) return 'encrypted-pkcs8';
  if (c.length < 2 || !c[0].is(Tag.integer)) return 'unknown';
  const version = c[0].value.length <= 2 ? decodeSmallInteger(c[0]) : -1;
  if (version === 3 && c[1].is(Tag.sequence)) return 'pkcs12';
  if (c[1].is(Tag.sequence) && c[2]?.is(Tag.octetString)) return 'pkcs8';
  if (version === 0 && c.length >= 9 && c.every((n) => n.is(Tag.integer))) return 'pkcs1';
  if (version === 1 && c[1].is(Tag.octetString)) return 'sec1';
  return 'unknown';
}

function mapNodeError(e: unknown, encrypted: boolean, passphrase: string | undefined): KeyError {
  const code = (e as { code?: string }).code ?? '';
  if (code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED') {
    return new KeyError('passphrase-required', 'the private key is encrypted: a passphrase is required');
  }
  if (encrypted && passphrase !== undefined) return new KeyError('bad-passphrase', 'wrong passphrase for the private key');
  if (/UNSUPPORTED/.test(code)) return new KeyError('unsupported', `unsupported key: ${(e as Error).message}`);
  return new KeyError('malformed', `cannot read the private key: ${(e as Error).message}`);
}

/** EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING } (RFC 5958 §3). */
export function decryptPkcs8(der: Buffer, passphrase: string): Buffer {
  const root = parseDer(der);
  return decryptWithPassword(root.child(0), root.child(1).octets(), passphrase);
}

function loadEncryptedPkcs8(der: Buffer, passphrase: string): KeyObject {
  let plain: Buffer;
  try {
    plain = decryptPkcs8(der, passphrase);
  } catch (e) {
    if (!(e instanceof KeyError) || e.code !== 'unsupported') throw e;
    // A scheme we do not implement (e.g. PBES1 with MD5/DES): OpenSSL may still know it.
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase });
    } catch (err) {
      throw mapNodeError(err, true, passphrase);
    }
  }
  try {
    return createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
  } catch {
    // Padding happened to check out with a wrong password (1 in 256 for CBC), but the result is not a key.
    throw new KeyError('bad-passphrase', 'wrong passphrase for the private key');
  }
}

function loadDer(der: Buffer, kind: DerKind, passphrase: string | undefined): KeyObject {
  if (kind === 'pkcs12') throw new KeyError('not-a-key', 'this is a PKCS#12 (.p12/.pfx) file: load it as one');
  if (kind === 'unknown') throw new KeyError('not-a-key', 'the data is not a private key');
  if (kind === 'encrypted-pkcs8') {
    if (passphrase === undefined) throw new KeyError('passphrase-required', 'the private key is encrypted: a passphrase is required');
    return loadEncryptedPkcs8(der, passphrase);
  }
  try {
    return createPrivateKey({ key: der, format: 'der', type: kind });
  } catch (e) {
    throw mapNodeError(e, false, passphrase);
  }
}

function loadPem(data: Buffer, passphrase: string | undefined): KeyObject {
  const blocks = decodePemBlocks(data);
  const block = blocks.find((b) => b.label in KEY_LABELS);
  if (!block) {
    const hasCert = blocks.some((b) => b.label.includes('CERTIFICATE'));
    throw new KeyError('not-a-key', hasCert ? 'the PEM data holds certificates but no private key' : 'no PRIVATE KEY block in the PEM data');
  }
  const kind = KEY_LABELS[block.label];
  if (kind === 'encrypted-pkcs8') return loadDer(block.der, kind, passphrase);
  const legacyEncrypted = /ENCRYPTED/.test(block.headers['Proc-Type'] ?? '');
  if (legacyEncrypted && passphrase === undefined) throw new KeyError('passphrase-required', 'the private key is encrypted: a passphrase is required');
  if (!legacyEncrypted && classifyDer(block.der) === 'unknown' && kind !== 'unknown') {
    throw new KeyError('malformed', `the ${block.label} block does not hold a readable key`);
  }
  // OpenSSL reads every unencrypted or legacy-encrypted label itself (DSA PRIVATE KEY included).
  try {
    return createPrivateKey({ key: block.text, format: 'pem', passphrase });
  } catch (e) {
    throw mapNodeError(e, legacyEncrypted, passphrase);
  }
}

/**
 * Loads a private key from PEM (the first key block; certificates around it are skipped) or DER.
 * Throws KeyError: 'passphrase-required', 'bad-passphrase', 'not-a-key', 'unsupported' or 'malformed'.
 */
export function loadPrivateKey(data: Buffer, passphrase?: string): KeyObject {
  try {
    if (looksLikePem(data)) return loadPem(data, passphrase);
    return loadDer(data, classifyDer(data), passphrase);
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw new KeyError('malformed', `cannot read the private key: ${(e as Error).message}`);
  }
}
