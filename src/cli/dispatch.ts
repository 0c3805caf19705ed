/**
 * `smime`: the command-line twin of the extension. Exit status: 0 = valid (verify) / decrypted (decrypt) /
 * done; 1 = understood but not valid or not decryptable; 2 = usage error or unreadable input.
 * The table of commands is given by the bundle's entry (main.ts: every command; bins/: one write command each), so a
 * bundle holds only the code of its own commands.
 */
import { InputError, UsageError } from './args';
import { readAhead } from './readAhead';
import { stdout } from './stdout';
import { writeStderr } from './stderr';

export const USAGE = `smime: inspect, verify, decrypt, sign and encrypt S/MIME mail

Usage:
  smime inspect FILE [--json]
  smime show FILE [--json] [options of verify]   (the message as a reader sees it, each part with its protection)
  smime verify INPUT... [--files-from FILE|-] [--ca PATH]... [--crl PATH]... [--certfile PATH]... [--at ISO-8601]
                    [--allow-sha1] [--system-ca] [--key K --cert C]... [--p12 P]... [--passphrase-env VAR]
                    [--json | --jsonl] [--jobs N]
                    (INPUT: a message, an mbox archive, or a folder of .eml/.mbox files or a Maildir)
  smime decrypt FILE (--key K [--cert C] | --p12 P) [--passphrase-env VAR] [-o OUT] [--json]
  smime cert FILE [--passphrase-env VAR] [--json] [--pem] [--save-recipient DIR]
  smime sign IN... (--cert C --key K | --p12 P) [--passphrase-env VAR] [--certfile PATH]... [--opaque] [--pss]
                [--digest sha256|sha384|sha512] [--protect-headers] [--force] (-o OUT | --out-dir DIR) [--json]
  smime encrypt IN... --to CERT... [--recipients-dir DIR] [--cipher aes-256-cbc|aes-128-cbc|aes-128-gcm|aes-256-gcm]
                [--oaep] (--cert C | --p12 P | --no-self) [--protect-headers] [--force] (-o OUT | --out-dir DIR) [--json]
  smime sign-encrypt IN... (--cert C --key K | --p12 P) [--passphrase-env VAR] --to CERT... [--recipients-dir DIR]
                [options of sign and encrypt] [--order sign-encrypt|encrypt-sign|triple] (-o OUT | --out-dir DIR) [--json]
  smime demo DIR [--force] [--json]   (writes a TEST-ONLY PKI and sample messages into DIR)
  smime inbox DIR [--port P] [--host H] [--max-bytes N] [--ca PATH]... [--json]
                [--auth-user USER --password-env VAR] [--starttls [--tls-cert F --tls-key F]]
                (an SMTP test inbox on 127.0.0.1:2525 saving each message to DIR; one line per message)
  smime compare BEFORE AFTER [--json]   (what a relay changed in the signed part; exit 1 when that breaks it)

Exit status: 0 valid / decrypted / written, 1 not valid, not decryptable or refused (nothing written),
2 usage error or unreadable input. sign/encrypt print what they changed (the preflight) to stderr.
Passphrases are read from the environment variable named by --passphrase-env, never from the command line.`;

export type Command = (argv: string[]) => Promise<number> | number;

/** Loads a command's code on first use. */
export type CommandTable = Record<string, () => Promise<Command>>;

export async function runCommandLine(argv: string[], commands: CommandTable): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    stdout().write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === '--version') {
    stdout().write('smime 0.1.0\n');
    return 0;
  }
  const load = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!load) {
    writeStderr(`smime: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  // The input is the first argument of every command that reads a message or certificate.
  readAhead(rest[0]);
  try {
    const run = await load();
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      writeStderr(`smime ${command}: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      writeStderr(`smime ${command}: ${e.message}\n`);
      return 2;
    }
    // Anything else is a defect of ours; say so briefly, without a stack trace (and never key material).
    writeStderr(`smime ${command}: internal error: ${(e as Error).message}\n`);
    if (process.env.SMIME_DEBUG) writeStderr(`${(e as Error).stack}\n`);
    return 2;
  }
}

/** Runs this process's command line with `commands` and sets the exit status; settles with that status. */
export function runExecutable(commands: CommandTable): Promise<number> {
  // Standard output is made on first use, with its EPIPE handling (stdout.ts).
  return runCommandLine(process.argv.slice(2), commands).then(
    (code) => {
      process.exitCode = code;
      return code;
    },
    () => {
      process.exitCode = 2;
      return 2;
    },
  );
}
