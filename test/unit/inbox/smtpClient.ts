// A bare SMTP client over a socket, for saying exactly the bytes a test needs (bare LF, 8-bit data, a drop
// mid-DATA), which no well-behaved client library would send.
import { connect, type Socket } from 'node:net';

export interface Reply {
  code: number;
  text: string;
}

export class RawSmtp {
  private buffer = '';
  private waiting: ((reply: Reply) => void)[] = [];
  private replies: Reply[] = [];
  private lines: string[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer += chunk.toString('latin1');
      for (let i = this.buffer.indexOf('\r\n'); i !== -1; i = this.buffer.indexOf('\r\n')) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 2);
        this.lines.push(line.slice(4));
        // "250-..." continues a multi-line reply, "250 ..." ends it (RFC 5321 §4.2.1).
        if (line[3] !== '-') {
          const reply = { code: Number(line.slice(0, 3)), text: this.lines.join('\n') };
          this.lines = [];
          const next = this.waiting.shift();
          if (next) next(reply);
          else this.replies.push(reply);
        }
      }
    });
  }

  static async open(port: number): Promise<RawSmtp> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawSmtp(socket);
    await client.reply();
    return client;
  }

  reply(): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no SMTP reply within 10 s')), 10_000);
      this.waiting.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  async command(line: string): Promise<Reply> {
    this.socket.write(line + '\r\n');
    return this.reply();
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** EHLO, MAIL FROM (with `mailParams`), RCPT TO, DATA; returns DATA's reply (354 to go on). */
  async begin(mailParams = ''): Promise<Reply> {
    await this.command('EHLO client.example');
    const mail = await this.command(`MAIL FROM:<alice@example.com>${mailParams}`);
    if (mail.code !== 250) return mail;
    await this.command('RCPT TO:<bob@example.com>');
    return this.command('DATA');
  }

  /** Sends `message` (already CRLF and dot-stuffed) and the end-of-data line (after a CRLF of its own when the message does not end in one). */
  async data(message: Buffer | string): Promise<Reply> {
    this.socket.write(message);
    this.socket.write(message.toString().endsWith('\r\n') ? '.\r\n' : '\r\n.\r\n');
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}
