// What Thunderbird's own tests say of its S/MIME test messages (as quoted in the corpus manifest), how each statement
// maps onto our SecurityReport, and where we differ on purpose. Also the corpus plumbing both agreement tests share.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult } from '../../src/core/smime/analyze';
import { type Identity } from '../../src/core/keys/index';
import type { Certificate } from '../../src/core/x509/certificate';
import type { LayerReport, SecurityReport } from '../../src/core/smime/report';
import { decodeBody } from '../../src/core/mime/index';
import type { MimeEntity } from '../../src/core/mime/index';
import { certificatesIn, identityFrom } from '../helpers/certFiles';
import { signersOf } from '../helpers/report';

export const corpusRoot = process.env.SMIME_CORPUS ?? join(__dirname, '../../../../shared/corpus');

export function corpusPresent(): boolean {
  return existsSync(join(corpusRoot, 'manifest.json'));
}

/** One layer as `openssl cms` 3.0 saw it; the keys name the command variant (see the manifest's verification_method). */
export type OpensslRecord = Record<string, unknown> & { part?: string; layer?: string };

export interface ManifestMessage {
  file: string;
  source: string;
  kind: string;
  expected: string | null;
  expected_basis: string | null;
  openssl: OpensslRecord[];
}

export function manifestMessages(): ManifestMessage[] {
  return JSON.parse(readFileSync(join(corpusRoot, 'manifest.json'), 'utf8')).messages;
}

export function isSmime(m: ManifestMessage): boolean {
  return !m.kind.startsWith('plain MIME');
}

/** The CAs Thunderbird's tests trust: the RSA test CA, and the EC test CA that ships inside Alice-ec.p12. */
const TB_ANCHOR_FILES = ['mailnews/test/data/smime/TestCA.pem', 'mail/test/browser/smime/data/TestCA.pem', '_derived/Alice-ec.cacerts.pem'];
/** test_smime_decrypt.js loads these identities into its NSS database (password "nss"). */
const TB_KEY_FILES = ['smime/Alice.p12', 'smime/Bob.p12', 'smime/Dave.p12', 'smime-interop/Fran.p12', 'smime-interop/Fran-ec.p12'];

export function thunderbirdTrust(): { anchors: Certificate[]; keys: Identity[] } {
  const { certs: anchors, problems } = certificatesIn(TB_ANCHOR_FILES.map((f) => join(corpusRoot, 'thunderbird', f)));
  if (problems.length) throw new Error(problems.join('; '));
  const keys = TB_KEY_FILES.map((f) => identityFrom({ p12Path: join(corpusRoot, 'thunderbird/mailnews/test/data', f), passphrase: 'nss' }));
  return { anchors, keys };
}

export function shortName(file: string): string {
  return file.replace(/^thunderbird\/(mailnews\/test\/data|mail\/test\/browser)\//, '');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading our report

const ENCRYPTED = new Set(['enveloped', 'authEnveloped']);

/** Signed layers that make the message signed (over the root, not over ciphertext), outermost first. */
export function countingLayers(report: SecurityReport): LayerReport[] {
  return report.layers.filter((l) => l.kind === 'signed' && l.coversMessage).sort((a, b) => a.depth - b.depth);
}

export function outerSignerEmails(report: SecurityReport): string[] {
  return signersOf(countingLayers(report)[0]).map((s) => s.email ?? '');
}

export function decryptedMessageLayer(report: SecurityReport): LayerReport | undefined {
  return report.layers.find((l) => ENCRYPTED.has(l.kind) && l.coversMessage && l.status === 'decrypted');
}

/** The codes of a layer's errors and its signers' errors (warnings such as weak-algorithm under --allow-sha1 left out). */
export function errorCodes(l: LayerReport): string[] {
  const reasons = [...l.reasons, ...signersOf(l).flatMap((s) => s.reasons)];
  return reasons.filter((r) => r.severity === 'error').map((r) => r.code);
}

/** Whether some leaf of the message or of a decrypted/unwrapped content shows `text` once its transfer encoding is undone. */
export function showsText(result: AnalysisResult, text: string): boolean {
  const roots = [result.message.root, ...[...result.inner.values()].map((m) => m.root)];
  const leaves = (e: MimeEntity): MimeEntity[] => (e.children.length ? e.children.flatMap(leaves) : [e]);
  return roots.flatMap(leaves).some((leaf) => decodeBody(leaf).data.toString('utf8').includes(text));
}

export function describeReport(report: SecurityReport): string {
  return `${report.verdict}${report.reasons.length ? ` (${report.reasons.join(',')})` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Thunderbird's statements

export type Mode = 'default' | 'allow-sha1';

/**
 * What mailnews/mime/test/unit/test_smime_decrypt*.js assert through their nsIMsgSMIMESink: the signature status of
 * the message (0 = GOOD), whether an encryption status 0 was reported, and the displayed text.
 */
export interface TbExpectation {
  signature?: 'good' | 'bad' | 'none';
  /** The address of the certificate reported with the status (the outermost signer). */
  signer?: string;
  encryption?: 'ok' | 'none';
  body?: string;
}

export interface TbCase {
  file: string;
  mode: Mode;
  expectation: TbExpectation;
}

/**
 * mail/test/browser/openpgp/browser_viewMessage.js: S/MIME signatures around OpenPGP/MIME content. The "signed"
 * icon state "mismatch" is how that test names an S/MIME status other than ok (its own comment says so).
 */
const MOCHITEST_OUTCOMES: Record<string, TbExpectation> = {
  'outer-smime-bad-sig-inner-pgp-enc-sig-with-mixed.eml': { signature: 'bad' },
  'outer-smime-bad-sig-inner-pgp-enc-sig.eml': { signature: 'none' },
  'outer-smime-bad-sig-inner-pgp-enc.eml': { signature: 'none' },
};

function parseStatement(text: string): TbExpectation {
  const e: TbExpectation = {};
  const good = /signature status GOOD, signer (\S+?)(?=[\s;]|$)/.exec(text);
  const bad = /signature status NOT GOOD/.test(text);
  if (good) Object.assign(e, { signature: 'good', signer: good[1].toLowerCase() });
  else if (bad) {
    e.signature = 'bad';
    const who = /signer cert, if reported, (\S+?)(?=[\s;]|$)/.exec(text);
    if (who) e.signer = who[1].toLowerCase();
  } else if (/NO signature status/.test(text)) e.signature = 'none';
  if (/decrypts OK/.test(text)) e.encryption = 'ok';
  else if (/NO encryption status/.test(text)) e.encryption = 'none';
  const body = /body shows "([^"]+)"/.exec(text);
  if (body) e.body = body[1];
  return e;
}

/**
 * The cases to check for one manifest entry: Thunderbird's default prefs, and, where the entry's basis includes
 * test_smime_decrypt_allow_sha1.js, the pref accepting SHA-1 signatures (same statement unless the entry says
 * "|| with ...=true: signature GOOD").
 */
export function thunderbirdCases(m: ManifestMessage): TbCase[] {
  const name = m.file.split('/').pop() ?? m.file;
  if (MOCHITEST_OUTCOMES[name]) return [{ file: m.file, mode: 'default', expectation: MOCHITEST_OUTCOMES[name] }];
  const text = m.expected ?? '';
  if (!text.startsWith('Thunderbird (default prefs):')) return [];
  const [main, sha1Clause = ''] = text.split('||');
  const expectation = parseStatement(main);
  const cases: TbCase[] = [{ file: m.file, mode: 'default', expectation }];
  if (m.expected_basis?.includes('allow_sha1')) {
    const sha1Good = /accept_insecure_sha1_message_signatures=true: signature GOOD/.test(sha1Clause);
    cases.push({ file: m.file, mode: 'allow-sha1', expectation: sha1Good ? { ...expectation, signature: 'good' } : expectation });
  }
  return cases;
}

export function describeExpectation(e: TbExpectation): string {
  const sig = { good: `sig GOOD ${e.signer ?? ''}`.trim(), bad: 'sig NOT GOOD', none: 'no sig status' };
  const parts = [e.signature ? sig[e.signature] : '', e.encryption === 'ok' ? 'decrypts OK' : e.encryption === 'none' ? 'no enc status' : ''];
  return parts.filter(Boolean).join('; ') + (e.body ? '; body' : '');
}

// ---------------------------------------------------------------------------------------------------------------
// Which of our reports agree with a statement

export type Aspect = 'signature' | 'encryption' | 'body';

export interface AspectOutcome {
  aspect: Aspect;
  agree: boolean;
  ours: string;
}

/**
 * - GOOD agrees with `valid` only, signed (outermost) by the address Thunderbird names. Not with `mismatch`:
 *   Thunderbird's status already contains its From check (VERIFY_HEADER_MISMATCH) and its signing-time check
 *   (VERIFY_TIME_MISMATCH, more than 1 h from Date); nsSMimeVerificationListener::Notify in mailnews/mime/src/mimecms.cpp
 *   computes both before calling the sink the unit test listens on. So our `mismatch` is one of its NOT GOOD.
 * - NOT GOOD agrees with `invalid`, `untrusted` and `mismatch`; when we name an outermost signer it must be the one
 *   Thunderbird names ("signer cert, if reported").
 * - NO signature status: no signed layer counts for the message (a signature over ciphertext does not, as in
 *   Thunderbird since bug 1806161), so the verdict is `unsigned` (or `error` for an encrypted message we cannot open).
 */
function compareSignature(e: TbExpectation, report: SecurityReport): boolean {
  const signers = outerSignerEmails(report);
  switch (e.signature) {
    case 'good':
      return report.verdict === 'valid' && (!e.signer || signers.includes(e.signer));
    case 'bad':
      return ['invalid', 'untrusted', 'mismatch'].includes(report.verdict) && (!e.signer || signers.length === 0 || signers.includes(e.signer));
    default:
      return countingLayers(report).length === 0 && ['unsigned', 'error'].includes(report.verdict);
  }
}

export function compareAspect(aspect: Aspect, e: TbExpectation, result: AnalysisResult): AspectOutcome {
  const report = result.report;
  const enc = decryptedMessageLayer(report);
  switch (aspect) {
    case 'signature': {
      const signers = outerSignerEmails(report).filter(Boolean);
      return { aspect, agree: compareSignature(e, report), ours: `${describeReport(report)}${signers.length ? ` by ${signers.join(',')}` : ''}` };
    }
    case 'encryption':
      // "decrypts OK": an enveloped layer over the message was opened. "NO encryption status": none was reported.
      return { aspect, agree: e.encryption === 'ok' ? !!enc : !enc, ours: enc ? `decrypted ${enc.kind} at ${enc.path}` : 'no decrypted message encryption' };
    case 'body': {
      const shown = showsText(result, e.body ?? '');
      return { aspect, agree: shown, ours: shown ? 'text shown' : 'text not found' };
    }
  }
}

export function aspectsOf(e: TbExpectation): Aspect[] {
  return (['signature', 'encryption', 'body'] as Aspect[]).filter((a) => e[a] !== undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Output

export type RowStatus = 'agree' | 'known difference' | 'disagree' | 'not compared';

/** Prints `rows` as a pipe table to the test output (the first row is the header). */
export function printTable(title: string, rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join(' | ');
  console.log(`\n# ${title}\n${rows.map(line).join('\n')}`);
}

export function printTotals(title: string, statuses: RowStatus[]): void {
  const count = (s: RowStatus) => statuses.filter((x) => x === s).length;
  console.log(`# ${title}: ${statuses.length} cases: ${count('agree')} agree, ${count('known difference')} known difference, ${count('disagree')} disagree${count('not compared') ? `, ${count('not compared')} not compared` : ''}`);
}
