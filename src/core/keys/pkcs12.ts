/**
 * PKCS#12 / PFX reading (RFC 7292) on our own DER reader, because Node has no PKCS#12 support and node-forge
 * cannot decode EC keys. Password integrity mode only (the public-key modes are not used for mail identities).
 */
import { createHmac, createPrivateKey, pbkdf2Sync, timingSafeEqual, type KeyObject } from 'node:crypto';
import { Asn1Node, Tag, decodeOid, decodeSmallInteger, decodeString, parseDer } from '../asn1/der';
import { DIGEST_BY_OID, OID, oidName } from '../asn1/oids';
import { Certificate, tryParseCertificate } from '../x509/certificate';
import { KeyError } from './keyError';
import { decryptWithPassword } from './pbe';
import { MAX_PKCS12_KDF_ITERATIONS, PKCS12_KDF_MAC, pkcs12Kdf, pkcs12PasswordBytes, type Pkcs12Hash } from './pkcs12Kdf';
import { orderChain, publicKeysMatch } from './publicKeyMatch';

/** safeContentsBag can nest SafeContents; real files never nest, crafted ones could recurse without end. */
export const MAX_SAFE_CONTENTS_DEPTH = 4;
/** RFC 9579 PBMAC1, written by OpenSSL 3.4+ when asked for a PBKDF2-based MAC. */
const PBMAC1_OID = '1.2.840.113549.1.5.14';

export interface Pkcs12Contents {
  privateKey?: KeyObject;
  /** The certificate whose public key matches the private key (else the first end-entity certificate). */
  certificate?: Certificate;
  /** The other certificates, issuer after subject where they link up. */
  chain: Certificate[];
  friendlyName?: string;
  /** Bags that were skipped (unsupported types, extra keys). */
  warnings: string[];
}

interface Bag {
  pkcs8?: Buffer;
  /** The key came out of a password-encrypted bag (pkcs8ShroudedKeyBag). */
  shrouded?: boolean;
  cert?: Certificate;
  localKeyId?: string;
  friendlyName?: string;
}

interface Reader {
  password: string;
  bmpPassword: Buffer;
  /** False for a PFX without MacData: then only the decryption itself can tell a wrong passphrase. */
  macChecked: boolean;
  bags: Bag[];
  warnings: string[];
}

const HMAC_DIGESTS: Record<string, string> = {
  [OID.hmacWithSha1]: 'sha1',
  [OID.hmacWithSha224]: 'sha224',
  [OID.hmacWithSha256]: 'sha256',
  [OID.hmacWithSha384]: 'sha384',
  [OID.hmacWithSha512]: 'sha512',
};

/** MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 } (RFC 7292 §4). */
function macMatches(macData: Asn1Node, authSafe: Buffer, password: string, bmpPassword: Buffer): boolean {
  const digestInfo = macData.child(0);
  const algorithm = digestInfo.child(0);
  const expected = digestInfo.child(1).expect(Tag.octetString, 'mac').value;
  const algOid = decodeOid(algorithm.child(0));
  let key: Buffer;
  let hash: string;
  if (algOid === PBMAC1_OID) {
    // RFC 9579 §3: the key comes from PBKDF2 over the UTF-8 password; macSalt/iterations are ignored.
    const params = algorithm.child(1);
    const kdf = params.child(0).child(1);
    hash = HMAC_DIGESTS[decodeOid(params.child(1).child(0))] ?? '';
    const prfNode = kdf.children.find((c) => c.is(Tag.sequence));
    const prf = prfNode ? HMAC_DIGESTS[decodeOid(prfNode.child(0))] : 'sha1';
    if (!hash || !prf) throw new KeyError('unsupported', 'PBMAC1 with an unknown HMAC');
    const iterations = decodeSmallInteger(kdf.child(1));
    if (iterations < 1 || iterations > MAX_PKCS12_KDF_ITERATIONS) throw new KeyError('unsupported', `MAC iteration count ${iterations}`);
    key = pbkdf2Sync(Buffer.from(password, 'utf8'), kdf.child(0).value, iterations, decodeSmallInteger(kdf.child(2)), prf);
  } else {
    hash = DIGEST_BY_OID[algOid] ?? '';
    if (!hash || hash === 'md5') throw new KeyError('unsupported', `PKCS#12 MAC digest ${oidName(algOid)} is not supported`);
    const salt = macData.child(1).expect(Tag.octetString, 'macSalt').value;
    const iterations = macData.children[2] ? decodeSmallInteger(macData.child(2)) : 1;
    key = pkcs12Kdf(bmpPassword, salt, PKCS12_KDF_MAC, iterations, expected.length, hash as Pkcs12Hash);
  }
  const actual = createHmac(hash, key).update(authSafe).digest();
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function attributes(bag: Asn1Node): { localKeyId?: string; friendlyName?: string } {
  const out: { localKeyId?: string; friendlyName?: string } = {};
  for (const attr of bag.children[2]?.children ?? []) {
    const type = decodeOid(attr.child(0));
    const value = attr.child(1).children[0];
    if (!value) continue;
    if (type === OID.localKeyId) out.localKeyId = value.value.toString('hex');
    else if (type === OID.friendlyName) out.friendlyName = decodeString(value);
  }
  return out;
}

/** SafeBag ::= SEQUENCE { bagId, bagValue [0] EXPLICIT, bagAttributes SET OF OPTIONAL } (RFC 7292 §4.2). */
function readBag(bag: Asn1Node, reader: Reader, depth: number): void {
  const bagId = decodeOid(bag.child(0));
  const value = bag.child(1).child(0);
  const attrs = attributes(bag);
  switch (bagId) {
    case OID.keyBag:
      reader.bags.push({ ...attrs, pkcs8: value.raw });
      return;
    case OID.pkcs8ShroudedKeyBag:
      reader.bags.push({ ...attrs, pkcs8: decryptWithPassword(value.child(0), value.child(1).octets(), reader.password, reader.bmpPassword), shrouded: true });
      return;
    case OID.certBag: {
      const certType = decodeOid(value.child(0));
      const cert = certType === OID.x509Certificate ? tryParseCertificate(value.child(1).child(0).octets()) : undefined;
      if (cert) reader.bags.push({ ...attrs, cert });
      else reader.warnings.push(`skipped a certificate bag of type ${oidName(certType)}`);
      return;
    }
    case OID.safeContentsBag:
      return readSafeContents(value, reader, depth + 1);
    default:
      reader.warnings.push(`skipped a ${oidName(bagId)} bag`);
  }
}

function readSafeContents(safeContents: Asn1Node, reader: Reader, depth: number): void {
  if (depth > MAX_SAFE_CONTENTS_DEPTH) throw new KeyError('malformed', 'SafeContents nested too deeply');
  for (const bag of safeContents.expect(Tag.sequence, 'SafeContents').children) readBag(bag, reader, depth);
}

/** One ContentInfo of the AuthenticatedSafe: plain data, or EncryptedData (RFC 5652 §8) under the password. */
function readAuthSafeItem(contentInfo: Asn1Node, reader: Reader): void {
  const type = decodeOid(contentInfo.child(0));
  const content = contentInfo.child(1).child(0);
  if (type === OID.data) return readSafeContents(parseDer(content.octets()), reader, 0);
  if (type === OID.encryptedData) {
    const info = content.child(1);
    const encrypted = info.children.find((c) => c.isContext(0));
    if (!encrypted) return;
    const plain = decryptWithPassword(info.child(1), encrypted.octets(), reader.password, reader.bmpPassword);
    return readSafeContents(parseDer(plain), reader, 0);
  }
  reader.warnings.push(`skipped ${oidName(type)} content (public-key privacy mode is not supported)`);
}

/** The password forms to try: RFC 7292's, and for '' also the zero-length form OpenSSL uses for "no password". */
function passwordCandidates(password: string): Buffer[] {
  return password === '' ? [pkcs12PasswordBytes(''), Buffer.alloc(0)] : [pkcs12PasswordBytes(password)];
}

function checkIntegrity(pfx: Asn1Node, authSafe: Buffer, password: string): Buffer {
  const macData = pfx.children[2];
  const candidates = passwordCandidates(password);
  if (!macData) return candidates[0];
  const match = candidates.find((bmp) => macMatches(macData, authSafe, password, bmp));
  if (!match) throw new KeyError('bad-passphrase', 'wrong passphrase for the PKCS#12 file (MAC mismatch)');
  return match;
}

function assemble(reader: Reader): Pkcs12Contents {
  const keys = reader.bags.filter((b) => b.pkcs8);
  const certBags = reader.bags.filter((b) => b.cert);
  const keyBag = keys[0];
  if (keys.length > 1) reader.warnings.push(`the file holds ${keys.length} private keys; using the first`);
  let privateKey: KeyObject | undefined;
  if (keyBag?.pkcs8) {
    try {
      privateKey = createPrivateKey({ key: keyBag.pkcs8, format: 'der', type: 'pkcs8' });
    } catch (e) {
      // Without a MAC, a wrong passphrase shows only in the decryption: its padding check passes by chance about
      // once in 256 tries, and what comes out is then not a key. That is a wrong passphrase, not a file without key.
      if (keyBag.shrouded && !reader.macChecked) throw new KeyError('bad-passphrase', 'wrong passphrase for the PKCS#12 file (its private key does not decrypt)');
      reader.warnings.push(`the private key cannot be loaded: ${(e as Error).message}`);
    }
  }
  const leafBag =
    (privateKey && certBags.find((b) => publicKeysMatch(privateKey!, b.cert!))) ??
    (keyBag?.localKeyId ? certBags.find((b) => b.localKeyId === keyBag.localKeyId) : undefined) ??
    certBags[0];
  const certificate = leafBag?.cert;
  const others = certBags.filter((b) => b !== leafBag).map((b) => b.cert!);
  return {
    privateKey,
    certificate,
    chain: certificate ? orderChain(certificate, others) : others,
    friendlyName: keyBag?.friendlyName ?? leafBag?.friendlyName,
    warnings: reader.warnings,
  };
}

/**
 * Reads a PFX: verifies its MAC (a mismatch means a wrong passphrase), decrypts every bag and returns the key,
 * its certificate and the rest as chain. Throws KeyError ('bad-passphrase', 'malformed', 'unsupported').
 */
export function loadPkcs12(data: Buffer, passphrase: string): Pkcs12Contents {
  try {
    const pfx = parseDer(data).expect(Tag.sequence, 'PFX');
    if (decodeSmallInteger(pfx.child(0)) !== 3) throw new KeyError('malformed', 'not a version 3 PFX');
    const authSafeInfo = pfx.child(1);
    if (decodeOid(authSafeInfo.child(0)) !== OID.data) throw new KeyError('unsupported', 'public-key integrity mode PFX is not supported');
    const authSafe = authSafeInfo.child(1).child(0).octets();
    const bmpPassword = checkIntegrity(pfx, authSafe, passphrase);
    const reader: Reader = { password: passphrase, bmpPassword, macChecked: pfx.children.length > 2, bags: [], warnings: [] };
    for (const item of parseDer(authSafe).expect(Tag.sequence, 'AuthenticatedSafe').children) readAuthSafeItem(item, reader);
    return assemble(reader);
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw new KeyError('malformed', `not a readable PKCS#12 file: ${(e as Error).message}`);
  }
}
