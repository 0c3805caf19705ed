/**
 * `smime verify --jobs N`: messages verified on N worker threads. Each worker loads the trust anchors and keys
 * itself from the same command-line values (key objects do not cross threads), then verifies the messages it is
 * sent. Results come back in input order; at most WINDOW_PER_WORKER messages per worker are in flight, so memory
 * stays flat however many messages the run has.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { analyzeMessage, type SecurityReport } from '../core';
import { keysFrom, trustFrom } from './context';
import { VERIFY_WORKER_ROLE } from './workerRole';

/** Enough queued work that no worker waits for the main thread, little enough to keep memory flat. */
export const WINDOW_PER_WORKER = 4;

type VerifyValues = Parameters<typeof trustFrom>[0] & Parameters<typeof keysFrom>[0];
type WorkerReply = { id: number; report: SecurityReport } | { id: number; error: string } | { id: -1; error: string };

export type VerifyResult = { report: SecurityReport } | { error: string };

/** True in a thread the verify pool started: the bundle then serves verification requests instead of running main. */
export function isVerifyWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === VERIFY_WORKER_ROLE;
}

/** The worker's side: load trust and keys once, then verify what arrives. */
export async function serveVerifyRequests(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  let options: Awaited<ReturnType<typeof trustFrom>>;
  try {
    const values = (workerData as { values: VerifyValues }).values;
    options = { ...(await trustFrom(values)), keys: await keysFrom(values) };
  } catch (e) {
    port.postMessage({ id: -1, error: (e as Error).message } satisfies WorkerReply);
    return;
  }
  port.on('message', ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
    let reply: WorkerReply;
    try {
      reply = { id, report: analyzeMessage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), options).report };
    } catch (e) {
      reply = { id, error: `internal error: ${(e as Error).message}` };
    }
    port.postMessage(reply);
  });
}

export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; bytes: Buffer }[] = [];
  private readonly waiting = new Map<number, (r: VerifyResult) => void>();
  private nextId = 0;
  private failure: string | undefined;

  /** `script` is the bundle's own file: each worker runs it and finds itself a worker. */
  constructor(size: number, values: VerifyValues, script: string) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { argv: [VERIFY_WORKER_ROLE], workerData: { role: VERIFY_WORKER_ROLE, values } });
      worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
      worker.on('error', (e) => this.fail(`a verification thread stopped: ${e.message}`));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  get capacity(): number {
    return this.workers.length * WINDOW_PER_WORKER;
  }

  verify(bytes: Buffer): Promise<VerifyResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (this.failure) return resolve({ error: this.failure });
      this.waiting.set(id, resolve);
      this.queue.push({ id, bytes });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      // A private copy is transferred, not cloned: the message's bytes move to the worker without a second copy.
      const bytes = new Uint8Array(job.bytes);
      worker.postMessage({ id: job.id, bytes }, [bytes.buffer]);
    }
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    if (reply.id === -1) return this.fail('error' in reply ? reply.error : 'a verification thread failed to start');
    const done = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    this.idle.push(worker);
    done?.('report' in reply ? { report: reply.report } : { error: reply.error });
    this.dispatch();
  }

  private fail(message: string): void {
    this.failure ??= message;
    for (const done of this.waiting.values()) done({ error: message });
    this.waiting.clear();
    this.queue.length = 0;
  }
}
