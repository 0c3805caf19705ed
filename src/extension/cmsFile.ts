/**
 * A bare .p7m/.p7s file (an S/MIME attachment saved on its own) is CMS, not a MIME message. It is shown by
 * wrapping it, in memory only, in the application/pkcs7-mime entity it came from (RFC 8551 §3.2), so the same
 * analysis applies. Files that already start with header fields are left alone.
 */
import { decodePemBlocks } from '../core';

const CMS_EXTENSIONS = /\.(p7m|p7s|p7c)$/i;

/** DER (a SEQUENCE), PEM ("-----BEGIN"), or bare base64 of either. */
function cmsDer(bytes: Buffer): Buffer | undefined {
  if (bytes[0] === 0x30) return bytes;
  const text = bytes.toString('latin1').trim();
  if (text.startsWith('-----BEGIN')) return decodePemBlocks(text)[0]?.der;
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
    return der[0] === 0x30 ? der : undefined;
  }
  return undefined;
}

export function asMimeMessage(fileName: string, bytes: Buffer): Buffer {
  if (!CMS_EXTENSIONS.test(fileName)) return bytes;
  const der = cmsDer(bytes);
  if (!der) return bytes;
  const base64 = der.toString('base64').replace(/(.{76})/g, '$1\r\n');
  const header = `Content-Type: application/pkcs7-mime; name="${fileName.replace(/["\\\r\n]/g, '_')}"\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  return Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(base64 + '\r\n', 'latin1')]);
}
