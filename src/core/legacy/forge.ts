/**
 * node-forge, loaded on first use. It is large (about 600 KB of JavaScript) and only legacy algorithms need it
 * (RC2 and single DES, which OpenSSL 3 keeps out of its default provider), so ordinary mail never pays for it.
 */
import type * as Forge from 'node-forge';

let loaded: typeof Forge | undefined;

export function forge(): typeof Forge {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('node-forge') as typeof Forge;
  return loaded;
}
