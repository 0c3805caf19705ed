// `npm run demo`: writes a throw-away test PKI with sample messages into demo-workspace/ (with `smime demo`) and
// verifies every sample with `smime verify`, showing the verdict each one gets and why.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? 'demo-workspace');
const cli = resolve('dist/cli.js');
const run = (args, env = {}) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

rmSync(dir, { recursive: true, force: true });
const made = run(['demo', dir]);
process.stderr.write(made.stderr);
if (made.status !== 0) process.exit(made.status ?? 1);
console.log(`Test PKI and sample messages written to ${dir} (keys are for testing only; passphrase "demo").\n`);

const messages = readdirSync(join(dir, 'messages')).filter((f) => f.endsWith('.eml')).sort();
const rows = [];
for (const file of messages) {
  const args = ['verify', join(dir, 'messages', file), '--ca', join(dir, 'ca.pem'), '--p12', join(dir, 'bob.p12'), '--passphrase-env', 'SMIME_DEMO_PASSPHRASE', '--json'];
  const result = run(args, { SMIME_DEMO_PASSPHRASE: 'demo' });
  const report = JSON.parse(result.stdout);
  rows.push({ message: file, verdict: report.verdict, exit: result.status, reasons: report.reasons.join(', '), summary: report.summary.slice(0, 90) });
}
console.table(rows);
console.log(`\nTry: node dist/cli.js verify ${join(dir, 'messages', 'tampered.eml')} --ca ${join(dir, 'ca.pem')}`);
