/**
 * Password-based decryption of PKCS#8 EncryptedPrivateKeyInfo and PKCS#12 EncryptedData:
 * PBES2 (RFC 8018 §6.2) with PBKDF2 or scrypt (RFC 7914 §7), and the PKCS#12 PBE schemes (RFC 7292 Appendix C).
 * RC2 is not in OpenSSL 3's default provider, so RC2 (still used for certificate bags by older exporters)
 * goes through node-forge; everything else is node:crypto.
 */
import { createDecipheriv, pbkdf2Sync, scryptSync } from 'node:crypto';
import { forge as loadForge } from '../legacy/forge';
import { Asn1Node, Tag, decodeOid, decodeSmallInteger } from '../asn1/der';
import { OID, oidName } from '../asn1/oids';
import { KeyError } from './keyError';
import { PKCS12_KDF_IV, PKCS12_KDF_KEY, pkcs12Kdf, pkcs12PasswordBytes, type Pkcs12Hash } from './pkcs12Kdf';

/** PBKDF2 runs natively, but a crafted count of 2^31 would still block for minutes. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** scrypt memory is 128 * N * r bytes; keep it bounded (OpenSSL's own default limit is 32 MB). */
export const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

const SCRYPT_OID = '1.3.6.1.4.1.11591.4.11';

interface CipherSpec {
  /** Node cipher name, or 'rc2' for node-forge. */
  name: string;
  keyLength: number;
  /** Effective key bits for RC2. */
  rc2Bits?: number;
}

/** PKCS#12 PBE schemes (RFC 7292 Appendix C); all use SHA-1 in the KDF. */
const PKCS12_SCHEMES: Record<string, CipherSpec> = {
  [OID.pbeWithShaAnd3KeyTripleDesCbc]: { name: 'des-ede3-cbc', keyLength: 24 },
  [OID.pbeWithShaAnd2KeyTripleDesCbc]: { name: 'des-ede-cbc', keyLength: 16 },
  [OID.pbeWithShaAnd128BitRc2Cbc]: { name: 'rc2', keyLength: 16, rc2Bits: 128 },
  [OID.pbeWithShaAnd40BitRc2Cbc]: { name: 'rc2', keyLength: 5, rc2Bits: 40 },
};

const PBES2_CIPHERS: Record<string, CipherSpec> = {
  [OID.aes128Cbc]: { name: 'aes-128-cbc', keyLength: 16 },
  [OID.aes192Cbc]: { name: 'aes-192-cbc', keyLength: 24 },
  [OID.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32 },
  [OID.desEde3Cbc]: { name: 'des-ede3-cbc', keyLength: 24 },
  [OID.rc2Cbc]: { name: 'rc2', keyLength: 16 },
};

const PRF_DIGESTS: Record<string, Pkcs12Hash> = {
  [OID.hmacWithSha1]: 'sha1',
  [OID.hmacWithSha224]: 'sha224',
  [OID.hmacWithSha256]: 'sha256',
  [OID.hmacWithSha384]: 'sha384',
  [OID.hmacWithSha512]: 'sha512',
};

function checkCount(n: number, max: number, what: string): number {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new KeyError('unsupported', `${what} ${n} is outside 1..${max}`);
  return n;
}

/** Decrypts CBC with PKCS#7 padding; a padding failure means the password was wrong (or the data is corrupt). */
function decryptCbc(spec: CipherSpec, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  if (spec.name === 'rc2') return decryptRc2(key, iv, data, spec.rc2Bits ?? key.length * 8);
  try {
    const decipher = createDecipheriv(spec.name, key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (/UNSUPPORTED|INVALID/.test(code) && !/BAD_DECRYPT/.test(code)) throw new KeyError('unsupported', `cipher ${spec.name} is not available`);
    throw new KeyError('bad-passphrase', 'decryption failed: wrong passphrase');
  }
}

function decryptRc2(key: Buffer, iv: Buffer, data: Buffer, bits: number): Buffer {
  const wrong = () => new KeyError('bad-passphrase', 'decryption failed: wrong passphrase');
  if (data.length === 0 || data.length % 8 !== 0) throw wrong();
  const forge = loadForge();
  const cipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), bits);
  cipher.start(forge.util.createBuffer(iv.toString('binary')));
  cipher.update(forge.util.createBuffer(data.toString('binary')));
  // node-forge only checks that the pad count fits; check every pad byte as OpenSSL does (RFC 8018 §6.1.1 step 4).
  if (!cipher.finish(() => true)) throw wrong();
  const plain = Buffer.from(cipher.output.getBytes(), 'binary');
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > 8 || !plain.subarray(plain.length - pad).every((b) => b === pad)) throw wrong();
  return plain.subarray(0, plain.length - pad);
}

function decryptPkcs12Pbe(spec: CipherSpec, params: Asn1Node, data: Buffer, pw: Buffer): Buffer {
  const salt = params.child(0).expect(Tag.octetString, 'salt').value;
  const iterations = decodeSmallInteger(params.child(1));
  const key = pkcs12Kdf(pw, salt, PKCS12_KDF_KEY, iterations, spec.keyLength, 'sha1');
  const iv = pkcs12Kdf(pw, salt, PKCS12_KDF_IV, iterations, 8, 'sha1');
  return decryptCbc(spec, key, iv, data);
}

/** RC2-CBC-Parameter ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv OCTET STRING } (RFC 8018 B.2.3). */
function rc2Parameters(params: Asn1Node): { iv: Buffer; bits: number } {
  if (params.is(Tag.octetString)) return { iv: params.value, bits: 32 };
  const version = params.children[0].is(Tag.integer) ? decodeSmallInteger(params.children[0]) : 32;
  const iv = params.children[params.children.length - 1].value;
  const bitsByVersion: Record<number, number> = { 160: 40, 120: 64, 58: 128 };
  return { iv, bits: bitsByVersion[version] ?? version };
}

function deriveKey(kdf: Asn1Node, password: Buffer, keyLength: number): Buffer {
  const kdfOid = decodeOid(kdf.child(0));
  const p = kdf.child(1);
  const salt = p.child(0).expect(Tag.octetString, 'salt').value;
  if (kdfOid === OID.pbkdf2) {
    const iterations = checkCount(decodeSmallInteger(p.child(1)), MAX_PBKDF2_ITERATIONS, 'PBKDF2 iteration count');
    const prfNode = p.children.find((c) => c.is(Tag.sequence));
    const prf = prfNode ? PRF_DIGESTS[decodeOid(prfNode.child(0))] : 'sha1';
    if (!prf) throw new KeyError('unsupported', `PBKDF2 PRF ${oidName(decodeOid(prfNode!.child(0)))} is not supported`);
    return pbkdf2Sync(password, salt, iterations, keyLength, prf);
  }
  if (kdfOid === SCRYPT_OID) {
    const [n, r, parallel] = [1, 2, 3].map((i) => decodeSmallInteger(p.child(i)));
    if (128 * n * r > MAX_SCRYPT_MEMORY) throw new KeyError('unsupported', 'scrypt parameters need too much memory');
    return scryptSync(password, salt, keyLength, { N: n, r, p: parallel, maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024 });
  }
  throw new KeyError('unsupported', `key derivation ${oidName(kdfOid)} is not supported`);
}

/** PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }. */
function decryptPbes2(params: Asn1Node, data: Buffer, password: string): Buffer {
  const kdf = params.child(0);
  const scheme = params.child(1);
  const cipherOid = decodeOid(scheme.child(0));
  const spec = PBES2_CIPHERS[cipherOid];
  if (!spec) throw new KeyError('unsupported', `PBES2 cipher ${oidName(cipherOid)} is not supported`);
  const cipherParams = scheme.child(1);
  let iv = cipherParams.value;
  let effective = spec;
  if (spec.name === 'rc2') {
    const rc2 = rc2Parameters(cipherParams);
    iv = rc2.iv;
    effective = { ...spec, rc2Bits: rc2.bits };
  }
  // PBKDF2-params may name the key length; RC2 keys in particular vary (RFC 8018 §A.2).
  const explicitLength = kdf.child(1).children.find((c, i) => i >= 2 && c.is(Tag.integer));
  const keyLength = explicitLength ? decodeSmallInteger(explicitLength) : spec.keyLength;
  const key = deriveKey(kdf, Buffer.from(password, 'utf8'), keyLength);
  return decryptCbc(effective, key, iv, data);
}

/**
 * Decrypts `data` encrypted under the AlgorithmIdentifier `algorithm` with `password` (PBES2 uses its UTF-8
 * bytes; the PKCS#12 schemes use `bmpPassword`, by default its BMPString form).
 * Throws KeyError: 'bad-passphrase' when the padding does not check out, 'unsupported' for unknown schemes.
 */
export function decryptWithPassword(algorithm: Asn1Node, data: Buffer, password: string, bmpPassword = pkcs12PasswordBytes(password)): Buffer {
  try {
    const oid = decodeOid(algorithm.child(0));
    const params = algorithm.child(1);
    if (oid === OID.pbes2) return decryptPbes2(params, data, password);
    const pkcs12 = PKCS12_SCHEMES[oid];
    if (pkcs12) return decryptPkcs12Pbe(pkcs12, params, data, bmpPassword);
    throw new KeyError('unsupported', `encryption scheme ${oidName(oid)} is not supported`);
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw new KeyError('malformed', `bad encryption parameters: ${(e as Error).message}`);
  }
}
