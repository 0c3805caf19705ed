/**
 * The `smime` executable: runs the command line and sets the exit status (see main.ts). `finished` settles with
 * the exit status; the build's code-cache training (scripts/codeCache.mjs) runs the bundle several times and
 * waits on it.
 */
import { main } from './main';

export const finished: Promise<number> = main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    return code;
  },
  () => {
    process.exitCode = 2;
    return 2;
  },
);
