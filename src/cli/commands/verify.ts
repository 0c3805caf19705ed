import { analyzeMessage } from '../../core/smime/analyze';
import { KEY_OPTIONS, OUTPUT_OPTIONS, TRUST_OPTIONS, parse } from '../args';
import { keysFrom, readInput, trustFrom } from '../context';
import { formatReport } from '../format';

/** `smime verify FILE`: decrypts what it can and verifies every signed layer. Exit 0 only for "valid". */
export async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...TRUST_OPTIONS, ...KEY_OPTIONS, ...OUTPUT_OPTIONS }, { min: 1, max: 1, names: 'FILE' });
  const input = await readInput(positionals[0]);
  const options = { ...trustFrom(values), keys: keysFrom(values) };
  const { report } = analyzeMessage(input, options);
  process.stdout.write((values.json ? JSON.stringify(report, null, 2) : formatReport(report)) + '\n');
  return report.verdict === 'valid' ? 0 : 1;
}
