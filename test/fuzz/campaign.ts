import { performance } from 'node:perf_hooks';
import { analyzeMessage } from '../../src/core/smime/analyze';
import { mutate, rng } from './mutate';
import { makeSeeds } from './seeds';

export interface FuzzResult {
  iterations: number;
  seedCount: number;
  totalMs: number;
  slowestMs: number;
  slowestName: string;
  /** Inputs whose analysis took a second or more. */
  overOneSecond: number;
  /** Inputs that made an exception escape (the first 20 are described in `failures`). */
  crashes: number;
  verdicts: Record<string, number>;
  failures: string[];
}

export function runFuzz({ iterations, seed }: { iterations: number; seed: number }): FuzzResult {
  const { messages, options } = makeSeeds();
  const r = rng(seed);
  const verdicts: Record<string, number> = {};
  const failures: string[] = [];
  let slowestMs = 0;
  let slowestName = '';
  let overOneSecond = 0;
  let crashes = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const seedMessage = messages[i % messages.length];
    const input = mutate(seedMessage.data, r);
    const t0 = performance.now();
    try {
      const { report } = analyzeMessage(input, options);
      verdicts[report.verdict] = (verdicts[report.verdict] ?? 0) + 1;
    } catch (e) {
      crashes++;
      if (failures.length < 20) failures.push(`#${i} from ${seedMessage.name}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
    }
    const ms = performance.now() - t0;
    if (ms >= 1000) overOneSecond++;
    if (ms > slowestMs) {
      slowestMs = ms;
      slowestName = `#${i} from ${seedMessage.name}`;
    }
  }
  return { iterations, seedCount: messages.length, totalMs: performance.now() - start, slowestMs, slowestName, overOneSecond, crashes, verdicts, failures };
}
