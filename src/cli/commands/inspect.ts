import { analyzeMessage, signerName, type LayerReport, type MimeEntity, type SecurityReport } from '../../core';
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

/** A layer as `inspect` shows it: where it is, and who signed or how it is encrypted. */
function layerSummary(l: LayerReport, certificates: SecurityReport['certificates']) {
  const place = { path: l.path, covers: l.covers, range: l.range, source: l.source, coversMessage: l.coversMessage };
  switch (l.kind) {
    case 'signed':
      return {
        kind: l.kind,
        form: l.form,
        ...place,
        signers: l.signers.map((s) => ({
          email: s.email,
          subject: signerName(certificates, { certificate: s.certificate, email: null }),
          digestAlgorithm: s.digestAlgorithm,
          signatureAlgorithm: s.signatureAlgorithm,
          signingTime: s.signingTime,
        })),
      };
    case 'enveloped':
    case 'authEnveloped':
      return { kind: l.kind, ...place, contentEncryption: l.contentEncryption, recipients: l.recipients };
    case 'compressed':
      return { kind: l.kind, ...place };
  }
}

function layerLine(l: ReturnType<typeof layerSummary>): string {
  const what = 'signers' in l
    ? `signed (${l.form}) by ${l.signers.map((s) => s.email ?? s.subject).join(', ') || 'nobody'}`
    : 'contentEncryption' in l ? `${l.kind} (${l.contentEncryption})` : l.kind;
  return `  part ${l.path}: ${what}; covers ${l.covers}${l.coversMessage ? '' : ' (not the whole message)'}`;
}

/** `smime inspect FILE`: the MIME tree and the S/MIME layers, no keys needed. Exit 0 when readable. */
export async function runInspect(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OUTPUT_OPTIONS, { min: 1, max: 1, names: 'FILE' });
  const input = await readInput(positionals[0]);
  const { report, message, inner } = analyzeMessage(input);
  const layers = report.layers.map((l) => layerSummary(l, report.certificates));
  if (values.json) {
    const out = { size: input.length, lineEndings: message.lineEndings, entityCount: message.entityCount, tree: toTree(message.root, inner), layers, message: report.message };
    stdout().write(JSON.stringify(out, null, 2) + '\n');
  } else {
    const lines = [`${input.length} bytes, ${message.entityCount} parts, ${message.lineEndings} line endings`, '', formatTree(message.root, inner)];
    if (layers.length) {
      lines.push('', 'S/MIME layers (outside in):');
      for (const l of layers) lines.push(layerLine(l));
    }
    stdout().write(lines.join('\n') + '\n');
  }
  return 0;
}
