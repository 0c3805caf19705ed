/**
 * The `smime.inbox.*` and `smime.send.*` settings as typed values. Pure (the configuration comes through a getter),
 * so the defaults and the range checks are unit-tested without VS Code. Passwords are never settings: they live in
 * SecretStorage (inboxSecrets.ts).
 */
import type { ConfigGetter } from '../settings';
import { expandPath } from '../settings';

export type SmtpSecurity = 'none' | 'starttls' | 'tls';

export interface InboxSettings {
  host: string;
  port: number;
  /** Absolute folder the messages are written to; undefined without a workspace folder to resolve it against. */
  folder?: string;
  maxMessageBytes: number;
  /** AUTH is required when set (the password is in SecretStorage). */
  authUser?: string;
  starttls: boolean;
}

export interface SendSettings {
  /** Undefined: send to the test inbox itself. */
  host?: string;
  port: number;
  security: SmtpSecurity;
  user?: string;
  rejectUnauthorized: boolean;
}

export const INBOX_DEFAULTS = { host: '127.0.0.1', port: 2525, folder: '.mail', maxMessageBytes: 25 * 1024 * 1024 } as const;
/** The submission port (RFC 6409 §3.1) is what a mail server expects from an application. */
export const SEND_DEFAULT_PORT = 587;

function portOf(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535 ? value : fallback;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function readInboxSettings(get: ConfigGetter, workspaceFolder: string | undefined): InboxSettings {
  const size = get<unknown>('inbox.maxMessageBytes', INBOX_DEFAULTS.maxMessageBytes);
  const authUser = text(get<unknown>('inbox.authUser', ''));
  const folder = expandPath(text(get<unknown>('inbox.folder', INBOX_DEFAULTS.folder)) ?? INBOX_DEFAULTS.folder, workspaceFolder);
  return {
    host: text(get<unknown>('inbox.host', INBOX_DEFAULTS.host)) ?? INBOX_DEFAULTS.host,
    port: portOf(get<unknown>('inbox.port', INBOX_DEFAULTS.port), INBOX_DEFAULTS.port),
    ...(folder ? { folder } : {}),
    maxMessageBytes: typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : INBOX_DEFAULTS.maxMessageBytes,
    ...(authUser ? { authUser } : {}),
    starttls: get<unknown>('inbox.starttls', false) === true,
  };
}

export function readSendSettings(get: ConfigGetter): SendSettings {
  const security = get<unknown>('send.security', 'starttls');
  const host = text(get<unknown>('send.host', ''));
  const user = text(get<unknown>('send.user', ''));
  return {
    ...(host ? { host } : {}),
    port: portOf(get<unknown>('send.port', SEND_DEFAULT_PORT), SEND_DEFAULT_PORT),
    security: security === 'none' || security === 'tls' ? security : 'starttls',
    ...(user ? { user } : {}),
    rejectUnauthorized: get<unknown>('send.rejectUnauthorized', true) !== false,
  };
}

/** Whether an address is a loopback one: anything else exposes the inbox to the network. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
