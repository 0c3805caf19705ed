/**
 * The one-word verdict of a received message, as the test inbox shows it: the report's verdict, except that a
 * message whose outer layer is encrypted and was not decrypted is "encrypted" (the inbox never asks for keys, so
 * "cannot tell" there means "encrypted to someone", not "unreadable").
 */
import { isEncrypted } from '../smime/layers';
import type { SecurityReport } from '../smime/report';

export type InboxVerdict = 'valid' | 'invalid' | 'untrusted' | 'mismatch' | 'unsigned' | 'encrypted' | 'error';

export const INBOX_VERDICTS: readonly InboxVerdict[] = ['valid', 'invalid', 'untrusted', 'mismatch', 'unsigned', 'encrypted', 'error'];

export function inboxVerdict(report: SecurityReport): InboxVerdict {
  const undecrypted = report.layers.filter(isEncrypted).some((l) => l.coversMessage && l.status === 'not-decrypted');
  if (report.verdict === 'error' && undecrypted) return 'encrypted';
  return report.verdict;
}
