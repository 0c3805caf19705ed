/**
 * A guard over the extension's source: message content (decrypted text above all) opens in a text editor only
 * through the read-only in-memory documents of partDocuments.ts. An untitled document (openTextDocument with
 * content, or an untitled: URI) is backed up to disk by hot exit, so none may be created anywhere. The
 * integration test plaintextInMemory.vscode.test.ts checks the same in a running VS Code.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SOURCE_ROOT = join(process.cwd(), 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Ways to make a document VS Code would back up: content given inline, the untitled scheme, a language-only open. */
const UNTITLED_OPENS: [string, RegExp][] = [
  ['openTextDocument with inline content', /openTextDocument\(\s*\{/],
  ['openTextDocument without a URI', /openTextDocument\(\s*\)/],
  ['the untitled scheme', /['"`]untitled['":`]/],
];

/** Detects the patterns above in a snippet (the test of the test). */
function untitledOpensIn(text: string): string[] {
  return UNTITLED_OPENS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

describe('message content opens only as read-only in-memory documents', () => {
  test('the patterns catch every untitled open', () => {
    assert.deepEqual(untitledOpensIn("await vscode.workspace.openTextDocument({ content: text, language: 'eml' })"), ['openTextDocument with inline content']);
    assert.deepEqual(untitledOpensIn('vscode.workspace.openTextDocument()'), ['openTextDocument without a URI']);
    assert.deepEqual(untitledOpensIn("vscode.Uri.from({ scheme: 'untitled', path: 'x' })"), ['the untitled scheme']);
    assert.deepEqual(untitledOpensIn("vscode.Uri.parse('untitled:Untitled-1')"), ['the untitled scheme']);
    assert.deepEqual(untitledOpensIn('await vscode.workspace.openTextDocument(uri)'), []);
  });

  test('no source file opens an untitled document', () => {
    const files = sourceFiles(SOURCE_ROOT);
    assert.ok(files.length > 50, `the sources were found (${files.length} files under ${SOURCE_ROOT})`);
    const found = files.flatMap((file) => untitledOpensIn(readFileSync(file, 'utf8')).map((what) => `${relative(process.cwd(), file)}: ${what}`));
    assert.deepEqual(found, []);
  });

  test('the raw view and the message view open content through the shared part actions and the in-memory documents', () => {
    const read = (f: string) => readFileSync(join(SOURCE_ROOT, f), 'utf8');
    for (const view of ['extension/rawText/commands.ts', 'extension/editorActions.ts']) assert.match(read(view), /from '\.\.?\/partActions'/, view);
    const actions = read('extension/partActions.ts');
    assert.match(actions, /documents\.create\(/);
    assert.match(actions, /documents\.createFromBytes\(/);
    assert.doesNotMatch(actions, /openTextDocument/, 'no other way to open a document');
  });
});
