/**
 * Whether this thread is one of `smime verify --jobs N`'s workers. Kept apart from verifyPool.ts so the
 * executable can ask at start-up without loading the verification code for every command.
 */
import { isMainThread, workerData } from 'node:worker_threads';

export const VERIFY_WORKER_ROLE = 'smime-verify-worker';

/** True in a thread the verify pool started: the bundle then serves verification requests instead of running main. */
export function isVerifyWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === VERIFY_WORKER_ROLE;
}
