// Parses every message of the external corpus (written by other projects' test suites) and checks that the
// entity ranges rebuild each file byte for byte; checks the signed bytes of multipart/signed against OpenSSL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { checkRanges, decodeBody, entityBytes, findEntity, parseMessage, rebuildFromRanges, smimeKindOf } from '../../src/core/mime/index';

const corpusRoot = process.env.SMIME_CORPUS ?? join(__dirname, '../../../../shared/corpus');
const PLAIN_MIME_DIRS = ['mailparser', 'postal-mime', 'cpython-email', 'mimekit'];

interface ManifestMessage {
  file: string;
  kind: string;
  openssl?: { part?: string; layer?: string; eContent?: string; 'signature_only(-noverify)'?: string }[];
}

function manifest(): ManifestMessage[] {
  return JSON.parse(readFileSync(join(corpusRoot, 'manifest.json'), 'utf8')).messages;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** A header field (or an mbox "From " line) on the first line, after an optional UTF-8 byte order mark. */
function looksLikeMessage(path: string): boolean {
  if (path.endsWith('.eml')) return true;
  const head = readFileSync(path).subarray(0, 256).toString('latin1').replace(/^\xef\xbb\xbf/, '');
  return /^(From |[!-9;-~]+[ \t]*:)/.test(head);
}

function corpusFiles(): string[] {
  const files = new Set(manifest().map((m) => join(corpusRoot, m.file)));
  for (const dir of PLAIN_MIME_DIRS) {
    if (!existsSync(join(corpusRoot, dir))) continue;
    for (const file of filesUnder(join(corpusRoot, dir))) if (looksLikeMessage(file)) files.add(file);
  }
  return [...files].sort();
}

test('every corpus message parses and its ranges rebuild the file byte for byte', (t) => {
  if (!existsSync(join(corpusRoot, 'manifest.json'))) return t.skip('corpus not present');
  let parts = 0;
  let warnings = 0;
  const files = corpusFiles();
  for (const file of files) {
    const source = readFileSync(file);
    const msg = parseMessage(source);
    const name = relative(corpusRoot, file);
    assert.deepEqual(checkRanges(msg), [], name);
    assert.ok(rebuildFromRanges(msg).equals(source), name);
    assert.ok(!msg.warnings.some((w) => w.code === 'internal-error'), name);
    parts += msg.entityCount;
    warnings += msg.warnings.length;
  }
  assert.ok(files.length >= 250, `only ${files.length} files found`);
  console.log(`# corpus: ${files.length} files parsed, ${parts} parts, ${warnings} warnings`);
});

/** RFC 8551 §3.1.1: signatures are computed over the canonical (CRLF) form; files saved with LF need it back. */
function canonical(bytes: Buffer, lineEndings: string): Buffer {
  return lineEndings === 'lf' ? Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1') : bytes;
}

function opensslVerifies(content: Buffer, signature: Buffer, dir: string): boolean {
  writeFileSync(join(dir, 'content'), content);
  writeFileSync(join(dir, 'sig.der'), signature);
  try {
    execFileSync('openssl', ['cms', '-verify', '-binary', '-noverify', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'content'), '-out', join(dir, 'out')], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

test('first parts of corpus multipart/signed verify in OpenSSL exactly when the manifest says they do', (t) => {
  if (!existsSync(join(corpusRoot, 'manifest.json'))) return t.skip('corpus not present');
  const dir = mkdtempSync(join(tmpdir(), 'mime-corpus-'));
  let checked = 0;
  try {
    for (const message of manifest()) {
      for (const layer of message.openssl ?? []) {
        if (layer.layer !== 'signed' || !layer.eContent?.startsWith('absent') || !layer.part) continue;
        const msg = parseMessage(readFileSync(join(corpusRoot, message.file)));
        const signed = findEntity(msg.root, layer.part);
        if (!signed || smimeKindOf(signed)?.kind !== 'multipart-signed') continue; // a layer inside encrypted content
        const content = canonical(entityBytes(signed.children[0]), msg.lineEndings);
        const verified = opensslVerifies(content, decodeBody(signed.children[1]).data, dir);
        assert.equal(verified, layer['signature_only(-noverify)'] === 'OK', `${message.file} part ${layer.part}`);
        checked++;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(checked >= 40, `only ${checked} signed layers checked`);
  console.log(`# corpus: ${checked} detached signatures checked against OpenSSL`);
});

test('S/MIME labels of corpus messages match the manifest kind', (t) => {
  if (!existsSync(join(corpusRoot, 'manifest.json'))) return t.skip('corpus not present');
  const expectations: [RegExp, (kind: ReturnType<typeof smimeKindOf>) => boolean][] = [
    [/^signed \(detached/, (k) => k?.kind === 'multipart-signed' && k.protocolOk],
    [/^signed \(opaque/, (k) => k?.kind === 'pkcs7-mime' && k.smimeType === 'signed-data'],
    [/^encrypted \(enveloped/, (k) => k?.kind === 'pkcs7-mime' && k.smimeType === 'enveloped-data'],
    [/^plain MIME/, (k) => k === undefined || k.kind === 'other-signed'],
  ];
  let checked = 0;
  for (const message of manifest()) {
    const rule = expectations.find(([pattern]) => pattern.test(message.kind));
    if (!rule) continue;
    const kind = smimeKindOf(parseMessage(readFileSync(join(corpusRoot, message.file))).root);
    assert.ok(rule[1](kind), `${message.file} (${message.kind}): ${JSON.stringify(kind)}`);
    checked++;
  }
  assert.ok(checked > 150, `only ${checked} messages checked`);
});
