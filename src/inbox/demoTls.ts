/**
 * The test inbox's STARTTLS certificate: self-signed, made at start for `localhost`, marked TEST ONLY. It exists so
 * an application's TLS code path can be exercised; no client should trust it (senders to the inbox turn off
 * certificate checks for it explicitly).
 */
import { generateKeyPairSync } from 'node:crypto';
import { issueCertificate, certificatesToPem, privateKeyToPem } from '../core';

/** serverAuth (RFC 5280 §4.2.1.12). */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
/** A test inbox runs for a working session; a day is plenty and keeps a leaked demo certificate short-lived. */
const VALID_MS = 24 * 60 * 60 * 1000;

export function createDemoTlsCertificate(now = new Date()): { key: string; cert: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certificate = issueCertificate({
    subject: { CN: 'localhost', O: 'smime test inbox (TEST ONLY)' },
    emails: [],
    publicKey: privateKey,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + VALID_MS),
    keyUsage: ['digitalSignature'],
    extKeyUsage: [SERVER_AUTH],
  });
  return { key: privateKeyToPem(privateKey), cert: certificatesToPem([certificate]) };
}
