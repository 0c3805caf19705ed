/** Command-line parsing shared by the `smime` commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { quickParse } from './quickArgs';

/** Wrong usage: printed with the command's help, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Unreadable input (missing file, not a message, bad key file): exit status 2, never a stack trace. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export type Options = ParseArgsConfig['options'];

export function parse<T extends NonNullable<Options>>(argv: string[], options: T, positionals: { min: number; max: number; names: string }) {
  let parsed = quickParse(argv, options) as ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> | undefined;
  if (!parsed) {
    try {
      parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
    }
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError(`missing ${positionals.names}`);
  if (count > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}"`);
  return parsed;
}

/** Options every command that needs keys or trust shares. */
export const TRUST_OPTIONS = {
  ca: { type: 'string', multiple: true },
  crl: { type: 'string', multiple: true },
  certfile: { type: 'string', multiple: true },
  at: { type: 'string' },
  'allow-sha1': { type: 'boolean' },
  'system-ca': { type: 'boolean' },
} as const;

export const KEY_OPTIONS = {
  key: { type: 'string', multiple: true },
  cert: { type: 'string', multiple: true },
  p12: { type: 'string', multiple: true },
  'passphrase-env': { type: 'string' },
} as const;

export const OUTPUT_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
