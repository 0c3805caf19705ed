import { analyzeMessage, type AnalyzeOptions } from '../../core/smime/analyze';
import type { SecurityReport } from '../../core/smime/report';
import { InputError, KEY_OPTIONS, OUTPUT_OPTIONS, TRUST_OPTIONS, parse } from '../args';
import { keysFrom, readInput, trustFrom } from '../context';
import { formatReport } from '../format';

type FileOutcome = { file: string; report: SecurityReport } | { file: string; error: string };

/**
 * `smime verify FILE...`: decrypts what it can and verifies every signed layer. Exit 0 only when every file is
 * "valid"; 1 when one is not; 2 when one cannot be read (or on a usage error). Several files share one process,
 * one set of trust anchors and keys: a CI job checking hundreds of test messages pays Node's start-up once.
 */
export async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...TRUST_OPTIONS, ...KEY_OPTIONS, ...OUTPUT_OPTIONS }, { min: 1, max: Infinity, names: 'FILE' });
  const first = await readInput(positionals[0]);
  const options: AnalyzeOptions = { ...trustFrom(values), keys: keysFrom(values) };
  if (positionals.length === 1) {
    const { report } = analyzeMessage(first, options);
    process.stdout.write((values.json ? JSON.stringify(report, null, 2) : formatReport(report)) + '\n');
    return report.verdict === 'valid' ? 0 : 1;
  }
  const outcomes: FileOutcome[] = [];
  for (const [i, file] of positionals.entries()) {
    try {
      const input = i === 0 ? first : await readInput(file);
      const outcome = { file, report: analyzeMessage(input, options).report };
      outcomes.push(outcome);
      if (!values.json) process.stdout.write(`${file}\n${formatReport(outcome.report)}\n\n`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      outcomes.push({ file, error: e.message });
      process.stderr.write(`smime verify: ${e.message}\n`);
    }
  }
  const valid = outcomes.filter((o) => 'report' in o && o.report.verdict === 'valid').length;
  const unreadable = outcomes.filter((o) => 'error' in o).length;
  if (values.json) process.stdout.write(JSON.stringify(outcomes, null, 2) + '\n');
  else process.stdout.write(`${outcomes.length} messages: ${valid} valid, ${outcomes.length - valid - unreadable} not valid, ${unreadable} unreadable\n`);
  return unreadable > 0 ? 2 : valid === outcomes.length ? 0 : 1;
}
