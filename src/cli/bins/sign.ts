/**
 * dist/smime-sign.js: `smime sign` alone, the bundle the launcher (launcher.cjs) runs it from. It holds only this
 * command's code, so its start-up reads, checks and deserialises less than dist/smime.js and its code cache.
 * `finished` settles with the exit status, as in bin.ts.
 */
import { runExecutable } from '../dispatch';

export const finished: Promise<number> = runExecutable({ sign: () => import('../commands/sign').then((m) => m.runSign) });
