/**
 * The message editor's page: a strict CSP with per-load nonces (node:crypto, not Math.random), the bundled
 * script and styles from dist/ and media/ only. Message HTML never enters this page; it goes into sandboxed
 * srcdoc frames, which inherit this policy (so their styles need the style nonce and remote images are blocked
 * here too unless the user allowed them for an unencrypted message).
 */
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export interface PageOptions {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  scriptNonce: string;
  styleNonce: string;
  allowRemoteImages: boolean;
  title: string;
}

export function pageCsp(o: Pick<PageOptions, 'cspSource' | 'scriptNonce' | 'styleNonce' | 'allowRemoteImages'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${o.scriptNonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.styleNonce}'`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:${o.allowRemoteImages ? ' https: http:' : ''}`,
    // srcdoc frames are not fetched, so they need no frame-src; nothing else may be framed or navigated to.
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function pageHtml(o: PageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(pageCsp(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(o.codiconUri)}">
<link rel="stylesheet" href="${escapeAttribute(o.styleUri)}">
<title>${escapeAttribute(o.title)}</title>
</head>
<body>
<main id="app"></main>
<script nonce="${o.scriptNonce}" src="${escapeAttribute(o.scriptUri)}"></script>
</body>
</html>`;
}
