/**
 * Standard output, made on first use. Creating the stream loads Node's tty, pipe or file-stream code (about 3 ms
 * at start-up), which commands that write only to files and to stderr (sign, encrypt with -o) never need.
 */
let guarded = false;

export function stdout(): NodeJS.WriteStream {
  const stream = process.stdout;
  if (!guarded) {
    guarded = true;
    // A reader that stops early (`smime verify DIR | head`) closes the pipe: stop quietly, as other tools do, with
    // the status of an incomplete run.
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(2);
    });
  }
  return stream;
}
