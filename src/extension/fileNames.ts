/** Names of the files this extension writes beside a message. Names taken from a message go through core's
 *  safeFileName (core/mail/fileNames.ts). */

/** NAME.eml -> NAME.signed.eml (or .encrypted.eml ...), beside the input. */
export function outputName(input: string, suffix: 'signed' | 'encrypted' | 'signed-encrypted'): string {
  const m = /^(.*?)(\.eml)?$/i.exec(input);
  return `${m?.[1] ?? input}.${suffix}.eml`;
}
