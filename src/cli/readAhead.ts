/**
 * Reading the input while the command's code loads. The file named first after the command is read on libuv's
 * thread pool in one read call into a buffer of its size, so on a machine with more than one core the read
 * overlaps the command's module start-up (which is longer than reading a 10 MB message). The command asks for
 * the bytes through readInput, which falls back to an ordinary read (and its error messages) when nothing was
 * read ahead or the read failed.
 */
import { close, fstatSync, openSync, read, statSync } from 'node:fs';
import { resolve } from 'node:path';

const pending = new Map<string, Promise<Buffer | undefined>>();

/** Reads the whole of an open regular file of `size` octets; undefined on any failure or a size change. */
function readOpenFile(fd: number, size: number): Promise<Buffer | undefined> {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Promise((done) => {
    const step = (offset: number): void => {
      read(fd, buffer, offset, size - offset, offset, (error, bytesRead) => {
        if (!error && bytesRead > 0 && offset + bytesRead < size) return step(offset + bytesRead);
        close(fd, () => done(!error && offset + bytesRead === size ? buffer : undefined));
      });
    };
    step(0);
  });
}

/** Starts reading `path` when it names a non-empty regular file; never throws. */
export function readAhead(path: string | undefined): void {
  if (!path || path.startsWith('-')) return;
  let fd: number | undefined;
  try {
    // Only regular files: opening a FIFO would block until a writer came, and its bytes could be read only once.
    if (!statSync(path).isFile()) return;
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size === 0) throw new Error('not read ahead');
    pending.set(resolve(path), readOpenFile(fd, stat.size));
  } catch {
    if (fd !== undefined) close(fd, () => undefined);
  }
}

/** The bytes read ahead for `path`, once; undefined when none were (or the read failed). */
export async function takeReadAhead(path: string): Promise<Buffer | undefined> {
  const key = resolve(path);
  const read = pending.get(key);
  pending.delete(key);
  return read;
}
