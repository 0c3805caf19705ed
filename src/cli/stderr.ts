/**
 * Writing to standard error without making process.stderr: creating that stream loads Node's pipe or file-stream
 * code (2-4 ms at start-up, more than signing a small message), while a direct write to descriptor 2 costs
 * nothing. Every message of the command line goes through here, so their order is the order of the calls. When a
 * direct write fails (e.g. a non-blocking pipe that is full) the rest goes through the stream, which waits.
 */
import { writeSync } from 'node:fs';

export function writeStderr(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(2, bytes, done);
  } catch {
    process.stderr.write(bytes.subarray(done));
  }
}
