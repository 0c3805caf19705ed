/** The comparison as plain text, for the terminal and the editor's report document. */
import type { CompareReport } from './compareMessages';

const FORM_TEXT: Record<CompareReport['form'], string> = {
  detached: 'multipart/signed (detached signature)',
  opaque: 'application/pkcs7-mime signed-data (opaque signature)',
  encrypted: 'application/pkcs7-mime (encrypted; compared as the CMS object)',
  none: 'not signed',
};

export function formatCompareReport(report: CompareReport, names?: { before: string; after: string }): string {
  const lines: string[] = [];
  if (names) lines.push(`before: ${names.before}`, `after:  ${names.after}`, '');
  lines.push(report.summary, '', `Signature form: ${FORM_TEXT[report.form]}`);
  if (report.form === 'detached' || report.form === 'opaque') {
    lines.push(`Signed part (canonical, CRLF): ${report.signedPartIdentical ? 'identical' : 'differs'}`);
    lines.push(`Digest and signature value: before ${report.integrity.before}, after ${report.integrity.after}`);
  }
  if (report.firstDifference) {
    const d = report.firstDifference;
    lines.push('', `First difference: line ${d.lineBefore} before, line ${d.lineAfter} after`, `  before: ${d.before}`, `  after:  ${d.after}`);
  }
  if (report.rewrites.length) {
    lines.push('', 'Changes:');
    for (const r of report.rewrites) {
      const where = r.lineBefore !== undefined || r.lineAfter !== undefined ? ` (line ${r.lineBefore ?? '-'} → ${r.lineAfter ?? '-'})` : '';
      lines.push(`  ${r.breaksSignature ? 'BREAKS' : 'ok    '}  ${r.kind}  part ${r.part}${where}: ${r.detail}`);
    }
  }
  return lines.join('\n');
}
