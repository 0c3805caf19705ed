/**
 * Key agreement (KeyAgreeRecipientInfo, RFC 5652 §6.2.2) with ephemeral-static ECDH (RFC 5753 §3.1,
 * and X25519/X448 per RFC 8418 where the peer uses the same X9.63 KDF): the sender's ephemeral public
 * key and our private key give a shared secret Z, the ANSI X9.63 KDF turns Z into a key-encryption key,
 * and a key wrap (AES, RFC 3394; or Triple-DES, RFC 3217) protects the content-encryption key.
 */
import { createHash, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { Asn1Node, Tag, decodeOid, encodeTlv, parseDer } from '../asn1/der';
import { oidName } from '../asn1/oids';
import { ECDH_KDF_HASH, KEY_WRAPS, fail, keyEncryptionName, type HashName, type KeyWrapInfo, type Outcome } from './algorithms';
import { unwrapKey } from './keyWrap';

/** Key agreement keys Node can run diffieHellman with. */
const AGREEMENT_KEY_TYPES = new Set(['ec', 'x25519', 'x448']);

interface KeyAgreeParameters {
  /** The originator's public key as a BIT STRING element (OriginatorPublicKey.publicKey). */
  originatorKey: Asn1Node;
  /** Its AlgorithmIdentifier (RFC 5753 §3.1.1: id-ecPublicKey with the curve absent or NULL, or the curve). */
  originatorAlgId: Asn1Node;
  originatorAlgorithm: string;
  ukm?: Buffer;
  kdfHash: HashName;
  /** The KeyWrapAlgorithm AlgorithmIdentifier exactly as the sender encoded it (it enters SharedInfo). */
  wrapAlgId: Asn1Node;
  wrap: KeyWrapInfo;
}

/** True when `privateKey` can be used for ECDH-style key agreement. */
export function isKeyAgreementKey(privateKey: KeyObject): boolean {
  return privateKey.type === 'private' && AGREEMENT_KEY_TYPES.has(privateKey.asymmetricKeyType ?? '');
}

/**
 * Unwraps one RecipientEncryptedKey of a KeyAgreeRecipientInfo `kari` with our private key.
 * A wrong key fails the key-wrap integrity check ('decryption-failed'). Never throws.
 */
export function decryptKeyAgreement(kari: Asn1Node, encryptedKey: Buffer, privateKey: KeyObject, expectedKeyBytes: number | undefined): Outcome<{ key: Buffer }> {
  if (!isKeyAgreementKey(privateKey)) {
    return fail('decryption-failed', `key agreement needs an EC or X25519/X448 private key, got ${privateKey.asymmetricKeyType ?? privateKey.type}`);
  }
  let params: Outcome<{ params: KeyAgreeParameters }>;
  try {
    params = readKeyAgreeParameters(kari);
  } catch {
    return fail('malformed', 'the KeyAgreeRecipientInfo cannot be read');
  }
  if (!params.ok) return params;
  const p = params.params;
  let z: Buffer;
  try {
    z = diffieHellman({ privateKey, publicKey: originatorPublicKey(p, privateKey) });
  } catch {
    return fail('decryption-failed', `the originator's ${oidName(p.originatorAlgorithm)} public key does not fit this ${privateKey.asymmetricKeyType} key`);
  }
  const kek = x963Kdf(p.kdfHash, z, eccCmsSharedInfo(p.wrapAlgId, p.ukm, p.wrap.keyBytes), p.wrap.keyBytes);
  const key = unwrapKey(p.wrap, kek, encryptedKey);
  if (!key) return fail('decryption-failed', `the ${p.wrap.name} failed its integrity check: wrong key or corrupt encrypted key`);
  if (expectedKeyBytes !== undefined && key.length !== expectedKeyBytes) {
    return fail('decryption-failed', `the unwrapped key has ${key.length} bytes, expected ${expectedKeyBytes}`);
  }
  return { ok: true, key };
}

function readKeyAgreeParameters(kari: Asn1Node): Outcome<{ params: KeyAgreeParameters }> {
  // originator [0] EXPLICIT OriginatorIdentifierOrKey; only originatorKey [1] (ephemeral) is usable:
  // issuerAndSerialNumber / subjectKeyIdentifier mean static-static agreement with the sender's certificate.
  const originator = kari.child(1);
  if (!originator.isContext(0)) return fail('malformed', 'KeyAgreeRecipientInfo without originator');
  const choice = originator.child(0);
  if (!choice.isContext(1)) return fail('unsupported-algorithm', 'static-static key agreement (originator named by certificate) is not supported');
  const originatorAlgId = choice.child(0).expect(Tag.sequence, 'originator algorithm');
  const originatorAlgorithm = decodeOid(originatorAlgId.child(0));
  const originatorKey = choice.child(1).expect(Tag.bitString, 'originator publicKey');
  let i = 2;
  let ukm: Buffer | undefined;
  if (kari.child(i).isContext(1)) ukm = kari.child(i++).child(0).octets();
  const algId = kari.child(i).expect(Tag.sequence, 'keyEncryptionAlgorithm');
  const schemeOid = decodeOid(algId.child(0));
  const kdfHash = ECDH_KDF_HASH[schemeOid];
  if (!kdfHash) return fail('unsupported-algorithm', `key agreement ${keyEncryptionName(schemeOid)} (${schemeOid}) is not supported`);
  const wrapAlgId = algId.child(1).expect(Tag.sequence, 'KeyWrapAlgorithm');
  const wrapOid = decodeOid(wrapAlgId.child(0));
  const wrap = KEY_WRAPS[wrapOid];
  if (!wrap) return fail('unsupported-algorithm', `key wrap ${keyEncryptionName(wrapOid)} (${wrapOid}) is not supported`);
  return {
    ok: true,
    params: { originatorKey, originatorAlgId, originatorAlgorithm, ukm, kdfHash, wrapAlgId, wrap },
  };
}

/**
 * The originator's key as a KeyObject. RFC 5753 §3.1.1 lets the sender omit the curve from
 * originatorKey (it must be the recipient's), so the recipient's own SPKI AlgorithmIdentifier is
 * reused with the sender's point.
 */
function originatorPublicKey(p: KeyAgreeParameters, privateKey: KeyObject): KeyObject {
  const ownAlgId = parseDer(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })).child(0);
  if (decodeOid(ownAlgId.child(0)) !== p.originatorAlgorithm) throw new Error('the originator key is of another type');
  const ownCurve = ownAlgId.children[1];
  const theirCurve = p.originatorAlgId.children[1];
  if (ownCurve?.is(Tag.oid) && theirCurve?.is(Tag.oid) && !ownCurve.raw.equals(theirCurve.raw)) {
    throw new Error('the originator key is on another curve');
  }
  return createPublicKey({ key: encodeTlv(Tag.sequence, ownAlgId.raw, p.originatorKey.raw), format: 'der', type: 'spki' });
}

/**
 * ECC-CMS-SharedInfo (RFC 5753 §7.2): keyInfo, entityUInfo [0] only when a ukm is present,
 * suppPubInfo [2] = the KEK length in bits as a 32-bit big-endian integer.
 */
export function eccCmsSharedInfo(wrapAlgId: Asn1Node, ukm: Buffer | undefined, keyBytes: number): Buffer {
  const bits = Buffer.alloc(4);
  bits.writeUInt32BE(keyBytes * 8);
  const parts = [wrapAlgId.raw];
  if (ukm) parts.push(encodeTlv(0xa0, encodeTlv(Tag.octetString, ukm)));
  parts.push(encodeTlv(0xa2, encodeTlv(Tag.octetString, bits)));
  return encodeTlv(Tag.sequence, ...parts);
}

/** ANSI X9.63 KDF (SEC 1 §3.6.1, RFC 5753 §7.2): Hash(Z || counter || SharedInfo) with counter from 1. */
export function x963Kdf(hash: HashName, z: Buffer, sharedInfo: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  let produced = 0;
  for (let i = 1; produced < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(z).update(counter).update(sharedInfo).digest();
    blocks.push(block);
    produced += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}
