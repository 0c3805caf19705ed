// Messages for the editor's tests, made at test time with openssl over the shared test PKI: a signed HTML mail
// with a cid: image, a script and remote references; the same tampered; an encrypted one; a partly signed one.
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { analyzeMessage, type AnalysisResult, type AnalyzeOptions } from '../../../src/core/smime/analyze';
import { CRLF, base64Lines, entity, mixedOf, replaceOnce, sampleTextEntity, wrapMessage } from '../../helpers/mime';
import { opensslEncrypted, opensslSigned } from '../../helpers/openssl';
import { sharedTestPki, type TestPki } from '../../helpers/pki';
import { certificatesIn } from '../../helpers/certFiles';

/** A 1x1 PNG. */
export const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export const HTML_MARKER = 'Amount: 100 EUR';

export const SAMPLE_HTML = [
  '<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0;url=https://evil.example/refresh">',
  '<link rel="stylesheet" href="https://evil.example/style.css"><style>body{background:url(https://evil.example/bg.png)}</style>',
  '<script>parent.postMessage("pwned","*")</script></head>',
  `<body onload="alert(1)"><p style="color:red;background-image:url('https://evil.example/p.png')">${HTML_MARKER}</p>`,
  '<img src="cid:logo@example.com" alt="logo"><img src="https://evil.example/track.gif">',
  '<a href="https://example.com/offer">offer</a><iframe src="https://evil.example/frame"></iframe>',
  '</body></html>',
].join(CRLF);

function boundary(tag: string): string {
  return `----=_${tag}_${Math.random().toString(36).slice(2)}`;
}

function multipart(type: string, parts: Buffer[]): Buffer {
  const b = boundary(type.replace(/\W/g, ''));
  const chunks: Buffer[] = [Buffer.from(`Content-Type: ${type}; boundary="${b}"${CRLF}${CRLF}`)];
  for (const part of parts) chunks.push(Buffer.from(`--${b}${CRLF}`), part, Buffer.from(CRLF));
  chunks.push(Buffer.from(`--${b}--${CRLF}`));
  return Buffer.concat(chunks);
}

/** multipart/alternative (plain + related(html + cid image)) plus a PDF-like attachment. */
export function htmlMailEntity(): Buffer {
  const html = entity(['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
    SAMPLE_HTML.replace(/=/g, '=3D') + CRLF);
  const image = entity(['Content-Type: image/png', 'Content-Transfer-Encoding: base64', 'Content-ID: <logo@example.com>',
    'Content-Disposition: inline; filename="logo.png"'], base64Lines(PIXEL_PNG));
  const related = multipart('multipart/related', [html, image]);
  const alternative = multipart('multipart/alternative', [sampleTextEntity(HTML_MARKER), related]);
  const attachment = entity(['Content-Type: application/octet-stream; name="../../etc/passwd"', 'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="../../etc/passwd"'], base64Lines(Buffer.from('not really a password file\n')));
  return multipart('multipart/mixed', [alternative, attachment]);
}

export interface SampleMessages {
  pki: TestPki;
  trust: AnalyzeOptions;
  untrustedTrust: AnalyzeOptions;
  valid: Buffer;
  tampered: Buffer;
  encrypted: Buffer;
  /** The HTML mail encrypted to bob (AES-256-CBC, no signature inside). */
  encryptedHtml: Buffer;
  /** A signed text part next to an unsigned one: only part of the message is signed. */
  partial: Buffer;
  bobKey: { privateKey: ReturnType<typeof createPrivateKey> };
}

const envelope = { from: 'Alice Example <alice@example.com>', to: 'Bob Example <bob@example.com>', subject: 'Quarterly numbers' };

let cached: Promise<SampleMessages> | undefined;

export function sampleMessages(): Promise<SampleMessages> {
  cached ??= (async () => {
    const pki = await sharedTestPki();
    const { alice, bob } = pki.users;
    const valid = wrapMessage(envelope, opensslSigned(pki, alice, htmlMailEntity()));
    const tampered = replaceOnce(valid, 'Amount: 100 EUR', 'Amount: 900 EUR');
    const encrypted = wrapMessage({ ...envelope, subject: 'Secret' }, opensslEncrypted(pki, [bob], sampleTextEntity(), { cipher: 'aes256' }));
    const encryptedHtml = wrapMessage({ ...envelope, subject: 'Secret HTML' }, opensslEncrypted(pki, [bob], htmlMailEntity(), { cipher: 'aes256' }));
    const partial = wrapMessage(envelope, mixedOf([sampleTextEntity('Unsigned: pay 900 EUR'), opensslSigned(pki, alice, sampleTextEntity())]));
    return {
      pki,
      trust: { anchors: certificatesIn([pki.root.cert]).certs },
      untrustedTrust: { anchors: certificatesIn([pki.otherRoot.cert]).certs },
      valid,
      tampered,
      encrypted,
      encryptedHtml,
      partial,
      bobKey: { privateKey: createPrivateKey(readFileSync(bob.key)) },
    };
  })();
  return cached;
}

export function analyzed(message: Buffer, options: AnalyzeOptions): AnalysisResult {
  return analyzeMessage(message, options);
}
