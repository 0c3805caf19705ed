/**
 * Where `smime sign`, `encrypt` and `sign-encrypt` put their results, and what they report. One input goes to
 * -o OUT. Several inputs go to --out-dir DIR, each under its own file name, in one run: Node starts once and the
 * identity and certificates are loaded once, which is what a test suite signing hundreds of messages needs. A
 * refused or unreadable input is reported and the others go on.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ComposeError, type ComposeResult, type RefusalCode } from '../../core';
import { writeFileAtomic } from '../atomicWrite';
import { InputError, OUTPUT_OPTIONS, UsageError } from '../args';
import { readInput } from '../context';
import { stdout } from '../stdout';
import { writeStderr } from '../stderr';

export const WRITE_OPTIONS = {
  ...OUTPUT_OPTIONS,
  out: { type: 'string', short: 'o' },
  'out-dir': { type: 'string' },
  force: { type: 'boolean' },
  'protect-headers': { type: 'boolean' },
} as const;

/** Refusals --force may override: the recipient's client will still judge them. */
const FORCEABLE = new Set<RefusalCode>(['cert-expired', 'cert-not-yet-valid', 'key-usage', 'ext-key-usage', 'recipient-expired']);

/** -o is required and must not be the input (same path, or the same file through a link). */
export function outputPath(out: string | undefined, input: string): string {
  if (!out) throw new UsageError('-o OUT is required');
  if (resolve(out) === resolve(input)) throw new UsageError('-o must not name the input file');
  if (existsSync(out) && existsSync(input)) {
    const [a, b] = [statSync(out), statSync(input)];
    if (a.ino === b.ino && a.dev === b.dev) throw new UsageError('-o must not name the input file');
  }
  return out;
}

/** The output file of each input: -o OUT for one input, or DIR/<input's file name> with --out-dir DIR. */
export function outputTargets(values: { out?: string; 'out-dir'?: string }, inputs: string[]): string[] {
  if (values.out !== undefined && values['out-dir'] !== undefined) throw new UsageError('give -o OUT or --out-dir DIR, not both');
  if (values['out-dir'] === undefined) {
    if (inputs.length > 1) throw new UsageError('-o names one output: use --out-dir DIR for several inputs');
    return [outputPath(values.out, inputs[0])];
  }
  const dir = values['out-dir'];
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`--out-dir ${dir} is not a folder`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot use --out-dir ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const targets = inputs.map((input) => join(dir, basename(input)));
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(resolve(target))) throw new UsageError(`two inputs would both be written to ${target}`);
    seen.add(resolve(target));
  }
  return targets.map((target, i) => outputPath(target, inputs[i]));
}

/** What was changed and why, then the warnings: to stderr, never the content itself. */
export function printReport(result: Pick<ComposeResult, 'preflight' | 'warnings'>): void {
  const lines: string[] = [];
  if (result.preflight.length) {
    lines.push(`preflight: ${result.preflight.length} change(s) before protecting the content`);
    for (const c of result.preflight) lines.push(`  part ${c.path}: ${c.change} (${c.reason})`);
  } else {
    lines.push('preflight: content already ESP-safe, nothing changed');
  }
  for (const w of result.warnings) lines.push(`warning: ${w.message}`);
  writeStderr(lines.join('\n') + '\n');
}

/** Writes `result` to `out` atomically, then says what was changed and where it went. */
function writeResult(out: string, result: ComposeResult, done: string): void {
  writeFileAtomic(out, result.parts);
  printReport(result);
  writeStderr(`${done}: ${out}\n`);
}

/** Runs a write operation: refusals exit 1, success writes OUT atomically and exits 0. */
export async function runWrite(command: string, values: { json?: boolean }, out: string, done: string, operation: () => ComposeResult | Promise<ComposeResult>): Promise<number> {
  let result: ComposeResult;
  try {
    result = await operation();
  } catch (e) {
    if (!(e instanceof ComposeError)) throw e;
    for (const p of e.problems) writeStderr(`smime ${command}: refused: ${p.message}\n`);
    if (e.problems.every((p) => FORCEABLE.has(p.code))) {
      writeStderr(`smime ${command}: nothing was written; --force writes it anyway\n`);
    }
    if (values.json) stdout().write(JSON.stringify({ output: null, refused: e.problems, preflight: [], warnings: [] }, null, 2) + '\n');
    return 1;
  }
  writeResult(out, result, done);
  if (values.json) stdout().write(JSON.stringify({ output: out, preflight: result.preflight, warnings: result.warnings }, null, 2) + '\n');
  return 0;
}

/** One message's operation; async when it reads files (recipient certificates) through the file adapter. */
type ComposeOperation = (input: Buffer) => ComposeResult | Promise<ComposeResult>;

interface FileOutcome {
  input: string;
  output: string | null;
  error?: string;
  refused?: ComposeError['problems'];
  preflight?: ComposeResult['preflight'];
  warnings?: ComposeResult['warnings'];
}

/**
 * Runs `operation` on every input and writes each result atomically to its output. Exit 0 when all were written,
 * 1 when one was refused (nothing written for it), 2 when one could not be read.
 */
async function runWriteMany(command: string, values: { json?: boolean }, inputs: string[], outputs: string[], done: string, operation: ComposeOperation): Promise<number> {
  const outcomes: FileOutcome[] = [];
  for (const [i, file] of inputs.entries()) {
    let result: ComposeResult;
    try {
      result = await operation(await readInput(file));
    } catch (e) {
      if (e instanceof InputError) {
        outcomes.push({ input: file, output: null, error: e.message });
        writeStderr(`smime ${command}: ${e.message}\n`);
        continue;
      }
      if (!(e instanceof ComposeError)) throw e;
      outcomes.push({ input: file, output: null, refused: e.problems });
      for (const p of e.problems) writeStderr(`smime ${command}: ${file}: refused: ${p.message}\n`);
      continue;
    }
    writeStderr(`${file}:\n`);
    writeResult(outputs[i], result, done);
    outcomes.push({ input: file, output: outputs[i], preflight: result.preflight, warnings: result.warnings });
  }
  const written = outcomes.filter((o) => o.output !== null).length;
  const unreadable = outcomes.filter((o) => o.error !== undefined).length;
  writeStderr(`${outcomes.length} messages: ${written} written, ${outcomes.length - written - unreadable} refused, ${unreadable} unreadable\n`);
  if (values.json) stdout().write(JSON.stringify(outcomes, null, 2) + '\n');
  return unreadable > 0 ? 2 : written === outcomes.length ? 0 : 1;
}

/**
 * The write commands' main loop: one input is read (an unreadable one is exit 2) and written with runWrite;
 * several are written with runWriteMany. `operation` may throw ComposeError (a refusal) or InputError.
 */
export async function runWrites(command: string, values: { json?: boolean; out?: string; 'out-dir'?: string }, inputs: string[], done: string, operation: ComposeOperation): Promise<number> {
  const outputs = outputTargets(values, inputs);
  if (inputs.length > 1) return runWriteMany(command, values, inputs, outputs, done, operation);
  const input = await readInput(inputs[0]);
  return runWrite(command, values, outputs[0], done, () => operation(input));
}

/** `make()` once: its value, or the error it threw, for every later call (an identity is loaded once per run). */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | { error: unknown } | undefined;
  return () => {
    made ??= (() => {
      try {
        return { value: make() };
      } catch (error) {
        return { error };
      }
    })();
    if ('error' in made) throw made.error;
    return made.value;
  };
}
