/**
 * `smime show FILE`: the message as a reader sees it, from the same rules as the message view (core/mail): the
 * verdict first, then each shown part with what protects it, then the attachments. Text from the message is made
 * inert for the terminal; HTML is shown as its text (`--json` gives the markup).
 */
import { decodeText, attachments, displayParts, htmlToText, messageTree, partKind, partProtection, resolveContentId, analyzeMessage, signerName, type MimeEntity, type PartProtection, type SecurityReport } from '../../core';
import { KEY_OPTIONS, OUTPUT_OPTIONS, TRUST_OPTIONS, parse } from '../args';
import { keysFrom, readInput, trustFrom } from '../context';
import { terminalSafe, terminalSafeText } from '../format';
import { stdout } from '../stdout';

/** cid: references in HTML, read without a regex over the whole markup (each match is a short bounded scan). */
function cidReferences(html: string): string[] {
  const out: string[] = [];
  const lower = html.toLowerCase();
  for (let at = lower.indexOf('cid:'); at !== -1; at = lower.indexOf('cid:', at + 4)) {
    let end = at + 4;
    while (end < html.length && end - at < 1000 && !`"' >)`.includes(html[end])) end++;
    out.push(html.slice(at + 4, end));
  }
  return out;
}

type Registry = SecurityReport['certificates'];

function protectionText(p: PartProtection, certificates: Registry): string {
  const signed = p.signatures.map(({ layer, status }) => `signed by ${layer.signers.map((s) => signerName(certificates, s) ?? 'unknown signer').join(', ') || 'nobody'} (${status})`);
  const parts = [...signed];
  if (p.encrypted) parts.push(p.decrypted ? 'decrypted' : 'encrypted, not decrypted');
  if (p.coverage === 'not-covered') parts.push('NOT covered by any signature');
  if (p.coverage === 'unprotected') parts.push('not signed');
  return parts.join('; ');
}

interface ShownPart {
  partId: string;
  kind: 'text' | 'html';
  mimeType: string;
  charset: string;
  protection: { coverage: string; signedBy: { layer: string; status: string; signers: (string | null)[] }[]; encrypted: boolean; decrypted: boolean };
  text: string;
  html?: string;
  warnings: string[];
}

function protectionJson(p: PartProtection, certificates: Registry): ShownPart['protection'] {
  return {
    coverage: p.coverage,
    signedBy: p.signatures.map(({ layer, status }) => ({ layer: layer.path, status, signers: layer.signers.map((s) => signerName(certificates, s)) })),
    encrypted: p.encrypted,
    decrypted: p.decrypted,
  };
}

function shownPart(entity: MimeEntity, report: SecurityReport): ShownPart {
  const decoded = decodeText(entity);
  const html = partKind(entity) === 'html';
  return {
    partId: entity.path,
    kind: html ? 'html' : 'text',
    mimeType: entity.contentType.mimeType,
    charset: decoded.charset,
    protection: protectionJson(partProtection(report, entity.path), report.certificates),
    text: html ? htmlToText(decoded.text) : decoded.text,
    ...(html ? { html: decoded.text } : {}),
    warnings: decoded.warnings.map((w) => w.message),
  };
}

export async function runShow(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...TRUST_OPTIONS, ...KEY_OPTIONS, ...OUTPUT_OPTIONS }, { min: 1, max: 1, names: 'FILE' });
  const input = await readInput(positionals[0]);
  const { report, message, inner } = analyzeMessage(input, { ...(await trustFrom(values)), keys: await keysFrom(values) });
  const tree = messageTree(message, inner);
  const shown = displayParts(tree);
  const parts = shown.map((e) => shownPart(e, report));
  const inlined = new Set<string>();
  for (const entity of shown) {
    if (partKind(entity) !== 'html') continue;
    for (const cid of cidReferences(decodeText(entity).text)) {
      const target = resolveContentId(tree, entity, cid);
      if (target) inlined.add(target.path);
    }
  }
  const files = attachments(tree, inlined).map((a) => ({
    partId: a.entity.path,
    fileName: a.fileName,
    mimeType: a.mimeType,
    encodedSize: a.encodedSize,
    protection: protectionJson(partProtection(report, a.entity.path), report.certificates),
  }));
  if (values.json) {
    const out = { verdict: report.verdict, summary: report.summary, message: report.message, parts, attachments: files };
    stdout().write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const m = report.message;
  const lines = [
    `${report.verdict.toUpperCase()}  ${terminalSafe(report.summary)}`,
    `From:    ${terminalSafe(m.from.join(', ') || '(none)')}`,
    `To:      ${terminalSafe(m.to.join(', ') || '(none)')}`,
    `Subject: ${terminalSafe(m.subject ?? '(none)')}`,
    `Date:    ${terminalSafe(m.date ?? '(none)')}`,
  ];
  for (const [i, part] of parts.entries()) {
    const entity = shown[i];
    lines.push('', `--- part ${part.partId} ${part.mimeType}; ${terminalSafe(part.charset)} — ${protectionText(partProtection(report, entity.path), report.certificates)} ---`);
    lines.push(terminalSafeText(part.text));
    for (const w of part.warnings) lines.push(`(! ${terminalSafe(w)})`);
  }
  if (!parts.length) lines.push('', '(no text or HTML part to show)');
  if (files.length) {
    lines.push('', 'Attachments:');
    for (const f of files) lines.push(`  ${f.partId}  ${terminalSafe(f.fileName)}  ${f.mimeType}  ${f.encodedSize} B encoded  ${protectionText(partProtection(report, f.partId), report.certificates)}`);
  }
  stdout().write(lines.join('\n') + '\n');
  return 0;
}
