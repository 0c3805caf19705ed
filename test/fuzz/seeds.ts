/**
 * Seed messages for the fuzzers, made at test time with OpenSSL (an independent implementation):
 * detached and opaque signatures, CBC and GCM encryption, sign-then-encrypt and plus corpus
 * messages when the shared corpus is present.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate } from '../../src/core/x509/certificate';
import type { AnalyzeOptions } from '../../src/core/smime/analyze';

function openssl(dir: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
}

const HEADERS = 'From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: fuzz seed\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n';

function makeIdentity(dir: string): void {
  const ext = join(dir, 'ext.cnf');
  writeFileSync(
    ext,
    '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n[leaf]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nsubjectAltName=email:alice@example.com\n',
  );
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Fuzz CA', '-days', '3650', '-extensions', 'ca', '-config', ext]);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'alice.key', '-out', 'alice.csr', '-subj', '/CN=Alice/emailAddress=alice@example.com']);
  openssl(dir, ['x509', '-req', '-in', 'alice.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'alice.pem', '-days', '3650', '-extfile', ext, '-extensions', 'leaf']);
}

export interface Seeds {
  messages: { name: string; data: Buffer }[];
  options: AnalyzeOptions;
}

function corpusSeeds(limit: number): { name: string; data: Buffer }[] {
  const root = process.env.SMIME_CORPUS ?? join(__dirname, '../../../../shared/corpus');
  const dir = join(root, 'thunderbird/mailnews/test/data/smime');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .slice(0, limit)
    .map((f) => ({ name: `corpus:${f}`, data: readFileSync(join(dir, f)) }));
}

export function makeSeeds(): Seeds {
  const dir = mkdtempSync(join(tmpdir(), 'smime-fuzz-'));
  makeIdentity(dir);
  const body = Buffer.from('Content-Type: multipart/mixed; boundary="b1"\r\n\r\npre\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHello =C3=A9 world\r\n--b1\r\nContent-Type: application/octet-stream; name="a.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAwQFBgcICQ==\r\n--b1--\r\n');
  writeFileSync(join(dir, 'body.txt'), body);
  const sign = (extra: string[]) => openssl(dir, ['cms', '-sign', '-in', 'body.txt', '-signer', 'alice.pem', '-inkey', 'alice.key', '-md', 'sha256', '-binary', ...extra]);
  const encrypt = (input: Buffer, cipher: string) => openssl(dir, ['cms', '-encrypt', `-${cipher}`, 'alice.pem'], input);
  const withHeaders = (mime: Buffer) => Buffer.concat([Buffer.from(HEADERS), mime]);
  const detached = withHeaders(sign([]));
  const opaque = withHeaders(sign(['-nodetach']));
  const enveloped = withHeaders(encrypt(body, 'aes256'));
  const gcm = withHeaders(encrypt(body, 'aes-128-gcm'));
  const signedThenEncrypted = withHeaders(encrypt(sign([]), 'aes128'));
  const nested = Buffer.from(
    HEADERS + 'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nunsigned intro\r\n--outer\r\n' + detached.toString('latin1').slice(HEADERS.length) + '\r\n--outer--\r\n',
    'latin1',
  );
  const messages = [
    { name: 'detached', data: detached },
    { name: 'opaque', data: opaque },
    { name: 'enveloped', data: enveloped },
    { name: 'gcm', data: gcm },
    { name: 'sign-then-encrypt', data: signedThenEncrypted },
    { name: 'nested', data: nested },
    ...corpusSeeds(12),
  ];
  const anchor = new Certificate(Buffer.from(readFileSync(join(dir, 'ca.pem'), 'latin1').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  const alice = new Certificate(Buffer.from(readFileSync(join(dir, 'alice.pem'), 'latin1').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  const options: AnalyzeOptions = {
    anchors: [anchor],
    keys: [{ privateKey: createPrivateKey(readFileSync(join(dir, 'alice.key'))), certificate: alice }],
  };
  return { messages, options };
}
