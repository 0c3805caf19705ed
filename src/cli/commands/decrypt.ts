import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { analyzeMessage, isEncrypted } from '../../core';
import { KEY_OPTIONS, OUTPUT_OPTIONS, UsageError, parse } from '../args';
import { keysFrom, readInput } from '../context';
import { stdout } from '../stdout';
import { writeStderr } from '../stderr';

/** `smime decrypt FILE`: writes the decrypted MIME entity of the outermost encrypted layer. */
export async function runDecrypt(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...KEY_OPTIONS, ...OUTPUT_OPTIONS, out: { type: 'string', short: 'o' } }, { min: 1, max: 1, names: 'FILE' });
  const keys = await keysFrom(values);
  if (keys.length === 0) throw new UsageError('decrypt needs --key (with --cert) or --p12');
  if (values.out && resolve(values.out) === resolve(positionals[0])) throw new UsageError('-o must not name the input file');
  const input = await readInput(positionals[0]);
  const { report, inner } = analyzeMessage(input, { keys });
  const encrypted = report.layers.filter(isEncrypted);
  const layer = encrypted.find((l) => l.decrypted);
  const content = layer ? inner.get(layer.path)?.source : undefined;
  if (values.out && content) writeFileSync(values.out, content);
  if (values.json) {
    const summary = {
      decrypted: !!content,
      layer: layer ?? encrypted[0] ?? null,
      output: values.out ?? null,
      bytes: content?.length ?? 0,
      reasons: encrypted.flatMap((l) => l.reasons.map((r) => r.code)),
    };
    stdout().write(JSON.stringify(summary, null, 2) + '\n');
  } else if (content && !values.out) {
    stdout().write(content);
  } else if (content) {
    writeStderr(`decrypted ${layer?.contentEncryption} content (${content.length} bytes) written to ${values.out}\n`);
  } else if (encrypted.length === 0) {
    writeStderr('the message is not encrypted\n');
  } else {
    for (const r of encrypted.flatMap((l) => l.reasons)) writeStderr(`${r.code}: ${r.message}\n`);
  }
  return content ? 0 : 1;
}
