/** PEM armour (RFC 7468): finds every `-----BEGIN X-----` block in a text and decodes its base64. */

export interface PemBlock {
  label: string;
  /** RFC 1421 headers such as Proc-Type / DEK-Info (legacy encrypted OpenSSL keys). */
  headers: Record<string, string>;
  der: Buffer;
  /** The block's own text, from BEGIN to END, for handing to OpenSSL unchanged. */
  text: string;
}

/** A PEM file with more blocks than this is not a certificate bundle anyone ships (the Mozilla roots are ~150). */
export const MAX_PEM_BLOCKS = 10000;

const BLOCK = /-----BEGIN ([A-Z0-9 #]+)-----([\s\S]*?)-----END \1-----/g;

export function looksLikePem(data: Buffer): boolean {
  return data.subarray(0, 64 * 1024).includes('-----BEGIN ');
}

export function decodePemBlocks(data: Buffer | string): PemBlock[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    if (blocks.length >= MAX_PEM_BLOCKS) break;
    const headers: Record<string, string> = {};
    const bodyLines: string[] = [];
    for (const line of m[2].split(/\r?\n/)) {
      const header = line.match(/^([A-Za-z-]+):(.*)$/);
      if (header) headers[header[1]] = header[2].trim();
      else bodyLines.push(line.trim());
    }
    blocks.push({ label: m[1], headers, der: Buffer.from(bodyLines.join(''), 'base64'), text: m[0] });
  }
  return blocks;
}

export function encodePem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
