import { compareMessages, formatCompareReport } from '../../core';
import { OUTPUT_OPTIONS, parse } from '../args';
import { readInput, readInputSync } from '../context';
import { stdout } from '../stdout';

/**
 * `smime compare BEFORE AFTER`: where a relay changed the signed part and whether that breaks the signature.
 * Exit 0 when the signature survives (or there is none to break), 1 when the relay broke it, 2 on unreadable input.
 */
export async function runCompare(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OUTPUT_OPTIONS, { min: 2, max: 2, names: 'BEFORE AFTER' });
  const before = await readInput(positionals[0]);
  const after = readInputSync(positionals[1]);
  const { report } = compareMessages(before, after);
  stdout().write((values.json ? JSON.stringify(report, null, 2) : formatCompareReport(report, { before: positionals[0], after: positionals[1] })) + '\n');
  return report.breaksSignature ? 1 : 0;
}
