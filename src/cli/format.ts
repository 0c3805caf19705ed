/** Human-readable output of the reports (the JSON output is the report itself). */
import { signerCertificate, type MimeEntity, type Check, type LayerReport, type Reason, type SecurityReport, type SignerReport } from '../core';

type Registry = SecurityReport['certificates'];
import { stdout } from './stdout';

const useColor = stdout().isTTY && !process.env.NO_COLOR;

/** Terminal controls and bidi overrides: from a message they could move the cursor, recolour or rewrite a line. */
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, but line breaks and tabs stay: for message text shown as text. */
const TERMINAL_UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeControl = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A one-line value that came from a message or a certificate, made inert for a terminal: every control character
 * (line breaks too) is shown as an escape (`\u001b`), so a Subject, an address or a certificate name cannot start
 * a line of its own or paint a fake "VALID" over ours.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, escapeControl);
}

/**
 * Message text for a terminal: CRLF line breaks become the terminal's, tabs stay, every other control (a lone CR,
 * which would let a line overwrite itself, included) is shown as an escape.
 */
export function terminalSafeText(text: string): string {
  return text.replaceAll('\r\n', '\n').replace(TERMINAL_UNSAFE_IN_TEXT, escapeControl);
}
const q = terminalSafe;
const paint = (code: number) => (s: string) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
const green = paint(32);
const red = paint(31);
const yellow = paint(33);
const dim = paint(2);
const bold = paint(1);

const VERDICT_STYLE: Record<SecurityReport['verdict'], (s: string) => string> = {
  valid: green,
  invalid: red,
  untrusted: yellow,
  mismatch: yellow,
  unsigned: dim,
  error: red,
};

const CHECK_MARK: Record<Check['status'], string> = { pass: green('✓'), fail: red('✗'), warn: yellow('!'), skip: dim('-') };

function formatReason(r: Reason): string {
  const mark = r.severity === 'error' ? red('✗') : r.severity === 'warning' ? yellow('!') : dim('i');
  return `${mark} ${r.code}: ${q(r.message)}${r.rfc ? dim(` [${r.rfc}]`) : ''}`;
}

function formatSigner(s: SignerReport, certificates: Registry, indent: string): string[] {
  const cert = signerCertificate(certificates, s);
  const who = q(s.email ?? cert?.subject ?? 'unknown signer');
  const lines = [`${indent}signer ${bold(who)}: ${VERDICT_STYLE[s.status === 'valid' ? 'valid' : s.status](s.status)}`];
  if (cert) {
    lines.push(`${indent}  subject   ${q(cert.subject)}`);
    lines.push(`${indent}  issuer    ${q(cert.issuer)}  serial ${q(cert.serial)}`);
  }
  lines.push(`${indent}  algorithm ${q(s.signatureAlgorithm)}, digest ${q(s.digestAlgorithm)}`);
  if (s.signingTime) lines.push(`${indent}  signed at ${q(s.signingTime)}`);
  for (const c of s.checks) lines.push(`${indent}  ${CHECK_MARK[c.status]} ${c.id.padEnd(18)} ${q(c.detail)}${c.rfc ? dim(` [${c.rfc}]`) : ''}`);
  return lines;
}

function layerLines(l: LayerReport, certificates: Registry, indent: string): string[] {
  switch (l.kind) {
    case 'signed': {
      const where = `covers part ${l.covers}, bytes ${l.range.start}-${l.range.end}${l.source === 'file' ? '' : ` of the content of part ${l.source}`}${l.coversMessage ? '' : ' (not the whole message)'}`;
      return [
        `${indent}${bold(`signed (${l.form})`)}  ${where}`,
        ...l.checks.map((c) => `${indent}  ${CHECK_MARK[c.status]} ${c.id.padEnd(18)} ${q(c.detail)}${c.rfc ? dim(` [${c.rfc}]`) : ''}`),
        ...l.signers.flatMap((s) => formatSigner(s, certificates, indent + '  ')),
      ];
    }
    case 'enveloped':
    case 'authEnveloped':
      return [
        `${indent}${bold(l.kind)}  part ${l.path}, ${l.contentEncryption}, ${l.decrypted ? 'decrypted' : 'not decrypted'}`,
        ...l.recipients.map((r) => {
          const id = q(r.issuer ? `${r.issuer} #${r.serial}` : r.ski ? `key id ${r.ski}` : r.type);
          return `${indent}  recipient ${id} (${r.keyEncryption})${r.matchedKey ? green(' ← your key') : ''}`;
        }),
      ];
    case 'compressed':
      return [`${indent}${bold(l.kind)}  part ${l.path}`];
  }
}

function formatLayer(l: LayerReport, certificates: Registry): string[] {
  const indent = '  '.repeat(l.depth + 1);
  return [...layerLines(l, certificates, indent), ...l.reasons.map((r) => `${indent}  ${formatReason(r)}`)];
}

export function formatReport(report: SecurityReport): string {
  const style = VERDICT_STYLE[report.verdict];
  const lines = [`${style(bold(report.verdict.toUpperCase()))}  ${q(report.summary)}`];
  if (report.message.from.length) lines.push(dim(`From: ${q(report.message.from.join(', '))}   Date: ${q(report.message.date ?? '(none)')}`));
  lines.push(dim(`Validation time: ${report.validationTime}`));
  if (report.layers.length) {
    lines.push('', 'Layers (outside in):');
    for (const l of report.layers) lines.push(...formatLayer(l, report.certificates));
  }
  if (report.messageReasons.length) {
    lines.push('', 'Message:');
    for (const r of report.messageReasons) lines.push(`  ${formatReason(r)}`);
  }
  if (report.reasons.length) lines.push('', `Reasons: ${report.reasons.join(', ')}`);
  if (report.warnings.length) {
    lines.push('', `MIME warnings (${report.warnings.length}):`);
    for (const w of report.warnings.slice(0, 20)) lines.push(`  ${w.path}: ${w.code}: ${q(w.message)}`);
    if (report.warnings.length > 20) lines.push(`  … ${report.warnings.length - 20} more (see --json)`);
  }
  return lines.join('\n');
}

export function formatTree(root: MimeEntity, inner: Map<string, { root: MimeEntity }>): string {
  const lines: string[] = [];
  const visit = (e: MimeEntity, depth: number) => {
    const size = e.end - e.bodyStart;
    const bits = q(
      [e.contentType.mimeType, e.transferEncoding !== '7bit' ? e.transferEncoding : '', e.charset ?? '', e.filename ? `"${e.filename}"` : '', `${size} B`, `line ${e.line}`]
        .filter(Boolean)
        .join('  '),
    );
    lines.push(`${'  '.repeat(depth)}${bold(e.path)}  ${bits}`);
    for (const w of e.warnings) lines.push(`${'  '.repeat(depth + 1)}${yellow('!')} ${w.code}: ${q(w.message)}`);
    for (const c of e.children) visit(c, depth + 1);
    const unwrapped = inner.get(e.path);
    if (unwrapped) visit(unwrapped.root, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}
