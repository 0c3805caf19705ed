/** Names of the files this extension writes beside a message. Names taken from a message go through core's
 *  safeFileName (core/mail/fileNames.ts). */

/** Names tried for one output before giving up: more earlier outputs than this beside one draft is no workflow. */
export const MAX_OUTPUT_NAME_ATTEMPTS = 100;

/** NAME.eml -> NAME.signed.eml (or .encrypted.eml ...), beside the input; NAME.signed-2.eml ... when taken. */
export function outputName(input: string, suffix: 'signed' | 'encrypted' | 'signed-encrypted', attempt = 0): string {
  const m = /^(.*?)(\.eml)?$/i.exec(input);
  return `${m?.[1] ?? input}.${suffix}${attempt > 0 ? `-${attempt + 1}` : ''}.eml`;
}
