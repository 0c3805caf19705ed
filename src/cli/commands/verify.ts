import { analyzeMessage, type AnalyzeOptions } from '../../core';
import { InputError, KEY_OPTIONS, OUTPUT_OPTIONS, TRUST_OPTIONS, UsageError, parse } from '../args';
import { keysFrom, trustFrom } from '../context';
import { formatReport } from '../format';
import { expandInputs, readPathList, type InputItem } from '../inputs';
import { VerifyPool, type VerifyResult } from '../verifyPool';
import { BatchOutput, type OutputMode } from './verifyOutput';
import { stdout } from '../stdout';

const VERIFY_OPTIONS = {
  ...TRUST_OPTIONS,
  ...KEY_OPTIONS,
  ...OUTPUT_OPTIONS,
  jsonl: { type: 'boolean' },
  'files-from': { type: 'string' },
  jobs: { type: 'string', short: 'j' },
} as const;

/** More threads than this only wait on each other (and each loads the trust anchors and keys). */
const MAX_JOBS = 64;

function jobCount(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_JOBS}`);
  return n;
}

/** In-order results of every input: verified here, or on the pool's threads with a bounded window in flight. */
async function* results(inputs: AsyncGenerator<InputItem>, options: AnalyzeOptions, pool: VerifyPool | undefined) {
  if (!pool) {
    for await (const item of inputs) {
      if ('error' in item) yield { item, result: { error: item.error } as VerifyResult };
      else yield { item, result: { report: analyzeMessage(item.bytes, options).report } as VerifyResult };
    }
    return;
  }
  const inFlight: { item: InputItem; result: Promise<VerifyResult> }[] = [];
  for await (const item of inputs) {
    inFlight.push({ item, result: 'error' in item ? Promise.resolve({ error: item.error }) : pool.verify(item.bytes) });
    // The bytes now belong to the worker; the label is all that is kept.
    if ('bytes' in item) (item as { bytes?: Buffer }).bytes = undefined;
    if (inFlight.length >= pool.capacity) {
      const next = inFlight.shift()!;
      yield { item: next.item, result: await next.result };
    }
  }
  for (const next of inFlight) yield { item: next.item, result: await next.result };
}

/**
 * `smime verify INPUT...`: decrypts what it can and verifies every signed layer. An input is a message file, an mbox
 * archive (each message on its own), a folder (its .eml and .mbox files, or a Maildir) or, with --files-from, a list
 * of them. Exit 0 only when every message is "valid"; 1 when one is not; 2 when one cannot be read (or on a usage
 * error). Reports are written as each message is verified, so a run over a whole archive keeps memory flat.
 */
export async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, VERIFY_OPTIONS, { min: 0, max: Infinity, names: 'FILE' });
  if (values.json && values.jsonl) throw new UsageError('give --json or --jsonl, not both');
  const paths = [...positionals];
  if (values['files-from'] !== undefined) {
    try {
      paths.push(...(await readPathList(values['files-from'])));
    } catch (e) {
      throw new InputError(`cannot read --files-from ${values['files-from']}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else if (paths.length === 0) {
    throw new UsageError('missing FILE');
  }
  const jobs = jobCount(values.jobs);
  const options: AnalyzeOptions = { ...(await trustFrom(values)), keys: await keysFrom(values) };
  const mode: OutputMode = values.jsonl ? 'jsonl' : values.json ? 'json' : 'text';
  const inputs = expandInputs(paths);

  // One plain message keeps the single report it always had (no file heading, no summary, a JSON object).
  if (paths.length === 1 && values['files-from'] === undefined) {
    const first = await inputs.next();
    const second = first.done ? undefined : await inputs.next();
    if (!first.done && second?.done) {
      const item = first.value;
      if ('error' in item) throw new InputError(item.error);
      if (item.index === undefined && mode !== 'jsonl') {
        const { report } = analyzeMessage(item.bytes, options);
        stdout().write((mode === 'json' ? JSON.stringify(report, null, 2) : formatReport(report)) + '\n');
        return report.verdict === 'valid' ? 0 : 1;
      }
    }
    return runBatch(replay([first, second]), inputs, options, mode, jobs, values);
  }
  return runBatch(undefined, inputs, options, mode, jobs, values);
}

function replay(seen: (IteratorResult<InputItem> | undefined)[]): InputItem[] {
  return seen.flatMap((r) => (r && !r.done ? [r.value] : []));
}

async function* chain(head: InputItem[] | undefined, rest: AsyncGenerator<InputItem>): AsyncGenerator<InputItem> {
  if (head) yield* head;
  yield* rest;
}

async function runBatch(
  head: InputItem[] | undefined,
  rest: AsyncGenerator<InputItem>,
  options: AnalyzeOptions,
  mode: OutputMode,
  jobs: number,
  values: Parameters<typeof trustFrom>[0] & Parameters<typeof keysFrom>[0],
): Promise<number> {
  const output = new BatchOutput(mode);
  // The bundle's own file: worker threads run it and find themselves workers (see bin.ts).
  const pool = jobs > 1 ? new VerifyPool(jobs, values, __filename) : undefined;
  try {
    for await (const { item, result } of results(chain(head, rest), options, pool)) {
      output.write(item, result);
    }
  } finally {
    await pool?.close();
  }
  return output.finish();
}

