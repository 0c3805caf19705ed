/**
 * Mutation fuzz of the whole read path (MIME parse, CMS parse, verification, decryption): no exception
 * may escape analyzeMessage and no input may take more than a second. `npm run fuzz` runs a longer campaign.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from './campaign';

const ITERATIONS = Number(process.env.SMIME_FUZZ_ITERATIONS ?? 10_000);

test(`fuzz: ${ITERATIONS} mutated messages, no exception, none over 1 s`, { timeout: 15 * 60_000 }, () => {
  const result = runFuzz({ iterations: ITERATIONS, seed: 20261128 });
  console.log(`fuzz: ${result.iterations} inputs from ${result.seedCount} seeds in ${result.totalMs.toFixed(0)} ms; slowest ${result.slowestMs.toFixed(1)} ms (${result.slowestName}); verdicts ${JSON.stringify(result.verdicts)}`);
  assert.deepEqual(result.failures, [], 'exceptions escaped');
  assert.ok(result.slowestMs < 1000, `an input took ${result.slowestMs} ms`);
  assert.ok(result.iterations >= ITERATIONS);
});
