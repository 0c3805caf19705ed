// The raw-text features in a real VS Code: CodeLens, outline, folding, hovers and diagnostics on messages made
// at test time with openssl. Expected lines are found by scanning the text independently of the MIME parser.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DECODED_SUBJECT, SIGNER_EMAIL, writeFixtures, type Fixtures } from './fixtures/messages';

let files: Fixtures;

function workspaceDir(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? mkdtempSync(join(tmpdir(), 'smime-ws-'));
}

async function open(path: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  await vscode.window.showTextDocument(document);
  return document;
}

async function lensesOf(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
}

function titlesOnLine(lenses: vscode.CodeLens[], line: number): string[] {
  return lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
}

/** Lines of `document` (0-based) matching `pattern`. */
function linesMatching(document: vscode.TextDocument, pattern: RegExp): number[] {
  const out: number[] = [];
  for (let i = 0; i < document.lineCount; i++) if (pattern.test(document.lineAt(i).text)) out.push(i);
  return out;
}

/** The first line after `from` whose text is empty (the end of a header block). */
function blankLineAfter(document: vscode.TextDocument, from: number): number {
  for (let i = from; i < document.lineCount; i++) if (document.lineAt(i).text === '') return i;
  throw new Error(`no blank line after ${from}`);
}

/** Delimiter lines of a boundary (RFC 2046 §5.1.1), without the close delimiter. */
function delimiterLines(document: vscode.TextDocument, boundaryPrefix: string): number[] {
  return linesMatching(document, new RegExp(`^--${boundaryPrefix}[^ ]*$`)).filter((l) => !document.lineAt(l).text.endsWith('--'));
}

async function diagnosticsOf(uri: vscode.Uri, expectCode: string): Promise<vscode.Diagnostic[]> {
  for (let i = 0; i < 100; i++) {
    const found = vscode.languages.getDiagnostics(uri);
    if (found.some((d) => d.code === expectCode)) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return vscode.languages.getDiagnostics(uri);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

suite('raw text view of .eml files', () => {
  suiteSetup(() => {
    files = writeFixtures(workspaceDir());
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('.eml files open in the eml language', async () => {
    const document = await open(files.signed);
    assert.equal(document.languageId, 'eml');
  });

  test('CodeLens on a multipart/signed message: verdict, part summaries, signature status, certificate', async () => {
    const document = await open(files.signed);
    const lenses = await lensesOf(document);
    const top = titlesOnLine(lenses, 0);
    assert.ok(top.some((t) => t.startsWith(`$(warning) Signed by ${SIGNER_EMAIL}: untrusted`)), `verdict lens in ${JSON.stringify(top)}`);
    assert.ok(top.includes('1 multipart/signed · 2.6 KB') || top.some((t) => t.startsWith('1 multipart/signed')), JSON.stringify(top));
    assert.ok(top.includes(`Signed by ${SIGNER_EMAIL}: untrusted (untrusted root)`), JSON.stringify(top));
    const certificate = lenses.find((l) => l.command?.title === 'Show certificate');
    assert.equal(certificate?.command?.command, 'smime.rawText.showCertificate');
    assert.equal(certificate?.range.start.line, 0);
    // Each body part's lens sits on the line after its delimiter line.
    const signedDelimiters = delimiterLines(document, '----=_signed_');
    const mixedDelimiters = delimiterLines(document, '----=_mixed_');
    assert.equal(signedDelimiters.length, 2);
    assert.equal(mixedDelimiters.length, 2);
    assert.ok(titlesOnLine(lenses, signedDelimiters[0] + 1).includes('1.1 multipart/mixed · 871 B'));
    assert.ok(titlesOnLine(lenses, mixedDelimiters[0] + 1).some((t) => t.startsWith('1.1.1 text/plain · quoted-printable · utf-8')));
    const attachment = titlesOnLine(lenses, mixedDelimiters[1] + 1);
    assert.ok(attachment.some((t) => t.startsWith('1.1.2 application/octet-stream · base64 · "data.bin"')), JSON.stringify(attachment));
    assert.ok(attachment.includes('Save attachment…'));
    assert.ok(titlesOnLine(lenses, signedDelimiters[1] + 1).some((t) => t.startsWith('1.2 application/pkcs7-signature')));
    const view = lenses.find((l) => l.command?.title === 'Show in message view' && l.range.start.line === mixedDelimiters[1] + 1);
    assert.deepEqual(view?.command?.arguments?.map(String), [document.uri.toString(), '1.1.2']);
  });

  test('CodeLens on a nested message: the forwarded message/rfc822 and the signed message inside it', async () => {
    const document = await open(files.nested);
    const lenses = await lensesOf(document);
    const [, forwardLine] = delimiterLines(document, '----=_mixed_');
    const rfc822 = forwardLine + 1;
    assert.ok(titlesOnLine(lenses, rfc822).some((t) => t.startsWith('1.2 message/rfc822')), JSON.stringify(titlesOnLine(lenses, rfc822)));
    const innerStart = blankLineAfter(document, rfc822) + 1;
    assert.match(document.lineAt(innerStart).text, /^From: /);
    const inner = titlesOnLine(lenses, innerStart);
    assert.ok(inner.some((t) => t.startsWith('1.2.1 multipart/signed')), JSON.stringify(inner));
    assert.ok(inner.some((t) => t.startsWith(`Signed by ${SIGNER_EMAIL}: `)), JSON.stringify(inner));
    // The verdict lens is cut to fit the first line; its tooltip carries the whole summary.
    const verdict = lenses.find((l) => l.range.start.line === 0 && l.command?.title.startsWith('$(circle-slash) part 1.2.1.1 is signed by alice@example.com'));
    assert.equal(verdict?.command?.tooltip, 'part 1.2.1.1 is signed by alice@example.com, the rest of the message is not');
    assert.ok(verdict?.command?.title.endsWith('…'));
  });

  test('the outline is the MIME tree', async () => {
    const document = await open(files.nested);
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri)) ?? [];
    const names = (list: vscode.DocumentSymbol[]) => list.map((s) => s.name);
    assert.deepEqual(names(symbols), ['1 multipart/mixed']);
    assert.deepEqual(names(symbols[0].children), ['1.1 text/plain', '1.2 message/rfc822']);
    const forwarded = symbols[0].children[1];
    assert.deepEqual(names(forwarded.children), ['1.2.1 multipart/signed']);
    assert.deepEqual(names(forwarded.children[0].children), ['1.2.1.1 multipart/mixed', '1.2.1.2 smime.p7s']);
    assert.deepEqual(names(forwarded.children[0].children[0].children), ['1.2.1.1.1 text/plain', '1.2.1.1.2 data.bin']);
    const [, forwardLine] = delimiterLines(document, '----=_mixed_');
    assert.equal(forwarded.range.start.line, forwardLine + 1);
    assert.equal(symbols[0].range.start.line, 0);
  });

  test('folding follows the parts, and long bodies fold on their own', async () => {
    const document = await open(files.signed);
    const folds = (await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri)) ?? [];
    const has = (start: number, end: number) => folds.some((f) => f.start === start && f.end === end);
    const [first, second] = delimiterLines(document, '----=_signed_');
    const close = linesMatching(document, /^------=_signed_.*--$/)[0];
    const innerClose = linesMatching(document, /^------=_mixed_.*--$/)[0];
    // Part 1.1 runs from the line after its delimiter to its own close delimiter; the line break before the
    // next delimiter belongs to that delimiter (RFC 2046 §5.1.1), so the empty line after it is not part 1.1.
    assert.equal(innerClose, second - 2);
    assert.ok(has(first + 1, innerClose), `1.1 fold ${first + 1}-${innerClose} in ${JSON.stringify(folds)}`);
    // The signature part's base64 body: from the line after its blank line to its last line.
    const sigBody = blankLineAfter(document, second + 1) + 1;
    assert.equal(document.lineAt(close - 1).text, '');
    assert.ok(has(sigBody, close - 2), `signature body fold ${sigBody}-${close - 2} in ${JSON.stringify(folds)}`);
    assert.ok(has(0, document.lineCount - 2) || has(0, document.lineCount - 1), 'whole message fold');
  });

  test('hover decodes RFC 2047 encoded words and quoted-printable / base64 bodies', async () => {
    const document = await open(files.signed);
    const subject = linesMatching(document, /^Subject: /)[0];
    const character = document.lineAt(subject).text.indexOf('=?') + 5;
    const onSubject = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(subject, character));
    assert.ok(hoverText(onSubject).includes(DECODED_SUBJECT), hoverText(onSubject));
    const qpLine = linesMatching(document, /^Gr=C3=BC/)[0];
    const onQp = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(qpLine, 3));
    assert.ok(hoverText(onQp).includes('Grüße aus Köln. This line ends in a space: '), hoverText(onQp));
    const [, attachmentDelimiter] = delimiterLines(document, '----=_mixed_');
    const b64Line = blankLineAfter(document, attachmentDelimiter) + 1;
    const onB64 = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(b64Line, 10));
    assert.ok(hoverText(onB64).includes('300 B of binary data ("data.bin")'), hoverText(onB64));
  });

  test('a tampered signature shows as invalid in CodeLens and in Problems, on the signed part', async () => {
    const document = await open(files.tampered);
    const lenses = await lensesOf(document);
    assert.ok(titlesOnLine(lenses, 0).includes('Signature invalid: digest mismatch'), JSON.stringify(titlesOnLine(lenses, 0)));
    const diagnostics = await diagnosticsOf(document.uri, 'digest-mismatch');
    const digest = diagnostics.find((d) => d.code === 'digest-mismatch');
    assert.ok(digest, JSON.stringify(diagnostics));
    assert.equal(digest.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(digest.range.start.line, 0);
    // The related location is the signed content: part 1.1, from the line after the first delimiter.
    const [first, second] = delimiterLines(document, '----=_signed_');
    const related = digest.relatedInformation?.[0]?.location.range;
    assert.equal(related?.start.line, first + 1);
    assert.equal(related?.end.line, second - 1);
    const changed = linesMatching(document, /^Amount: 900 EUR$/)[0];
    assert.ok(related && changed > related.start.line && changed < related.end.line);
  });

  test('malformed MIME is reported where the parser found it', async () => {
    const document = await open(files.broken);
    const diagnostics = await diagnosticsOf(document.uri, 'missing-close-boundary');
    const missing = diagnostics.find((d) => d.code === 'missing-close-boundary');
    assert.ok(missing, JSON.stringify(diagnostics));
    assert.equal(missing.severity, vscode.DiagnosticSeverity.Warning);
    // The close delimiter was expected at the end of the input.
    assert.equal(missing.range.start.line, document.lineCount - 1);
  });

  test('an edit is analysed before saving: changing signed text breaks the signature', async () => {
    const document = await open(files.signed);
    const line = linesMatching(document, /^Amount: 100 EUR$/)[0];
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(line, 8, line, 11), '999');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const lenses = await lensesOf(document);
    assert.ok(titlesOnLine(lenses, 0).includes('Signature invalid: digest mismatch'), JSON.stringify(titlesOnLine(lenses, 0)));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.isDirty, false);
  });

  test('"Decode" opens the decoded text of a part beside the message', async () => {
    const document = await open(files.signed);
    await vscode.commands.executeCommand('smime.rawText.decodePart', document.uri, '1.1.1');
    const decoded = vscode.window.activeTextEditor?.document;
    assert.ok(decoded && decoded.uri.toString() !== document.uri.toString());
    assert.ok(decoded.getText().includes('Grüße aus Köln. This line ends in a space: \r\nFrom the accounts team:'), decoded.getText());
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
