// Thunderbird's own S/MIME test messages (made by NSS), read by our verifier with the keys and CAs Thunderbird's tests
// load, and compared with what those tests assert (mailnews/mime/test/unit/test_smime_decrypt*.js, quoted in the
// corpus manifest). Every message and pref is its own test; where we differ on purpose the test pins our behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeMessage, type AnalysisResult } from '../../src/core/smime/analyze';
import type { LayerReport } from '../../src/core/smime/report';
import {
  aspectsOf,
  compareAspect,
  corpusPresent,
  corpusRoot,
  countingLayers,
  decryptedMessageLayer,
  describeExpectation,
  describeReport,
  errorCodes,
  isSmime,
  manifestMessages,
  outerSignerEmails,
  printTable,
  printTotals,
  shortName,
  thunderbirdCases,
  thunderbirdTrust,
  type Aspect,
  type Mode,
  type RowStatus,
  type TbCase,
} from './tbExpectations';
import { signersOf } from '../helpers/report';

/** Enough to notice a manifest that lost its Thunderbird statements. */
const MIN_CASES = 100;

/** A place where we differ from Thunderbird on purpose, for one aspect of its statement. */
interface KnownDifference {
  files: RegExp;
  modes: Mode[];
  aspect: Aspect;
  /** Our documented behaviour; asserted, so that a change in either direction is noticed. */
  ours: (r: AnalysisResult) => boolean;
  why: string;
}

const BOTH: Mode[] = ['default', 'allow-sha1'];
const hasSigner = (l: LayerReport, email: string, status: string) => signersOf(l).some((s) => s.email === email && s.status === status);

const sha256up = 'SHA(256|384|512)';
const plainOpaqueInOpaque = (hash: string) => new RegExp(`alice\\.plain\\.sig\\.${hash}\\.opaque\\.dave\\.sig\\.SHA\\d+\\.opaque\\.eml$`);

/** Dave's valid signature outside, Alice's inner signature flagged only for not being the From address. */
function daveOverAlice(r: AnalysisResult, inner: LayerReport | undefined, verdict: string): boolean {
  return r.report.verdict === verdict && outerSignerEmails(r.report).join() === 'dave@example.com' && !!inner &&
    hasSigner(inner, 'alice@example.com', 'mismatch') && errorCodes(inner).every((c) => c === 'sender-mismatch');
}

// The manifest quotes test_smime_decrypt.js at the corpus commit, where these opaque-in-opaque messages are GOOD;
// other revisions of that test expected NOT GOOD for every sign-then-sign message, as we do here.
const INNER_OPAQUE_WHY = "Alice's inner opaque signature covers the whole message too, and Alice is not the From address (Dave): we hold every signature over the message to From (RFC 8550 §3). Thunderbird reports only the outer one of two nested opaque signatures; with multipart/signed outside (...dave.dsig...) it checks Alice against From and says NOT GOOD";
const SIGNED_CIPHERTEXT_WHY = "Dave's outer signature covers Alice's signature, which covers only the enveloped part: Dave signed ciphertext wrapped in another layer and never the text inside, so neither signature makes the decrypted text signed (RFC 8551 §3.7) and we say unsigned, with signed-ciphertext on both layers and not-integrity-protected on the encryption. Thunderbird takes Dave's outer signature as the message's";
const WRAPPED_CIPHERTEXT_WHY = "the signature covers a multipart/mixed that holds the encrypted part: a signature over ciphertext, even wrapped, says nothing about the text inside, so it does not count and we say unsigned (signed-ciphertext); Thunderbird checks it and reports its digest mismatch as NOT GOOD";

/** Every signed layer covers ciphertext, none counts, and the message is unsigned. */
function onlySignedCiphertext(r: AnalysisResult): boolean {
  const signed = r.report.layers.filter((l) => l.kind === 'signed');
  return r.report.verdict === 'unsigned' && countingLayers(r.report).length === 0 && signed.length > 0 &&
    signed.every((l) => l.reasons.some((x) => x.code === 'signed-ciphertext'));
}

/** As onlySignedCiphertext, and the decrypted text is flagged as open to modification (EFAIL). */
function decryptedUnderSignedCiphertext(r: AnalysisResult): boolean {
  return onlySignedCiphertext(r) && r.report.reasons.includes('not-integrity-protected');
}

const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    files: plainOpaqueInOpaque(sha256up),
    modes: BOTH,
    aspect: 'signature',
    ours: (r) => daveOverAlice(r, countingLayers(r.report)[1], 'mismatch'),
    why: INNER_OPAQUE_WHY,
  },
  {
    // With SHA-1 rejected both signatures are weak and both sides say NOT GOOD; the difference appears once accepted.
    files: plainOpaqueInOpaque('SHA1'),
    modes: ['allow-sha1'],
    aspect: 'signature',
    ours: (r) => daveOverAlice(r, countingLayers(r.report)[1], 'mismatch'),
    why: INNER_OPAQUE_WHY,
  },
  {
    // Thunderbird says GOOD (NOT GOOD for SHA-1 while it is rejected); we say unsigned in every mode.
    files: /alice\.env\.(sig|dsig)\.SHA\d+\.(opaque|multipart)\.dave\.sig\.SHA\d+\.opaque\.eml$/,
    modes: BOTH,
    aspect: 'signature',
    ours: decryptedUnderSignedCiphertext,
    why: SIGNED_CIPHERTEXT_WHY,
  },
  {
    files: /alice\.env\.mixed\.dsig\.SHA256\.multipart\.eml$/,
    modes: BOTH,
    aspect: 'signature',
    ours: (r) => onlySignedCiphertext(r) && r.report.reasons.includes('digest-mismatch'),
    why: WRAPPED_CIPHERTEXT_WHY,
  },
  {
    files: /alice\.env\.(sig|dsig)\.SHA\d+\.(opaque|multipart)\.dave\.sig\.SHA\d+\.opaque\.eml$/,
    modes: BOTH,
    aspect: 'encryption',
    ours: (r) => decryptedMessageLayer(r.report)?.depth === 2,
    why: 'the enveloped layer is reached only through the two signed layers, so its plaintext is what the message shows and we report it as the message encryption; Thunderbird reports no encryption status below two signature layers',
  },
  {
    files: /alice\.future\.dsig\.SHA256\.multipart\.eml$/,
    modes: ['default'],
    aspect: 'signature',
    ours: (r) =>
      r.report.verdict === 'valid' &&
      signersOf(r.report.layers).some((s) => s.reasons.some((x) => x.code === 'signing-time-mismatch' && x.severity === 'warning')),
    why: "the signingTime is far from Date. Thunderbird folds that into NOT GOOD (VERIFY_TIME_MISMATCH); we show it as its own warning (signing-time-mismatch) and it does not change the verdict: the signature, the chain and the From binding are proven without it, and clocks and drafts differ",
  },
  {
    files: /outer-smime-bad-sig-inner-pgp-enc(-sig)?\.eml$/,
    modes: ['default'],
    aspect: 'signature',
    ours: (r) => r.report.verdict === 'invalid' && countingLayers(r.report).some((l) => errorCodes(l).includes('digest-mismatch')),
    why: 'we do not read OpenPGP, so multipart/encrypted (RFC 3156) is not ciphertext to us and the broken outer S/MIME signature counts: invalid. Thunderbird ignores a signature around OpenPGP encryption, as around S/MIME encryption',
  },
];

function knownDifference(c: TbCase, aspect: Aspect): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.aspect === aspect && k.modes.includes(c.mode) && k.files.test(c.file));
}

interface Row {
  c: TbCase;
  status: RowStatus;
  ours: string;
  notes: string[];
}

test('Thunderbird agreement: our verdicts on Thunderbird\'s S/MIME test messages', async (t) => {
  if (!corpusPresent()) return t.skip('corpus not present');
  const { anchors, keys } = thunderbirdTrust();
  // The test certificates are valid 2026-01-26..2031-01-26; Thunderbird's tests run at the current time too.
  const at = new Date();
  const cases = manifestMessages().filter((m) => m.source === 'thunderbird' && isSmime(m)).flatMap(thunderbirdCases);
  const rows: Row[] = [];
  for (const c of cases) {
    await t.test(`${shortName(c.file)} [${c.mode}]`, () => {
      const result = analyzeMessage(readFileSync(join(corpusRoot, c.file)), { anchors, keys, at, allowSha1: c.mode === 'allow-sha1' });
      const failures: string[] = [];
      const notes: string[] = [];
      let status: RowStatus = 'agree';
      for (const aspect of aspectsOf(c.expectation)) {
        const outcome = compareAspect(aspect, c.expectation, result);
        const known = knownDifference(c, aspect);
        if (known) {
          // A documented difference must still be exactly what we document (and still a difference).
          if (outcome.agree) failures.push(`${aspect}: now agrees with Thunderbird; remove the known difference`);
          else if (!known.ours(result)) failures.push(`${aspect}: differs from Thunderbird, but no longer as documented: ${outcome.ours}`);
          else status = 'known difference';
          notes.push(`${aspect}: ${known.why}`);
        } else if (!outcome.agree) {
          failures.push(`${aspect}: Thunderbird expects ${describeExpectation(c.expectation)}; we say ${outcome.ours}`);
        }
      }
      if (failures.length) status = 'disagree';
      rows.push({ c, status, ours: describeReport(result.report), notes: [...failures, ...notes] });
      assert.deepEqual(failures, [], `${c.file} [${c.mode}]`);
    });
  }
  printTable(`Thunderbird agreement (validation time ${at.toISOString()})`, [
    ['file', 'pref', 'Thunderbird expects', 'our verdict (reasons)', 'agree?', 'note'],
    ...rows.map((r) => [shortName(r.c.file), r.c.mode, describeExpectation(r.c.expectation), r.ours, r.status, r.notes.join(' / ')]),
  ]);
  printTotals('Thunderbird agreement', rows.map((r) => r.status));
  assert.ok(cases.length >= MIN_CASES, `only ${cases.length} Thunderbird cases in the manifest`);
});
