// Writes every read-side interop message to a directory, with its test PKI and a cases.json that gives, per
// message, the CLI arguments and the expected outcome. For looking at the messages by hand or replaying one case:
//   node scripts/gen-interop-fixtures.mjs [OUT_DIR]
// Each message is also checked by its independent tool, exactly as the interop test does.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gpgsmAvailable } from '../helpers/gpgsm';
import { nssAvailable } from '../helpers/nss';
import { createTestPki } from '../helpers/pki';
import { caseFileName, cliArgsFor, createInteropContext, expectedExit, ReadSideCase } from './caseTypes';
import { READ_SIDE_CASES } from './readSideCases';

function available(c: ReadSideCase): boolean {
  return (c.tool !== 'nss' || nssAvailable()) && (c.tool !== 'gpgsm' || gpgsmAvailable());
}

async function main(outDir: string): Promise<number> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const started = performance.now();
  const pki = await createTestPki(join(outDir, 'pki'));
  const pkiMs = performance.now() - started;
  const ctx = createInteropContext(pki);
  const index: object[] = [];
  let failures = 0;
  try {
    for (const c of READ_SIDE_CASES.filter(available)) {
      const built = c.build(ctx);
      const file = join(outDir, caseFileName(c));
      writeFileSync(file, built.message);
      let sanity = 'ok';
      try {
        c.sanity(ctx, built);
      } catch (err) {
        sanity = `FAILED: ${(err as Error).message.split('\n')[0]}`;
        failures += 1;
      }
      const { verdict, reasons } = c.expect;
      index.push({ name: c.name, tool: c.tool, file, argv: cliArgsFor(c, ctx, file), env: c.env ?? {},
        expect: { verdict: verdict ?? null, reasons: reasons ?? [], exit: expectedExit(c.expect) }, sanity });
      console.log(`${sanity === 'ok' ? 'ok    ' : 'FAILED'} ${c.name}`);
    }
  } finally {
    ctx.close();
  }
  writeFileSync(join(outDir, 'cases.json'), JSON.stringify(index, null, 2) + '\n');
  const totalMs = performance.now() - started;
  console.log(`${index.length} messages in ${outDir} (test PKI ${pkiMs.toFixed(0)} ms, all ${totalMs.toFixed(0)} ms)`);
  console.log(`replay one: node dist/cli.js $(jq -r '.[0].argv | @sh' ${join(outDir, 'cases.json')})`);
  return failures ? 1 : 0;
}

main(resolve(process.argv[2] ?? 'tmp/interop-fixtures')).then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(2);
});
