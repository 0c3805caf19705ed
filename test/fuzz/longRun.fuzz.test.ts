/**
 * The long-run generator on its own: runs of one character, up to a megabyte, in the headers and parameters of
 * every seed message. Each input is analysed within a second and without an exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMessage } from '../../src/core/smime/analyze';
import { longRun, rng } from './mutate';
import { makeSeeds } from './seeds';

const ITERATIONS = 1500;

test(`long runs: ${ITERATIONS} inputs, no exception, none over 1 s`, { timeout: 10 * 60_000 }, () => {
  const { messages, options } = makeSeeds();
  const r = rng(20261203);
  let slowest = 0;
  let longest = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const input = longRun(messages[i % messages.length].data, r);
    longest = Math.max(longest, input.length);
    const start = performance.now();
    assert.doesNotThrow(() => analyzeMessage(input, options));
    slowest = Math.max(slowest, performance.now() - start);
  }
  console.log(`# long runs: slowest ${slowest.toFixed(0)} ms, largest input ${longest} bytes`);
  assert.ok(slowest < 1000, `an input took ${slowest.toFixed(0)} ms`);
  assert.ok(longest > 1_000_000, 'the megabyte runs were generated');
});
