// Every other S/MIME object of the corpus (MimeKit, OpenSSL, RFC 4134 via python-smime, and Thunderbird's files its
// tests state nothing about), read by our verifier and compared layer by layer with what `openssl cms` 3.0 said
// (the manifest's `openssl` records): the signature arithmetic, the chain now and at the signing time, decryption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeMessage, type AnalysisResult, type AnalyzeOptions } from '../../src/core/smime/analyze';
import { resolveCli, runCli } from '../interop/cliRunner';
import { facetsOf, layerAt, messageBytes, ourFacet, sourceOptions, type Facet, type FacetName } from './opensslExpectations';
import {
  corpusPresent,
  corpusRoot,
  describeReport,
  isSmime,
  manifestMessages,
  printTable,
  printTotals,
  shortName,
  thunderbirdCases,
  type RowStatus,
} from './tbExpectations';
import { signersOf } from '../helpers/report';

/** Enough to notice a manifest that lost its OpenSSL records. */
const MIN_MESSAGES = 60;

interface KnownDifference {
  files: RegExp;
  facet: FacetName;
  /** Our documented behaviour, asserted so that a change in either direction is noticed. */
  ours: (r: AnalysisResult) => boolean;
  why: string;
}

const signerCodes = (r: AnalysisResult, email: string | null) => signersOf(layerAt(r, '1')).find((s) => s.email === email)?.reasons.map((x) => x.code) ?? [];

const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    files: /pkcs7-empty-digest-set\.eml$/,
    facet: 'signature',
    ours: (r) => signersOf(layerAt(r, '1')).length === 1 && !signerCodes(r, null).some((c) => c === 'digest-mismatch' || c === 'bad-signature'),
    why: 'the digestAlgorithms SET is empty; RFC 5652 §5.1 allows "any number of elements in the collection, including zero" (it only helps one-pass hashing), and the SignerInfo names its own digest, under which the signature holds. OpenSSL refuses the structure',
  },
  {
    files: /SignedInvalidMappingFromanyPolicyTest7\.eml$/,
    facet: 'policy',
    ours: (r) => (signersOf(layerAt(r, '1')).length > 0 && signersOf(layerAt(r, '1')).every((s) => s.chainTrusted)),
    why: 'we do not process certificate policies (RFC 5280 §6.1 with an initial-explicit-policy); OpenSSL rejects the PKITS 4.10.7 path only when given -policy anyPolicy and accepts it without, as we do',
  },
  {
    files: /python-smime\/smime\/testdata\/6\.0\.bin$/,
    facet: 'digest',
    ours: (r) => r.report.layers.length === 0 && r.report.reasons.includes('unsupported-algorithm'),
    why: 'digested-data (RFC 5652 §7) is not an S/MIME message type (RFC 8551 §3 uses signed, enveloped, auth-enveloped and compressed data): we report it as not opened',
  },
  {
    files: /python-smime\/smime\/testdata\/4\.6\.bin$/,
    facet: 'chain@now',
    ours: (r) => signerCodes(r, 'dianedss@example.com').includes('unsupported-algorithm') && (signersOf(layerAt(r, '1')).length > 0 && signersOf(layerAt(r, '1')).every((s) => s.chainTrusted)),
    why: "Diane's DSA certificate leaves out the domain parameters, to be inherited from Carl's (RFC 3279 §2.3.2). OpenSSL cannot decode her key and fails the certificate check; our chain check (which only needs Carl's key) passes, but we cannot use her key either and report her signature as unsupported-algorithm (not as tampering). Neither verifies the signature RFC 4134 calls valid",
  },
];

function knownDifference(file: string, facet: FacetName): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.facet === facet && k.files.test(file));
}

interface Row {
  file: string;
  openssl: string;
  ours: string;
  status: RowStatus;
  notes: string[];
}

const label = (f: Facet) => `${f.path} ${f.name}`;

test('OpenSSL agreement: every other S/MIME object of the corpus, layer by layer', async (t) => {
  if (!corpusPresent()) return t.skip('corpus not present');
  const messages = manifestMessages().filter((m) => isSmime(m) && (m.source !== 'thunderbird' || thunderbirdCases(m).length === 0));
  const rows: Row[] = [];
  const optionsBySource = new Map<string, AnalyzeOptions>();
  for (const m of messages) {
    await t.test(shortName(m.file), () => {
      const options = optionsBySource.get(m.source) ?? sourceOptions(m.source);
      optionsBySource.set(m.source, options);
      const { bytes, wrapped } = messageBytes(m);
      const result = analyzeMessage(bytes, options);
      const facets = m.openssl.flatMap(facetsOf);
      const failures: string[] = [];
      const notes: string[] = wrapped ? [`wrapped as ${wrapped}`] : [];
      let status: RowStatus = facets.length ? 'agree' : 'not compared';
      for (const f of facets) {
        const atSigningTime = f.at ? analyzeMessage(bytes, { ...options, at: f.at }) : undefined;
        const ours = ourFacet(f, result, atSigningTime);
        const known = knownDifference(m.file, f.name);
        const agree = ours?.ok === f.ok;
        if (known) {
          if (agree) failures.push(`${label(f)}: now agrees with OpenSSL; remove the known difference`);
          else if (!known.ours(result)) failures.push(`${label(f)}: differs from OpenSSL, but no longer as documented (${ours?.said ?? 'no such layer'})`);
          else status = 'known difference';
          notes.push(`${label(f)}: ${known.why}`);
        } else if (!agree) {
          failures.push(`${label(f)}: OpenSSL ${f.ok ? 'OK' : `fails (${f.said})`}; we ${ours ? (ours.ok ? 'pass' : `fail (${ours.said})`) : 'have no such layer'}`);
        }
      }
      if (failures.length) status = 'disagree';
      const openssl = facets.map((f) => `${label(f)} ${f.ok ? 'OK' : 'FAIL'}`).join(', ') || 'nothing recorded';
      rows.push({ file: shortName(m.file), openssl, ours: describeReport(result.report), status, notes: [...failures, ...notes] });
      assert.deepEqual(failures, [], m.file);
    });
  }
  printTable('OpenSSL agreement (chain@now at the current time; chain@signingTime at each layer\'s signingTime)', [
    ['file', 'OpenSSL (per layer)', 'our verdict (reasons)', 'agree?', 'note'],
    ...rows.map((r) => [r.file, r.openssl, r.ours, r.status, r.notes.join(' / ')]),
  ]);
  printTotals('OpenSSL agreement', rows.map((r) => r.status));
  assert.ok(messages.length >= MIN_MESSAGES, `only ${messages.length} messages to compare`);
});

test('the CLI verifies the MimeKit message at its signing time (--at) as the library does', (t) => {
  if (!corpusPresent()) return t.skip('corpus not present');
  const dir = mkdtempSync(join(tmpdir(), 'smime-corpus-cli-'));
  try {
    const smime = join(corpusRoot, 'mimekit/UnitTests/TestData/smime');
    const file = join(smime, 'thunderbird-signed.txt');
    // Signed by Thunderbird on 2013-11-02 with SHA-1; the StartCom certificates expired since (OpenSSL: "certificate has expired").
    const at = '2013-11-02T20:28:04Z';
    const args = ['verify', file, '--json', '--ca', join(smime, 'StartComCertificationAuthority.crt'),
      '--certfile', join(smime, 'StartComClass1PrimaryIntermediateClientCA.crt'), '--allow-sha1'];
    const cli = resolveCli(dir);
    const library = (when?: string) => analyzeMessage(readFileSync(file), { ...sourceOptions('mimekit'), allowSha1: true, at: when ? new Date(when) : undefined }).report;
    const then = runCli(cli, [...args, '--at', at]);
    assert.equal(then.report?.verdict, 'valid', then.stderr || then.stdout);
    assert.equal(then.exit, 0);
    assert.deepEqual(new Set(then.report?.reasons), new Set(library(at).reasons));
    const now = runCli(cli, args);
    assert.equal(now.report?.verdict, 'untrusted', now.stderr || now.stdout);
    assert.notEqual(now.exit, 0);
    assert.deepEqual(new Set(now.report?.reasons), new Set(library().reasons));
    assert.ok(now.report?.reasons.includes('cert-expired'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
