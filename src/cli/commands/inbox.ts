/**
 * `smime inbox DIR`: the test inbox without VS Code, for CI. Start it, run the application's tests against it, then
 * `smime verify DIR/*.eml`. One line per message received on stdout (tab-separated: file, verdict, size, envelope
 * sender, subject); refusals and the start-up line on stderr. Runs until SIGINT or SIGTERM, then exits 0.
 *
 * `--auth-user USER --password-env VAR` requires AUTH (PLAIN, LOGIN) as the relay under test would; the password
 * comes from the environment, never from the command line (where `ps` shows it). `--starttls` offers STARTTLS with a
 * throwaway certificate for 127.0.0.1, or with `--tls-cert`/`--tls-key` when the sender pins one.
 */
import { readFile } from 'node:fs/promises';
import { analyzeMessage, inboxVerdict, type AnalyzeOptions } from '../../core';
import { OUTPUT_OPTIONS, TRUST_OPTIONS, UsageError, parse } from '../args';
import { trustFrom } from '../context';
import { stdout } from '../stdout';
import { writeStderr } from '../stderr';

const INBOX_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'max-bytes': { type: 'string' },
  'auth-user': { type: 'string' },
  'password-env': { type: 'string' },
  starttls: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
} as const;

type InboxValues = { [K in keyof typeof INBOX_OPTIONS]?: (typeof INBOX_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

function authFrom(values: InboxValues): { user: string; password: string } | undefined {
  if (values['auth-user'] === undefined) {
    if (values['password-env'] !== undefined) throw new UsageError('--password-env needs --auth-user');
    return undefined;
  }
  const variable = values['password-env'];
  if (variable === undefined) throw new UsageError('--auth-user needs --password-env VAR (the password is never taken from the command line)');
  const password = process.env[variable];
  if (!password) throw new UsageError(`--password-env: the environment variable ${variable} is not set or empty`);
  return { user: values['auth-user'], password };
}

async function tlsFrom(values: InboxValues): Promise<{ key: string; cert: string } | undefined> {
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (certFile !== undefined && keyFile !== undefined) {
    if (!values.starttls) throw new UsageError('--tls-cert and --tls-key need --starttls');
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  }
  if (!values.starttls) return undefined;
  const { createDemoTlsCertificate } = await import('../../inbox/demoTls');
  return createDemoTlsCertificate();
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

function verdictOf(bytes: Buffer, trust: AnalyzeOptions): string {
  try {
    return inboxVerdict(analyzeMessage(bytes, trust).report);
  } catch {
    return 'error';
  }
}

export async function runInbox(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...INBOX_OPTIONS, ...TRUST_OPTIONS, ...OUTPUT_OPTIONS }, { min: 1, max: 1, names: 'DIR' });
  const port = integer(values.port, '--port', 0, 65535);
  const maxMessageBytes = integer(values['max-bytes'], '--max-bytes', 1, 2 ** 31 - 1);
  const auth = authFrom(values);
  const tls = await tlsFrom(values);
  const trust = await trustFrom(values);
  // Loaded here, not at start-up: only this command needs the SMTP server.
  const { startCatcher } = await import('../../inbox/catcher');
  const json = values.json === true;
  let catcher;
  try {
    catcher = await startCatcher({
      folder: positionals[0],
      host: values.host,
      port,
      maxMessageBytes,
      ...(auth ? { auth } : {}),
      ...(tls ? { tls } : {}),
      onMessage: (message) => {
        void readFile(message.path).then((bytes) => {
          const verdict = verdictOf(bytes, trust);
          const fields = { file: message.file, verdict, size: message.size, from: message.mailFrom, to: message.rcptTo, subject: message.subject ?? '' };
          stdout().write(json ? JSON.stringify(fields) + '\n' : `${message.file}\t${verdict}\t${message.size} bytes\t${message.mailFrom}\t${fields.subject}\n`);
        });
      },
      onRejected: (r) => writeStderr(`smime inbox: refused a message from ${r.mailFrom || 'unknown'} (${r.code}): ${r.reason}\n`),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    writeStderr(`smime inbox: cannot listen: ${code === 'EADDRINUSE' ? `port ${port ?? 2525} is in use` : (e as Error).message}\n`);
    return 2;
  }
  const running = catcher;
  const security = [tls ? 'STARTTLS offered' : '', auth ? `AUTH required as ${auth.user}` : ''].filter(Boolean).join(', ');
  writeStderr(`smime inbox: listening on ${running.host}:${running.port}, saving to ${positionals[0]}${security ? ` (${security})` : ''} (Ctrl+C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  writeStderr(`smime inbox: stopped after ${running.count} message(s)\n`);
  return 0;
}
