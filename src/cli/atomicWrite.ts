/**
 * Writing output files so that a reader never sees half a message: a temporary file beside it, then rename (or, for
 * a file that must not replace another, link).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, renameSync, rmSync, writevSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** File systems without hard links (some network and FAT mounts) answer link(2) with one of these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** A hidden temporary name in the folder of `path`, so that rename and link stay within one file system. */
function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

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
function writeFileExclusive(path: string, parts: readonly Buffer[]): void {
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
  const temp = tempPathBeside(path);
  try {
    writeFileExclusive(temp, Buffer.isBuffer(data) ? [data] : data);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Writes a new file that readers see whole or not at all, and never replaces one: a temporary file beside it is
 * given the name with link(2), which fails with EEXIST when the name is taken.
 */
export function writeNewFile(path: string, data: Buffer): void {
  const temp = tempPathBeside(path);
  try {
    writeFileExclusive(temp, [data]);
    try {
      linkSync(temp, path);
    } catch (e) {
      if (!NO_HARD_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
      // Without hard links rename is still atomic, but only a check beforehand keeps it from replacing a file.
      if (existsSync(path)) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
      renameSync(temp, path);
    }
  } finally {
    rmSync(temp, { force: true });
  }
}
