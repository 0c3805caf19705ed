/**
 * Whether this thread may be one of `smime verify --jobs N`'s workers. Kept apart from verifyPool.ts so the
 * executable can ask at start-up without loading the verification code, nor node:worker_threads (about 2 ms),
 * for every command: the pool starts its workers with VERIFY_WORKER_ROLE among their arguments, and only then
 * is the thread's role read (verifyPool.ts's isVerifyWorker).
 */
export const VERIFY_WORKER_ROLE = 'smime-verify-worker';

/** True when the arguments carry the workers' marker; verifyPool.ts's isVerifyWorker then decides. */
export function mayBeVerifyWorker(): boolean {
  return process.argv.includes(VERIFY_WORKER_ROLE);
}
