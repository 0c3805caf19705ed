/**
 * The messages a read command works on: files, folders (every `.eml` and `.mbox` below them, and Maildir folders),
 * mbox archives (each message on its own) and lists of paths (`--files-from FILE|-`). Inputs are produced one at a
 * time, in a stable order (names sorted), so a run over a whole archive holds one message at a time in memory.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { MboxSplitter, looksLikeMbox } from '../core';
import { readInput } from './context';

export type InputItem =
  | { file: string; index?: number; bytes: Buffer }
  | { file: string; index?: number; error: string };

/** Message files found in folders; anything else there (notes, keys, images) is not a message. */
const MESSAGE_EXTENSIONS = new Set(['.eml', '.mbox']);
/** A Maildir (cur/, new/, tmp/): messages sit in cur/ and new/ under unique names without an extension. */
const MAILDIR_MESSAGE_FOLDERS = ['cur', 'new'];
/** How much of a file is read to tell an mbox archive from a message. */
const SNIFF_BYTES = 5;
/** Streaming reads of an archive: large enough to amortise system calls, small against any message. */
const MBOX_CHUNK_BYTES = 1 << 20;

function errorText(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

async function isMaildir(dir: string): Promise<boolean> {
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  return MAILDIR_MESSAGE_FOLDERS.every((n) => names.has(n));
}

/** Files of a folder tree, sorted; links to folders are not followed (no loops). */
async function* folderFiles(dir: string): AsyncGenerator<string> {
  if (await isMaildir(dir)) {
    for (const sub of MAILDIR_MESSAGE_FOLDERS) {
      const entries = (await readdir(join(dir, sub), { withFileTypes: true })).sort(byName);
      for (const e of entries) if (!e.name.startsWith('.') && (e.isFile() || e.isSymbolicLink())) yield join(dir, sub, e.name);
    }
    return;
  }
  const entries = (await readdir(dir, { withFileTypes: true })).sort(byName);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* folderFiles(path);
    else if ((e.isFile() || e.isSymbolicLink()) && MESSAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) yield path;
  }
}

async function startsLikeMbox(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return looksLikeMbox(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * An mbox archive, message by message. A file that starts with a "From " line but holds one message and is not
 * named .mbox is a saved message with its envelope line: it is given whole, as it always was.
 */
async function* mboxMessages(path: string): AsyncGenerator<InputItem> {
  const splitter = new MboxSplitter();
  const named = extname(path).toLowerCase() === '.mbox';
  let held: InputItem | undefined;
  let chunks: Buffer[] | undefined = named ? undefined : [];
  let count = 0;
  const release = function* (messages: ReturnType<MboxSplitter['push']>): Generator<InputItem> {
    for (const m of messages) {
      count++;
      const item: InputItem = { file: path, index: m.index, bytes: m.bytes };
      if (count === 1 && !named) {
        held = item;
        continue;
      }
      if (held) {
        yield held;
        held = undefined;
        chunks = undefined;
      }
      yield item;
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: MBOX_CHUNK_BYTES })) {
    chunks?.push(chunk as Buffer);
    yield* release(splitter.push(chunk as Buffer));
  }
  yield* release(splitter.end());
  if (count === 0) yield { file: path, error: `no message in ${path}` };
  if (held) yield chunks ? { file: path, bytes: Buffer.concat(chunks) } : held;
}

async function* pathInputs(path: string): AsyncGenerator<InputItem> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    yield { file: path, error: `cannot read ${path}: ${errorText(e)}` };
    return;
  }
  if (info.isDirectory()) {
    let found = false;
    try {
      for await (const file of folderFiles(path)) {
        found = true;
        yield* fileInputs(file);
      }
    } catch (e) {
      yield { file: path, error: `cannot read folder ${path}: ${errorText(e)}` };
      return;
    }
    if (!found) yield { file: path, error: `no .eml or .mbox file in folder ${path}` };
    return;
  }
  yield* fileInputs(path);
}

async function* fileInputs(path: string): AsyncGenerator<InputItem> {
  try {
    if ((await stat(path)).isFile() && (await startsLikeMbox(path))) {
      yield* mboxMessages(path);
      return;
    }
    yield { file: path, bytes: await readInput(path) };
  } catch (e) {
    yield { file: path, error: (e as Error).name === 'InputError' ? (e as Error).message : `cannot read ${path}: ${errorText(e)}` };
  }
}

/** The paths listed one per line in FILE, or on standard input for "-" (empty lines skipped). */
export async function readPathList(source: string): Promise<string[]> {
  let text: string;
  if (source === '-') {
    const parts: Buffer[] = [];
    for await (const chunk of process.stdin) parts.push(chunk as Buffer);
    text = Buffer.concat(parts).toString('utf8');
  } else {
    text = await readFile(source, 'utf8');
  }
  return text
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line.length > 0);
}

/** Every message of every path, in order. */
export async function* expandInputs(paths: string[]): AsyncGenerator<InputItem> {
  for (const path of paths) yield* pathInputs(path);
}

/** "archive.mbox#3" for the third message of an archive, else the file name. */
export function inputLabel(item: { file: string; index?: number }): string {
  return item.index === undefined ? item.file : `${item.file}#${item.index}`;
}
