import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { demoFiles, createDemoPki } from '../../core';
import { InputError, OUTPUT_OPTIONS, parse } from '../args';
import { stdout } from '../stdout';

/** True when `dir` does not exist or is an empty folder; throws InputError when it is a file. */
function isEmptyOrAbsent(dir: string): boolean {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    return true;
  }
  if (!stat.isDirectory()) throw new InputError(`${dir} exists and is not a folder`);
  return readdirSync(dir).length === 0;
}

function writeAll(dir: string, files: ReturnType<typeof demoFiles>): void {
  for (const file of files) {
    const path = join(dir, ...file.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    // Keys are for testing only, but still owner-only, as a key file should be.
    writeFileSync(path, file.data, { mode: file.secret ? 0o600 : 0o644 });
    // `mode` only applies to new files; with --force an existing key file may have been readable by others.
    if (file.secret) chmodSync(path, 0o600);
  }
}

/**
 * How to run this command line again from here: `smime` when it was started by that name (installed on the PATH),
 * else `node PATH/cli.js` (a fresh clone has no `smime` on the PATH).
 */
function invocation(): string {
  const script = process.argv[1] ?? '';
  if (!/\.c?js$/.test(script)) return 'smime';
  const rel = relative(process.cwd(), script);
  return `node ${rel.startsWith('..') || isAbsolute(rel) ? script : rel}`;
}

/**
 * `smime demo DIR [--force]`: writes a throw-away test PKI (root CA, users, keys, PKCS#12 files) and sample
 * messages into DIR. Refuses a non-empty DIR unless --force (then same-named files are overwritten).
 */
export async function runDemo(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...OUTPUT_OPTIONS, force: { type: 'boolean' } }, { min: 1, max: 1, names: 'DIR' });
  const dir = resolve(positionals[0]);
  if (!values.force && !isEmptyOrAbsent(dir)) throw new InputError(`${dir} is not empty; use --force to write into it anyway`);
  const started = performance.now();
  const files = demoFiles(await createDemoPki());
  try {
    writeAll(dir, files);
  } catch (e) {
    throw new InputError(`cannot write into ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const ms = Math.round(performance.now() - started);
  if (values.json) {
    stdout().write(JSON.stringify({ dir, files: files.map((f) => f.path), milliseconds: ms }, null, 2) + '\n');
  } else {
    stdout().write(
      `Wrote ${files.length} files into ${dir} in ${ms} ms (TEST ONLY keys; passphrase "demo"; see README.txt).\n` +
        `Try: ${invocation()} verify ${join(dir, 'messages', 'signed-detached.eml')} --ca ${join(dir, 'ca.pem')}\n`,
    );
  }
  return 0;
}
