/**
 * Saving a received message so that nothing partial is ever visible: the bytes go to a hidden temporary file in
 * the same folder, are flushed to disk, and only then get their `.eml` name. The name is given with link(2),
 * which never replaces an existing file (two messages in the same millisecond with the same subject get `-2`).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { messageFileName } from './fileName';

/** Names tried before giving up: more messages than this in one millisecond with one subject is not a test run. */
export const MAX_NAME_ATTEMPTS = 1000;
/** Temporary files start with this, so the inbox view and `smime verify DIR/*.eml` never see them. */
export const TEMP_PREFIX = '.incoming-';

/** File systems without hard links (some network and FAT mounts) answer link(2) with one of these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

async function writeDurably(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes `bytes` into `folder` as TIMESTAMP-SUBJECT.eml and returns the file name. */
export async function storeMessage(folder: string, bytes: Buffer, receivedAt: Date, subject: string | undefined): Promise<string> {
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}.tmp`);
  try {
    await writeDurably(temp, bytes);
    for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
      const name = messageFileName(receivedAt, subject, attempt);
      const target = join(folder, name);
      try {
        await link(temp, target);
        return name;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') continue;
        if (!NO_HARD_LINKS.has(code)) throw e;
        // Without hard links: rename is still atomic, but only a check beforehand keeps it from replacing a file.
        if (await exists(target)) continue;
        await rename(temp, target);
        return name;
      }
    }
    throw new Error(`no free file name for the message after ${MAX_NAME_ATTEMPTS} attempts`);
  } finally {
    await rm(temp, { force: true });
  }
}
