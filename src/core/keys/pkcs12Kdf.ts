/**
 * The PKCS#12 key derivation function (RFC 7292 Appendix B.2), used by the PKCS#12 PBE schemes (B.3:
 * id 1 = key, 2 = IV) and by the PFX MAC (id 3). Node has no implementation, so it is written here over
 * node:crypto hashes.
 */
import { createHash } from 'node:crypto';
import { KeyError } from './keyError';

export type Pkcs12Hash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Each iteration is one JavaScript hash call (~3.6 s per million here); a crafted count of 2^31 would hang the process. Exporters use 1,024-10,000. */
export const MAX_PKCS12_KDF_ITERATIONS = 1_000_000;

export const PKCS12_KDF_KEY = 1;
export const PKCS12_KDF_IV = 2;
export const PKCS12_KDF_MAC = 3;

/** Hash output length u and block length v in bytes (RFC 7292 B.2 step 1). */
const SIZES: Record<Pkcs12Hash, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha224: { u: 28, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
};

/**
 * The password as a BMPString with two trailing zero bytes (RFC 7292 B.1). OpenSSL writes files protected by
 * an absent password with a zero-length one instead, so readers try both forms for '' (see pkcs12.ts).
 */
export function pkcs12PasswordBytes(password: string): Buffer {
  return Buffer.from(password + '\0', 'utf16le').swap16();
}

/** Repeats `data` to fill a multiple of `v` bytes (RFC 7292 B.2 steps 2-3). */
function fillBlocks(data: Buffer, v: number): Buffer {
  if (data.length === 0) return data;
  const out = Buffer.alloc(v * Math.ceil(data.length / v));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length];
  return out;
}

export function pkcs12Kdf(passwordBytes: Buffer, salt: Buffer, id: number, iterations: number, length: number, hash: Pkcs12Hash): Buffer {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_PKCS12_KDF_ITERATIONS) {
    throw new KeyError('unsupported', `PKCS#12 iteration count ${iterations} is outside 1..${MAX_PKCS12_KDF_ITERATIONS}`);
  }
  const { u, v } = SIZES[hash];
  const diversifier = Buffer.alloc(v, id);
  const input = Buffer.concat([fillBlocks(salt, v), fillBlocks(passwordBytes, v)]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let a = createHash(hash).update(diversifier).update(input).digest();
    for (let i = 1; i < iterations; i++) a = createHash(hash).update(a).digest();
    blocks.push(a);
    if (produced + u >= length) break;
    // Step 6 (B)-(C): I_j = (I_j + B + 1) mod 2^(8v), with B = A repeated to v bytes.
    const b = fillBlocks(a, v).subarray(0, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k] + b[k] + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}
