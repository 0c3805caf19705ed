/** A signing/decryption identity: a private key with its certificate and chain, from PKCS#12 or PEM/DER files. */
import type { KeyObject } from 'node:crypto';
import { fileErrorCause, type FileReader } from '../files';
import type { Certificate } from '../x509/certificate';
import { certificatesFromBytes } from '../x509/trustStore';
import { KeyError } from './keyError';
import { loadPkcs12 } from './pkcs12';
import { loadPrivateKey } from './privateKey';
import { orderChain, publicKeysMatch } from './publicKeyMatch';

export { publicKeysMatch } from './publicKeyMatch';

export interface Identity {
  privateKey: KeyObject;
  certificate: Certificate;
  /** Further certificates (intermediates first), to include in signatures. */
  chain: Certificate[];
  friendlyName?: string;
}

export interface IdentityBytes {
  /** PEM/DER certificate(s); may also hold the key (one PEM file with both). */
  cert?: Buffer;
  key?: Buffer;
  p12?: Buffer;
  passphrase?: string;
}

export interface IdentityPaths {
  certPath?: string;
  keyPath?: string;
  p12Path?: string;
  passphrase?: string;
}

function fromPkcs12(p12: Buffer, passphrase: string | undefined): Identity {
  let contents;
  try {
    contents = loadPkcs12(p12, passphrase ?? '');
  } catch (e) {
    // Many files use an empty password; only ask for one when that fails.
    if (passphrase === undefined && e instanceof KeyError && e.code === 'bad-passphrase') {
      throw new KeyError('passphrase-required', 'the PKCS#12 file is protected: a passphrase is required');
    }
    throw e;
  }
  if (!contents.privateKey) throw new KeyError('no-key', 'the PKCS#12 file holds no usable private key');
  if (!contents.certificate) throw new KeyError('no-certificate', 'the PKCS#12 file holds no certificate');
  if (!publicKeysMatch(contents.privateKey, contents.certificate)) {
    throw new KeyError('key-mismatch', 'no certificate in the PKCS#12 file matches its private key');
  }
  return { privateKey: contents.privateKey, certificate: contents.certificate, chain: contents.chain, friendlyName: contents.friendlyName };
}

function fromPem(certBytes: Buffer, keyBytes: Buffer, passphrase: string | undefined): Identity {
  const privateKey = loadPrivateKey(keyBytes, passphrase);
  const { certs } = certificatesFromBytes(certBytes);
  if (certs.length === 0) throw new KeyError('no-certificate', 'no certificate found next to the private key');
  const certificate = certs.find((c) => publicKeysMatch(privateKey, c));
  if (!certificate) throw new KeyError('key-mismatch', 'none of the certificates matches the private key');
  return { privateKey, certificate, chain: orderChain(certificate, certs.filter((c) => c !== certificate)) };
}

/** Builds an identity from bytes already read (the editor reads files through its own file system API). */
export function parseIdentity(src: IdentityBytes): Identity {
  if (src.p12) return fromPkcs12(src.p12, src.passphrase);
  const certBytes = src.cert ?? src.key;
  const keyBytes = src.key ?? src.cert;
  if (!certBytes || !keyBytes) throw new KeyError('no-key', 'give a PKCS#12 file, or a certificate and its private key');
  return fromPem(certBytes, keyBytes, src.passphrase);
}

async function read(files: FileReader, path: string | undefined): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await files.readFile(path);
  } catch (e) {
    throw new KeyError('io', `${path}: ${fileErrorCause(e)}`);
  }
}

/** Reads the files through `files` and builds the identity. Throws (rejects with) KeyError. */
export async function loadIdentity(files: FileReader, paths: IdentityPaths): Promise<Identity> {
  const [cert, key, p12] = [await read(files, paths.certPath), await read(files, paths.keyPath), await read(files, paths.p12Path)];
  return parseIdentity({ cert, key, p12, passphrase: paths.passphrase });
}
