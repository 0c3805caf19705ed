// Generates the read-side interop messages (OpenSSL, NSS, gpgsm) with a fresh test PKI into a directory
// (default tmp/interop-fixtures, which git ignores) and writes cases.json with the CLI arguments and expected
// outcome of each. Only the generator is bundled, so it works while other tests do not build.
//   node scripts/gen-interop-fixtures.mjs [OUT_DIR]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const buildDir = mkdtempSync(join(tmpdir(), 'smime-genfixtures-'));
try {
  const outfile = join(buildDir, 'genFixtures.js');
  await esbuild.build({
    entryPoints: ['test/interop/genFixtures.runner.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    outfile, logLevel: 'warning',
  });
  const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(buildDir, { recursive: true, force: true });
}
