/**
 * The reports of a `smime verify` run over several messages, written as each message is done: text (each report
 * headed by its file, then a summary line), a JSON array (`--json`, written element by element) or one JSON object
 * per line (`--jsonl`). Only the counts are kept, so memory does not grow with the number of messages.
 */
import { formatReport } from '../format';
import { inputLabel } from '../inputs';
import type { VerifyResult } from '../verifyPool';
import { stdout } from '../stdout';
import { writeStderr } from '../stderr';

export type OutputMode = 'text' | 'json' | 'jsonl';

export class BatchOutput {
  private total = 0;
  private valid = 0;
  private unreadable = 0;

  constructor(private readonly mode: OutputMode) {}

  write(item: { file: string; index?: number }, result: VerifyResult): void {
    const where = item.index === undefined ? { file: item.file } : { file: item.file, index: item.index };
    const record = 'report' in result ? { ...where, report: result.report } : { ...where, error: result.error };
    if ('report' in result && result.report.verdict === 'valid') this.valid++;
    if ('error' in result) this.unreadable++;
    if (this.mode === 'jsonl') {
      stdout().write(JSON.stringify(record) + '\n');
    } else if (this.mode === 'json') {
      // The same text JSON.stringify(array, null, 2) gives, one element at a time.
      const element = '  ' + JSON.stringify(record, null, 2).replaceAll('\n', '\n  ');
      stdout().write((this.total === 0 ? '[\n' : ',\n') + element);
    } else if ('report' in result) {
      stdout().write(`${inputLabel(item)}\n${formatReport(result.report)}\n\n`);
    }
    if ('error' in result) writeStderr(`smime verify: ${result.error}\n`);
    this.total++;
  }

  /** Closes the output; the exit status is the worst: 2 if a message could not be read, 1 if one is not valid. */
  finish(): number {
    if (this.mode === 'json') stdout().write(this.total === 0 ? '[]\n' : '\n]\n');
    if (this.mode === 'text') {
      const notValid = this.total - this.valid - this.unreadable;
      stdout().write(`${this.total} messages: ${this.valid} valid, ${notValid} not valid, ${this.unreadable} unreadable\n`);
    }
    if (this.total === 0) {
      writeStderr('smime verify: no message to verify\n');
      return 2;
    }
    return this.unreadable > 0 ? 2 : this.valid === this.total ? 0 : 1;
  }
}
