// Read-side interop: messages made by OpenSSL, NSS and gpgsm, read by `smime verify --json` as a separate process.
// Each message is first checked by an independent implementation (the "generators" suite), so a failure in the
// CLI suite means the reader is wrong, not the fixture. A table of expected and actual outcomes is printed last.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gpgsmAvailable } from '../helpers/gpgsm';
import { assertWellFormedMessage } from '../helpers/mime';
import { nssAvailable } from '../helpers/nss';
import { sharedTestPki, workFile } from '../helpers/pki';
import { Built, caseFileName, cliArgsFor, createInteropContext, expectedExit, InteropContext, ReadSideCase } from './caseTypes';
import { CliRun, resolveCli, runCli } from './cliRunner';
import { READ_SIDE_CASES } from './readSideCases';

let ctx: InteropContext & { close(): void };
let cli: string | Error;
const built = new Map<ReadSideCase, Built>();
const timings = { pkiMs: 0, buildMs: 0 };
const rows: { name: string; expected: string; got: string; ok: boolean }[] = [];

function buildOnce(c: ReadSideCase): Built {
  let b = built.get(c);
  if (!b) {
    const start = performance.now();
    b = c.build(ctx);
    timings.buildMs += performance.now() - start;
    built.set(c, b);
  }
  return b;
}

function missingTool(c: ReadSideCase): string | undefined {
  if (c.tool === 'nss' && !nssAvailable()) return 'NSS tools (libnss3-tools) not installed';
  if (c.tool === 'gpgsm' && !gpgsmAvailable()) return 'gpgsm not installed';
  return undefined;
}

function describeExpected(c: ReadSideCase): string {
  const reasons = c.expect.reasons?.length ? ` [${c.expect.reasons.join(',')}]` : '';
  return `${c.expect.verdict ?? (c.command ?? '*')}${reasons} exit ${expectedExit(c.expect)}`;
}

function describeGot(run: CliRun): string {
  if (!run.report) return `no report, exit ${run.exit}`;
  return `${run.report.verdict} [${run.report.reasons.join(',')}] exit ${run.exit}`;
}

/** Every way the run differs from the expectation, so one failure shows all of them. */
function problemsOf(c: ReadSideCase, run: CliRun): string[] {
  const problems: string[] = [];
  const e = c.expect;
  if (!run.report && c.command !== 'decrypt') {
    return [`no JSON report (exit ${run.exit}): ${(run.stderr || run.stdout).slice(0, 600)}`];
  }
  if (e.verdict && run.report?.verdict !== e.verdict) problems.push(`verdict ${run.report?.verdict}, expected ${e.verdict}`);
  for (const code of e.reasons ?? []) {
    if (!run.report?.reasons.includes(code)) problems.push(`reason ${code} missing from [${run.report?.reasons.join(', ')}]`);
  }
  if (run.exit !== expectedExit(e)) problems.push(`exit ${run.exit}, expected ${expectedExit(e)}: ${run.stderr.slice(0, 300)}`);
  try {
    e.check?.(run.report, ctx);
  } catch (err) {
    problems.push(`check: ${(err as Error).message}`);
  }
  return problems;
}

before(async () => {
  const start = performance.now();
  const pki = await sharedTestPki();
  timings.pkiMs = performance.now() - start;
  ctx = createInteropContext(pki);
  try {
    cli = resolveCli(pki.dir);
  } catch (err) {
    cli = err as Error;
  }
});

after(() => {
  ctx?.close();
  const width = Math.max(...rows.map((r) => r.name.length), 4);
  const lines = rows.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(width)} | ${r.expected} | ${r.got}`);
  console.log([
    `read-side interop: ${rows.filter((r) => r.ok).length}/${rows.length} as expected`,
    `fixtures: test PKI ${timings.pkiMs.toFixed(0)} ms, ${built.size} messages ${timings.buildMs.toFixed(0)} ms`,
    `     ${'case'.padEnd(width)} | expected | got`,
    ...lines,
  ].join('\n'));
});

describe('read-side generators: each message as its own tool and OpenSSL see it', () => {
  for (const c of READ_SIDE_CASES) {
    test(c.name, (t) => {
      const missing = missingTool(c);
      if (missing) return t.skip(missing);
      const b = buildOnce(c);
      assertWellFormedMessage(b.message, c.lineEnding);
      c.sanity(ctx, b);
    });
  }
});

describe('read side: smime verify --json', () => {
  for (const c of READ_SIDE_CASES) {
    test(c.name, (t) => {
      const missing = missingTool(c);
      if (missing) return t.skip(missing);
      if (cli instanceof Error) {
        rows.push({ name: c.name, expected: describeExpected(c), got: 'CLI missing', ok: false });
        assert.fail(`CLI not available: ${cli.message}`);
      }
      const file = workFile(ctx.pki, caseFileName(c), buildOnce(c).message);
      const args = cliArgsFor(c, ctx, file);
      const run = runCli(cli, args, c.env);
      const problems = problemsOf(c, run);
      rows.push({ name: c.name, expected: describeExpected(c), got: describeGot(run), ok: problems.length === 0 });
      assert.deepEqual(problems, [], `${c.name}: smime ${args.join(' ')}`);
    });
  }
});
