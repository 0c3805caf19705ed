/** Writing output files so that a reader never sees half a message: a temporary file beside it, then rename. */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes `data` to `path` atomically (rename within one folder is atomic on POSIX file systems). */
export function writeFileAtomic(path: string, data: Buffer): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, data, { flag: 'wx', mode: 0o644 });
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
