/**
 * Key unwrapping for key agreement recipients: AES key wrap (RFC 3394, natively) and the CMS Triple-DES
 * key wrap (RFC 3217 §3, built from native 3DES-CBC). Both carry an integrity check, so a wrong key-
 * encryption key is detected here rather than as garbage content.
 */
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import type { KeyWrapInfo } from './algorithms';

/** RFC 3394 §2.2.3.1 default initial value; the unwrap checks it (64-bit integrity check). */
const AES_WRAP_DEFAULT_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
/** RFC 3217 §3.1 step 6: the fixed IV of the outer encryption. */
const DES3_WRAP_IV = Buffer.from('4ADDA22C79E82105', 'hex');
const DES3_BLOCK = 8;
/** RFC 3217 §3.2 step 1: a wrapped 3DES key is 40 octets (24-octet key, 8-octet ICV, 8-octet IV). */
const DES3_WRAPPED_LENGTH = 40;

/** The unwrapped key, or undefined when the integrity check fails. Never throws. */
export function unwrapKey(wrap: KeyWrapInfo, kek: Buffer, wrapped: Buffer): Buffer | undefined {
  try {
    if (wrap.kind === 'aes') {
      const decipher = createDecipheriv(wrap.nodeCipher, kek, AES_WRAP_DEFAULT_IV);
      return Buffer.concat([decipher.update(wrapped), decipher.final()]);
    }
    return unwrapTripleDes(kek, wrapped);
  } catch {
    return undefined;
  }
}

function cbcDecryptRaw(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const decipher = createDecipheriv('des-ede3-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

/** RFC 3217 §3.2 steps 2-8. */
function unwrapTripleDes(kek: Buffer, wrapped: Buffer): Buffer | undefined {
  if (wrapped.length !== DES3_WRAPPED_LENGTH) return undefined;
  const temp2 = Buffer.from(cbcDecryptRaw(kek, DES3_WRAP_IV, wrapped)).reverse();
  const iv = temp2.subarray(0, DES3_BLOCK);
  const cekIcv = cbcDecryptRaw(kek, iv, temp2.subarray(DES3_BLOCK));
  const cek = cekIcv.subarray(0, cekIcv.length - DES3_BLOCK);
  const icv = cekIcv.subarray(cekIcv.length - DES3_BLOCK);
  // The checksum is the first 8 octets of SHA-1 over the key (RFC 3217 §2).
  const expected = createHash('sha1').update(cek).digest().subarray(0, DES3_BLOCK);
  return timingSafeEqual(icv, expected) ? cek : undefined;
}
