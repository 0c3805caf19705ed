import { analyzeMessage } from '../../core/smime/analyze';
import type { MimeEntity } from '../../core/mime/entity';
import { OUTPUT_OPTIONS, parse } from '../args';
import { readInput } from '../context';
import { formatTree } from '../format';
import { stdout } from '../stdout';

interface TreeNode {
  path: string;
  contentType: string;
  params: Record<string, string>;
  transferEncoding: string;
  charset?: string;
  disposition?: string;
  filename?: string;
  start: number;
  headerEnd: number;
  bodyStart: number;
  end: number;
  line: number;
  warnings: { code: string; message: string }[];
  children: TreeNode[];
}

function toTree(e: MimeEntity, inner: Map<string, { root: MimeEntity }>): TreeNode {
  const children = e.children.map((c) => toTree(c, inner));
  const unwrapped = inner.get(e.path);
  if (unwrapped) children.push(toTree(unwrapped.root, inner));
  return {
    path: e.path,
    contentType: e.contentType.mimeType,
    params: e.contentType.params,
    transferEncoding: e.transferEncoding,
    charset: e.charset,
    disposition: e.disposition,
    filename: e.filename,
    start: e.start,
    headerEnd: e.headerEnd,
    bodyStart: e.bodyStart,
    end: e.end,
    line: e.line,
    warnings: e.warnings.map((w) => ({ code: w.code, message: w.message })),
    children,
  };
}

/** `smime inspect FILE`: the MIME tree and the S/MIME layers, no keys needed. Exit 0 when readable. */
export async function runInspect(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OUTPUT_OPTIONS, { min: 1, max: 1, names: 'FILE' });
  const input = await readInput(positionals[0]);
  const { report, message, inner } = analyzeMessage(input);
  const layers = report.layers.map((l) => ({
    kind: l.kind,
    form: l.form,
    path: l.path,
    covers: l.covers,
    range: l.range,
    source: l.source,
    coversMessage: l.coversMessage,
    contentEncryption: l.contentEncryption,
    recipients: l.recipients,
    signers: l.signers?.map((s) => ({ email: s.email, subject: s.subject, digestAlgorithm: s.digestAlgorithm, signatureAlgorithm: s.signatureAlgorithm, signingTime: s.signingTime })),
  }));
  if (values.json) {
    const out = { size: input.length, lineEndings: message.lineEndings, entityCount: message.entityCount, tree: toTree(message.root, inner), layers, message: report.message };
    stdout().write(JSON.stringify(out, null, 2) + '\n');
  } else {
    const lines = [`${input.length} bytes, ${message.entityCount} parts, ${message.lineEndings} line endings`, '', formatTree(message.root, inner)];
    if (layers.length) {
      lines.push('', 'S/MIME layers (outside in):');
      for (const l of layers) {
        const what = l.kind === 'signed' ? `signed (${l.form}) by ${l.signers?.map((s) => s.email ?? s.subject).join(', ') || 'nobody'}` : l.kind + (l.contentEncryption ? ` (${l.contentEncryption})` : '');
        lines.push(`  part ${l.path}: ${what}; covers ${l.covers}${l.coversMessage ? '' : ' (not the whole message)'}`);
      }
    }
    stdout().write(lines.join('\n') + '\n');
  }
  return 0;
}
