/**
 * The test inbox: an SMTP server (RFC 5321) that accepts every message and writes it, byte for byte as received
 * in DATA, to a folder. It is a catcher, not a relay: nothing is forwarded, and no Received or other header is
 * added, so the file holds exactly what the application sent. Built on `smtp-server` (nodemailer project), which
 * does the protocol; the rules below decide what is accepted.
 */
import { isAscii } from 'node:buffer';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { subjectOf } from './fileName';
import { storeMessage } from './store';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 2525;
/** 25 MiB: the limit common providers announce with SIZE (RFC 1870); bigger test mail is a mistake. */
export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** How long stopping waits for open connections before closing them. */
export const CLOSE_TIMEOUT_MS = 1000;

export interface CatcherOptions {
  folder: string;
  /** Default 127.0.0.1: another interface only when asked for. */
  host?: string;
  /** Default 2525; 0 picks a free port. */
  port?: number;
  maxMessageBytes?: number;
  /** When set, AUTH (PLAIN, LOGIN) is required with these credentials. */
  auth?: { user: string; password: string };
  /** When set, STARTTLS is offered with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  onMessage?: (message: ReceivedMessage) => void;
  onRejected?: (rejection: Rejection) => void;
}

export interface ReceivedMessage {
  file: string;
  path: string;
  size: number;
  mailFrom: string;
  rcptTo: string[];
  subject?: string;
  receivedAt: Date;
}

export interface Rejection {
  code: number;
  reason: string;
  mailFrom: string;
}

export interface Catcher {
  readonly host: string;
  readonly port: number;
  readonly folder: string;
  /** Messages saved since start. */
  readonly count: number;
  close(): Promise<void>;
}

class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the DATA scan saw, kept across chunks so a CRLF split between two chunks is still a CRLF. */
interface DataScan {
  chunks: Buffer[];
  size: number;
  previousByte: number;
  bareLfAt: number;
  eightBitAt: number;
}

function scanChunk(scan: DataScan, chunk: Buffer): void {
  if (scan.bareLfAt < 0) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) {
      const before = i > 0 ? chunk[i - 1] : scan.previousByte;
      if (before !== 0x0d) {
        scan.bareLfAt = scan.size + i;
        break;
      }
    }
  }
  if (scan.eightBitAt < 0 && !isAscii(chunk)) {
    let i = 0;
    while (chunk[i] < 0x80) i++;
    scan.eightBitAt = scan.size + i;
  }
  scan.previousByte = chunk.length ? chunk[chunk.length - 1] : scan.previousByte;
}

/** The reply for a complete message that must not be kept, or undefined to keep it. */
function refusal(scan: DataScan, stream: SMTPServerDataStream, session: SMTPServerSession, limit: number): SmtpReply | undefined {
  if (stream.sizeExceeded) return new SmtpReply(552, `Message exceeds the fixed maximum message size of ${limit} bytes (RFC 1870); nothing was saved`);
  if (scan.bareLfAt >= 0) {
    // RFC 5321 §2.3.8: lines end in CRLF; a bare LF is how SMTP smuggling hides a second message, so it is refused.
    return new SmtpReply(550, `Bare LF line ending at byte ${scan.bareLfAt}: SMTP lines must end in CRLF (RFC 5321 section 2.3.8); nothing was saved`);
  }
  if (scan.eightBitAt >= 0 && session.envelope.bodyType !== '8bitmime') {
    return new SmtpReply(554, `8-bit data at byte ${scan.eightBitAt} without BODY=8BITMIME on MAIL FROM (RFC 6152 section 3); nothing was saved`);
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startCatcher(options: CatcherOptions): Promise<Catcher> {
  const host = options.host || DEFAULT_HOST;
  const limit = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  let count = 0;
  const disabled = [...(options.auth ? [] : ['AUTH']), ...(options.tls ? [] : ['STARTTLS'])];
  const server = new SMTPServer({
    name: 'smime-test-inbox',
    banner: 'S/MIME test inbox: messages are saved, never delivered',
    size: limit,
    rejectOversized: true,
    disabledCommands: disabled,
    authOptional: !options.auth,
    // Without TLS, AUTH over the plain connection is the only AUTH there is: the server listens on loopback.
    allowInsecureAuth: !options.tls,
    disableReverseLookup: true,
    closeTimeout: CLOSE_TIMEOUT_MS,
    logger: false,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    onAuth(auth, _session, callback) {
      const wanted = options.auth;
      if (wanted && sameSecret(auth.username ?? '', wanted.user) && sameSecret(auth.password ?? '', wanted.password)) {
        callback(null, { user: auth.username });
        return;
      }
      callback(new SmtpReply(535, 'Authentication credentials invalid'));
    },
    onData(stream, session, callback) {
      const scan: DataScan = { chunks: [], size: 0, previousByte: -1, bareLfAt: -1, eightBitAt: -1 };
      stream.on('data', (chunk: Buffer) => {
        scanChunk(scan, chunk);
        scan.size += chunk.length;
        // Past the limit the rest is only counted, never held: the message is refused at its end.
        if (!stream.sizeExceeded) scan.chunks.push(chunk);
        else scan.chunks.length = 0;
      });
      // A connection that drops mid-DATA destroys the stream without 'end': the chunks are dropped, nothing written.
      stream.on('error', () => {
        scan.chunks.length = 0;
      });
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const refused = refusal(scan, stream, session, limit);
        if (refused) {
          scan.chunks.length = 0;
          options.onRejected?.({ code: refused.responseCode, reason: refused.message, mailFrom });
          callback(refused);
          return;
        }
        const bytes = Buffer.concat(scan.chunks, scan.size);
        scan.chunks.length = 0;
        const receivedAt = new Date();
        const subject = subjectOf(bytes);
        storeMessage(options.folder, bytes, receivedAt, subject).then(
          (file) => {
            count++;
            const message: ReceivedMessage = {
              file,
              path: join(options.folder, file),
              size: bytes.length,
              mailFrom,
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              subject,
              receivedAt,
            };
            // Reply text is ASCII (RFC 5321 §4.2); the name may not be.
            callback(null, `Saved as ${file.replace(/[^\x20-\x7e]/g, '?')}`);
            options.onMessage?.(message);
          },
          (e: NodeJS.ErrnoException) => {
            // 451: a local problem (disk full, folder not writable); the client may try again later.
            options.onRejected?.({ code: 451, reason: `could not save: ${e.code ?? e.message}`, mailFrom });
            callback(new SmtpReply(451, `Could not save the message (${e.code ?? 'write error'}); try again later`));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => reject(e);
    server.once('error', fail);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  // Errors after start (a client's broken socket) are the client's problem, not the inbox's.
  server.on('error', () => undefined);
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
  const boundHost = typeof address === 'object' && address ? address.address : host;
  let closing: Promise<void> | undefined;
  return {
    host: boundHost,
    port,
    folder: options.folder,
    get count() {
      return count;
    },
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}
