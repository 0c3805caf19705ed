/**
 * Sends a finished message through an SMTP server with nodemailer, as raw bytes: nodemailer's only change is the
 * SMTP transport itself (dot-stuffing, and bare line ends made CRLF as RFC 5321 §2.3.8 requires), so a developer
 * sees what the relay, not the sender, does to the signature.
 */
import { isAscii } from 'node:buffer';
import { createTransport } from 'nodemailer';
import { parseMessage, parseAddressList } from '../core';
import { MAX_HEADER_SCAN_BYTES } from './fileName';

export type SmtpSecurity = 'none' | 'starttls' | 'tls';

export interface SmtpTarget {
  host: string;
  port: number;
  security: SmtpSecurity;
  user?: string;
  password?: string;
  /** Check the server's certificate (off for the test inbox's own demo certificate). */
  rejectUnauthorized: boolean;
}

export interface Envelope {
  from: string;
  to: string[];
}

export interface SendResult {
  response: string;
  accepted: string[];
  rejected: string[];
  envelope: Envelope;
}

/** Seconds to wait for a server to answer before giving up. */
export const SEND_TIMEOUT_MS = 30_000;

/** The SMTP envelope from the message's own headers: From (or Sender) and every To, Cc and Bcc address. */
export function envelopeOf(message: Buffer): Envelope {
  const root = parseMessage(message.subarray(0, MAX_HEADER_SCAN_BYTES)).root;
  const values = (key: string) => root.headers.filter((h) => h.key === key).flatMap((h) => parseAddressList(h.value)).map((a) => a.address);
  const from = values('from')[0] ?? values('sender')[0];
  const to = [...new Set([...values('to'), ...values('cc'), ...values('bcc')])];
  if (!from) throw new Error('the message has no From address to send it from');
  if (to.length === 0) throw new Error('the message has no To, Cc or Bcc address to send it to');
  return { from, to };
}

export async function sendRawMessage(target: SmtpTarget, message: Buffer, envelope: Envelope = envelopeOf(message)): Promise<SendResult> {
  const transport = createTransport({
    host: target.host,
    port: target.port,
    secure: target.security === 'tls',
    requireTLS: target.security === 'starttls',
    ignoreTLS: target.security === 'none',
    ...(target.user ? { auth: { user: target.user, pass: target.password ?? '' } } : {}),
    tls: { rejectUnauthorized: target.rejectUnauthorized },
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  try {
    // RFC 6152: 8-bit content is announced with BODY=8BITMIME (nodemailer adds it when the server offers it).
    const use8BitMime = !isAscii(message);
    const info = await transport.sendMail({ envelope: { ...envelope, use8BitMime } as never, raw: message });
    const address = (a: unknown) => (typeof a === 'string' ? a : ((a as { address?: string }).address ?? String(a)));
    return { response: String(info.response ?? ''), accepted: (info.accepted ?? []).map(address), rejected: (info.rejected ?? []).map(address), envelope };
  } finally {
    transport.close();
  }
}
