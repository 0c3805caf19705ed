import { extname } from 'node:path';
import { loadPkcs12, analyzeMessage, certificateDetails, formatCertificateText, certificatesFromBytes, uniqueCertificates, type Certificate } from '../../core';
import { InputError, OUTPUT_OPTIONS, parse } from '../args';
import { passphraseFrom, readInput } from '../context';
import { saveRecipients } from './encrypt';
import { stdout } from '../stdout';

function looksLikeMessage(data: Buffer, path: string): boolean {
  if (['.eml', '.msg', '.mime', '.txt'].includes(extname(path).toLowerCase())) return true;
  const head = data.subarray(0, 4096).toString('latin1');
  return /^[!-9;-~]+:[ \t]/m.test(head) && !head.startsWith('-----BEGIN');
}

function looksLikePkcs12(data: Buffer, path: string): boolean {
  return ['.p12', '.pfx'].includes(extname(path).toLowerCase()) || (data[0] === 0x30 && data.subarray(0, 32).includes(Buffer.from([0x02, 0x01, 0x03])));
}

/** Certificates of a PEM/DER file, a PKCS#12 file, or the signed layers of a message. */
function certificatesOf(data: Buffer, path: string, passphrase: string | undefined): { cert: Certificate; origin: string; smimeCapabilities?: string[] }[] {
  if (looksLikeMessage(data, path)) {
    const { certificates, report } = analyzeMessage(data);
    // The SMIMECapabilities a signer advertised belong with that signer's certificate (RFC 8551 §2.5.2).
    const capabilities = new Map<string, string[]>();
    for (const layer of report.layers) {
      if (layer.kind !== 'signed') continue;
      for (const signer of layer.signers) if (signer.certificate) capabilities.set(signer.certificate, signer.smimeCapabilities);
    }
    return certificates.map((c) => ({
      cert: c.certificate,
      origin: `signed layer at part ${c.layerPath}`,
      smimeCapabilities: capabilities.get(c.certificate.fingerprint('sha256')),
    }));
  }
  const direct = certificatesFromBytes(data, path);
  if (direct.certs.length) return direct.certs.map((cert) => ({ cert, origin: path }));
  if (looksLikePkcs12(data, path)) {
    try {
      const p12 = loadPkcs12(data, passphrase ?? '');
      const certs = [p12.certificate, ...p12.chain].filter((c): c is Certificate => !!c);
      return certs.map((cert, i) => ({ cert, origin: i === 0 && p12.certificate ? 'PKCS#12 (the key\'s certificate)' : 'PKCS#12 chain' }));
    } catch (e) {
      throw new InputError(`${path}: ${(e as Error).message}`);
    }
  }
  throw new InputError(`${path} holds no certificate (${direct.problems.join('; ') || 'not PEM, DER, PKCS#12 or a message'})`);
}

/** `smime cert FILE`: details of every certificate in a file. Exit 0 when at least one was found. */
export async function runCert(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...OUTPUT_OPTIONS, 'passphrase-env': { type: 'string' }, pem: { type: 'boolean' }, 'save-recipient': { type: 'string' } }, { min: 1, max: 1, names: 'FILE' });
  const data = await readInput(positionals[0]);
  if (values['save-recipient']) return saveRecipients(data, values['save-recipient'], values.json ?? false);
  const found = certificatesOf(data, positionals[0], passphraseFrom(values));
  const unique = uniqueCertificates(found.map((f) => f.cert));
  const entries = unique.map((cert) => {
    const from = found.find((f) => f.cert === cert);
    return { origin: from?.origin ?? positionals[0], details: certificateDetails(cert, { smimeCapabilities: from?.smimeCapabilities }) };
  });
  if (values.pem) {
    stdout().write(unique.map((c) => c.toPem()).join(''));
  } else if (values.json) {
    stdout().write(JSON.stringify({ certificates: entries }, null, 2) + '\n');
  } else {
    const blocks = entries.map((e, i) => `Certificate ${i + 1} of ${entries.length} (${e.origin})\n${formatCertificateText(e.details)}`);
    stdout().write((blocks.join('\n\n') || 'no certificates found') + '\n');
  }
  return entries.length ? 0 : 1;
}
