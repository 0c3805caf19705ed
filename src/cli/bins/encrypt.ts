/**
 * dist/smime-encrypt.js: `smime encrypt` alone, the bundle the launcher (launcher.cjs) runs it from. It holds only this
 * command's code, so its start-up reads, checks and deserialises less than dist/smime.js and its code cache.
 * `finished` settles with the exit status, as in bin.ts.
 */
import { runExecutable } from '../dispatch';

export const finished: Promise<number> = runExecutable({ encrypt: () => import('../commands/encrypt').then((m) => m.runEncrypt) });
