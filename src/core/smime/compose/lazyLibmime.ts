/**
 * libmime, loaded on first use. It pulls in iconv-lite and encoding-japanese, whose loading and table building
 * cost tens of milliseconds; only header fields with 8-bit text (RFC 2047 words, RFC 2231 parameters) and a
 * charset added to 8-bit text need it, so a message that is already 7-bit never pays for it.
 */
import type Libmime from 'libmime';

let loaded: typeof Libmime | undefined;

export function libmime(): typeof Libmime {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('libmime') as typeof Libmime;
  return loaded;
}
