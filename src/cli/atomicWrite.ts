/** Writing output files so that a reader never sees half a message: a temporary file beside it, then rename. */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writevSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Buffers handed to one writev call: POSIX guarantees at least 16 (IOV_MAX is 1024 on Linux and macOS). */
const WRITEV_BATCH = 1024;

/** Writes all of `parts` at the file position, in order, resuming after short writes. */
function writeAll(fd: number, parts: readonly Buffer[]): void {
  let queue = parts.filter((p) => p.length > 0);
  while (queue.length > 0) {
    const batch = queue.slice(0, WRITEV_BATCH);
    let written = writevSync(fd, batch);
    let done = 0;
    while (done < batch.length && written >= batch[done].length) written -= batch[done++].length;
    queue = done < batch.length ? [batch[done].subarray(written), ...batch.slice(done + 1), ...queue.slice(batch.length)] : queue.slice(batch.length);
  }
}

/** Creates `path` (failing when it exists) and writes `parts` into it. */
export function writeFileExclusive(path: string, parts: readonly Buffer[]): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeAll(fd, parts);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` (one buffer, or consecutive parts written with writev so they are never joined in memory) to
 * `path` atomically: rename within one folder is atomic on POSIX file systems.
 */
export function writeFileAtomic(path: string, data: Buffer | readonly Buffer[]): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileExclusive(temp, Buffer.isBuffer(data) ? [data] : data);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
