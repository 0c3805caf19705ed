/**
 * KeyAgreeRecipientInfo (RFC 5652 §6.2.2) with ephemeral-static ECDH (RFC 5753 §3.1; X25519/X448 as
 * RFC 8418): a fresh key pair on the recipient's curve for every recipient and message, the X9.63 KDF with
 * SHA-256 over ECC-CMS-SharedInfo (dhSinglePass-stdDH-sha256kdf-scheme, RFC 5753 §7.1.4, §7.2), and the
 * AES key wrap (RFC 3394, RFC 3565 §2.3.2) of the content-encryption key.
 */
import { createCipheriv, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { parseDer } from '../../asn1/der';
import { OID } from '../../asn1/oids';
import { contextExplicit, contextImplicit, integer, octetString, raw, sequence, type DerElement } from '../../asn1/derWriter';
import type { Certificate } from '../../x509/certificate';
import { eccCmsSharedInfo, x963Kdf } from '../keyAgreement';
import { BuildError } from './buildError';
import { algorithmIdentifier, issuerAndSerialNumber } from './common';

/** RFC 3394 §2.2.3.1 default initial value. */
const AES_WRAP_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const WRAP_CIPHER: Record<string, { nodeCipher: string; keyBytes: number }> = {
  [OID.aes128Wrap]: { nodeCipher: 'id-aes128-wrap', keyBytes: 16 },
  [OID.aes192Wrap]: { nodeCipher: 'id-aes192-wrap', keyBytes: 24 },
  [OID.aes256Wrap]: { nodeCipher: 'id-aes256-wrap', keyBytes: 32 },
};

export const KEY_AGREEMENT_KEY_TYPES: readonly string[] = ['ec', 'x25519', 'x448'];

/** A fresh key pair of the recipient's kind (same named curve for EC). */
function ephemeralKeyPair(recipientKey: KeyObject): { privateKey: KeyObject; publicKey: KeyObject } {
  const type = recipientKey.asymmetricKeyType;
  if (type === 'ec') {
    const namedCurve = recipientKey.asymmetricKeyDetails?.namedCurve;
    if (!namedCurve) throw new Error('the recipient key has no named curve');
    return generateKeyPairSync('ec', { namedCurve });
  }
  if (type === 'x25519') return generateKeyPairSync('x25519');
  if (type === 'x448') return generateKeyPairSync('x448');
  throw new Error(`no key agreement for ${type} keys`);
}

/**
 * OriginatorPublicKey (RFC 5652 §6.2.2): the ephemeral public key as its SPKI algorithm and BIT STRING.
 * For EC the curve parameters are left out: RFC 5753 §7.1.1 allows absent parameters (the curve is the
 * recipient's), and OpenSSL writes it that way.
 */
function originatorPublicKey(publicKey: KeyObject): DerElement {
  const spki = parseDer(publicKey.export({ format: 'der', type: 'spki' }));
  const algorithm = publicKey.asymmetricKeyType === 'ec' ? algorithmIdentifier(OID.ecPublicKey) : raw(spki.child(0).raw);
  return contextImplicit(1, sequence(algorithm, raw(spki.child(1).raw)));
}

function agree(cert: Certificate): { z: Buffer; originator: DerElement } {
  try {
    const ephemeral = ephemeralKeyPair(cert.publicKey);
    const z = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: cert.publicKey });
    return { z, originator: originatorPublicKey(ephemeral.publicKey) };
  } catch (e) {
    throw new BuildError('bad-recipient', `cannot agree on a key with ${cert.subject.text}: ${(e as Error).message}`);
  }
}

/** Wraps `cek` for the EC (or X25519/X448) key of `cert` with the AES key wrap `wrapOid`. */
export function keyAgreeRecipientInfo(cert: Certificate, cek: Buffer, wrapOid: string): DerElement {
  const wrap = WRAP_CIPHER[wrapOid];
  if (!wrap) throw new BuildError('unsupported-cipher', `no AES key wrap ${wrapOid}`);
  const { z, originator } = agree(cert);
  // KeyWrapAlgorithm without parameters (RFC 3565 §2.3.2); its exact DER enters the SharedInfo.
  const wrapAlgorithm = algorithmIdentifier(wrapOid).toBuffer();
  const sharedInfo = eccCmsSharedInfo(parseDer(wrapAlgorithm), undefined, wrap.keyBytes);
  const kek = x963Kdf('sha256', z, sharedInfo, wrap.keyBytes);
  z.fill(0);
  const wrapper = createCipheriv(wrap.nodeCipher, kek, AES_WRAP_IV);
  const encryptedKey = Buffer.concat([wrapper.update(cek), wrapper.final()]);
  kek.fill(0);
  const recipientEncryptedKey = sequence(issuerAndSerialNumber(cert), octetString(encryptedKey));
  // Version 3, originator [0] EXPLICIT originatorKey [1], no ukm (RFC 5753 §3.1.1 leaves it optional).
  return contextImplicit(1, sequence(
    integer(3),
    contextExplicit(0, originator),
    algorithmIdentifier(OID.dhSinglePassStdDhSha256Kdf, raw(wrapAlgorithm)),
    sequence(recipientEncryptedKey),
  ));
}
