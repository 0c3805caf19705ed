/**
 * The `smime` executable: runs the command line and sets the exit status (see main.ts). `finished` settles with
 * the exit status; the build's code-cache training (scripts/codeCache.mjs) runs the bundle several times and
 * waits on it. The same bundle runs in `smime verify --jobs N`'s worker threads, where it serves verifications.
 */
import { main } from './main';
import { mayBeVerifyWorker } from './workerRole';

function runMain(): Promise<number> {
  // Standard output is made on first use, with its EPIPE handling (stdout.ts).
  return main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      return code;
    },
    () => {
      process.exitCode = 2;
      return 2;
    },
  );
}

// The verification code loads only in a worker (and in `verify` itself), never for every command's start-up.
export const finished: Promise<number> = mayBeVerifyWorker()
  ? import('./verifyPool').then(async (m) => (m.isVerifyWorker() ? (await m.serveVerifyRequests(), 0) : runMain()))
  : runMain();
