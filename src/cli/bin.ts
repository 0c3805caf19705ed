/**
 * The `smime` executable: runs the command line and sets the exit status (see dispatch.ts). `finished` settles with
 * the exit status; the build's code-cache training (scripts/codeCache.mjs) runs the bundle several times and
 * waits on it. The same bundle runs in `smime verify --jobs N`'s worker threads, where it serves verifications.
 */
import { runExecutable } from './dispatch';
import { COMMANDS } from './main';
import { mayBeVerifyWorker } from './workerRole';

// The verification code loads only in a worker (and in `verify` itself), never for every command's start-up.
export const finished: Promise<number> = mayBeVerifyWorker()
  ? import('./verifyPool').then(async (m) => (m.isVerifyWorker() ? (await m.serveVerifyRequests(), 0) : runExecutable(COMMANDS)))
  : runExecutable(COMMANDS);
