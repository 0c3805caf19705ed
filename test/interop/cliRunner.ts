// Runs the `smime` CLI as a separate process, the way a user or CI script would, and parses its --json report.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The parts of the `verify --json` report these tests read. */
export interface CliSigner {
  status: string;
  reasons: string[];
  email?: string | null;
  emailMatchesFrom?: boolean;
  digestAlgorithm?: string;
  signatureAlgorithm?: string;
  chainTrusted?: boolean;
  /** Ids into CliReport.certificates (SHA-256 fingerprints), the chain leaf first. */
  certificate?: string | null;
  chain?: string[];
}

export interface CliLayer {
  kind: string;
  covers: string;
  decrypted?: boolean;
  contentEncryption?: string;
  signers?: CliSigner[];
}

export interface CliReport {
  schema?: number;
  verdict: string;
  reasons: string[];
  layers: CliLayer[];
  certificates?: Record<string, { sha256Fingerprint: string; subject: string; carried: boolean }>;
}

export interface CliRun {
  exit: number | null;
  stdout: string;
  stderr: string;
  report?: CliReport;
}

/** The repository root: the nearest folder above this (bundled) file that holds esbuild.mjs. */
export function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'esbuild.mjs')) && existsSync(join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

/**
 * The CLI to test: $SMIME_CLI when set (e.g. dist/cli.js after `npm run build`), otherwise a fresh bundle of
 * src/cli/bin.ts in `tmpDir`, so the tests never run a stale dist/ left from an older build.
 */
export function resolveCli(tmpDir: string): string {
  if (process.env.SMIME_CLI) return resolve(process.env.SMIME_CLI);
  const root = repoRoot();
  const entry = join(root, 'src/cli/bin.ts');
  if (!existsSync(entry)) throw new Error(`no CLI entry at ${entry}`);
  const out = join(tmpDir, 'cli.js');
  // bin/esbuild is the native binary once installed (a JS shim only before), so it is run directly.
  execFileSync(join(root, 'node_modules/esbuild/bin/esbuild'), [entry, '--bundle', '--platform=node',
    '--format=cjs', '--target=node20', `--outfile=${out}`, '--log-level=error'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return out;
}

/** Generous: a CLI run takes well under a second; this only stops a hung process from stalling the suite. */
const CLI_TIMEOUT_MS = 60_000;

export function runCli(cli: string, args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env }, encoding: 'utf8', timeout: CLI_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024,
  });
  const run: CliRun = { exit: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
  try {
    const parsed = JSON.parse(run.stdout) as CliReport;
    if (parsed && typeof parsed.verdict === 'string') run.report = parsed;
  } catch {
    // Not JSON: the caller reports stdout/stderr.
  }
  return run;
}
