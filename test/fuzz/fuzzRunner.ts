/** `npm run fuzz [-- --iterations N --seed S]`: a longer fuzz campaign than the one in `npm test`. */
import { parseArgs } from 'node:util';
import { runFuzz } from './campaign';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '200000' }, seed: { type: 'string', default: String(Date.now() % 1e9) } } });
const result = runFuzz({ iterations: Number(values.iterations), seed: Number(values.seed) });
console.log(JSON.stringify({ ...result, seed: Number(values.seed) }, null, 2));
const ok = result.crashes === 0 && result.overOneSecond === 0;
console.log(`fuzz: ${result.iterations} inputs, ${result.crashes} crashes, ${result.overOneSecond} inputs over 1 s, slowest ${result.slowestMs.toFixed(0)} ms (${result.slowestName})`);
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exitCode = ok ? 0 : 1;
