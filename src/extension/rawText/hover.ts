/**
 * Hovers that decode what the raw text hides: RFC 2047 encoded words in header fields, and base64 or
 * quoted-printable bodies (RFC 2045 §6.7, §6.8), shown as text with a bounded length.
 */
import * as vscode from 'vscode';
import { decodeBody, decodeText, decodeEncodedWords, type MimeEntity } from '../../core';
import { formatSize } from './labels';
import type { RawModel, RawModelStore } from './rawModel';

/** Characters of decoded text a hover shows: enough to recognise a body, small enough to render instantly. */
export const MAX_HOVER_CHARS = 2000;
/** Encoded body bytes decoded for a hover: a hover over a 100 MB attachment must not decode all of it. */
export const MAX_HOVER_SOURCE_BYTES = 64 * 1024;

/** An encoded word (RFC 2047 §2): =?charset?encoding?text?= (an RFC 2231 language may follow the charset). */
const ENCODED_WORD = /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/g;

const ENCODED_BODIES = new Set(['base64', 'quoted-printable']);

/** A fenced block that no run of backticks in `text` can close early. */
function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

/** The encoded words of a line (several adjacent words decode together, RFC 2047 §6.2). */
export function encodedWordAt(lineText: string, character: number): { start: number; end: number; decoded: string } | undefined {
  for (const match of lineText.matchAll(ENCODED_WORD)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (character >= start && character <= end) return { start, end, decoded: decodeEncodedWords(match[0]) };
  }
  return undefined;
}

function headerHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  const word = encodedWordAt(document.lineAt(position.line).text, position.character);
  if (!word) return undefined;
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**Encoded word** (RFC 2047)\n\n');
  md.appendMarkdown(codeBlock(word.decoded));
  return new vscode.Hover(md, new vscode.Range(position.line, word.start, position.line, word.end));
}

/** The entity with its body cut at a line boundary after MAX_HOVER_SOURCE_BYTES. */
function boundedBody(entity: MimeEntity): { view: MimeEntity; cut: boolean } {
  if (entity.end - entity.bodyStart <= MAX_HOVER_SOURCE_BYTES) return { view: entity, cut: false };
  const limit = entity.bodyStart + MAX_HOVER_SOURCE_BYTES;
  const lineEnd = entity.source.lastIndexOf(0x0a, limit);
  return { view: { ...entity, end: lineEnd > entity.bodyStart ? lineEnd + 1 : limit }, cut: true };
}

function bodyHover(model: RawModel, entity: MimeEntity): vscode.Hover | undefined {
  if (!ENCODED_BODIES.has(entity.transferEncoding) || entity.children.length > 0 || entity.multipart) return undefined;
  const { view, cut } = boundedBody(entity);
  const type = entity.contentType.mimeType;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${entity.path} ${type}**, ${entity.transferEncoding} decoded`);
  if (type.startsWith('text/') || type.startsWith('message/')) {
    const { text, charset } = decodeText(view);
    const shown = text.length > MAX_HOVER_CHARS ? text.slice(0, MAX_HOVER_CHARS) : text;
    md.appendMarkdown(` (${charset})\n\n${codeBlock(shown)}`);
    if (cut || shown.length < text.length) md.appendMarkdown('\n\n*…shortened*');
  } else {
    const { data } = decodeBody(view);
    const size = cut ? `more than ${formatSize(data.length)}` : formatSize(data.length);
    md.appendMarkdown(`: ${size} of binary data${entity.filename ? ` ("${entity.filename}")` : ''}`);
  }
  return new vscode.Hover(md, model.lineRange(entity.bodyStart, entity.end));
}

export class MimeHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: RawModelStore) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const model = await this.store.get(document);
    const offset = model.offset(position);
    const entity = model.entityAt(offset);
    if (offset < entity.bodyStart) return headerHover(document, position);
    return bodyHover(model, entity);
  }
}
