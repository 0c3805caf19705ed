// The write-side interop cases and what each reader is expected to do with them. `true` = reads it (every layer
// verifies or decrypts and the content is the prepared entity); a string = fails, and why; absent = not applicable.
// Expectations come from measurements on Debian 12 (OpenSSL 3.0, NSS 3.87, gpgsm 2.2; shared/notes/interop.md).
import type { ContentCipherName, WrapOrder } from '../../src/core/smime/compose';
import type { UserName } from '../helpers/pki';

export type Tool = 'ours' | 'openssl smime' | 'openssl cms' | 'nss' | 'gpgsm';

export interface WriteCase {
  name: string;
  kind: 'sign' | 'encrypt' | 'both';
  signer?: UserName | 'ed25519';
  to?: UserName;
  opaque?: boolean;
  pss?: boolean;
  digest?: 'sha256' | 'sha384' | 'sha512';
  cipher?: ContentCipherName;
  oaep?: boolean;
  order?: WrapOrder;
  expect: Partial<Record<Tool, true | string>>;
}

const ALL = { ours: true, 'openssl smime': true, 'openssl cms': true, nss: true, gpgsm: true } as const;
const SIGNED = { ours: true, 'openssl cms': true, nss: true, gpgsm: true } as const;
const NO_PSS_IN_PKCS7 = 'openssl smime uses the PKCS#7 code, which has no RSASSA-PSS (openssl cms has)';
const NO_ED25519_OPENSSL = 'OpenSSL 3.0 CMS cannot verify Ed25519 signatures (no digest for EdDSA in CMS)';
const NO_ED25519_NSS = 'NSS 3.87 has no Ed25519 in CMS';
const NO_ED25519_GPGSM = 'gpgsm 2.2 has no Ed25519 in CMS';
const NO_OAEP = 'no RSAES-OAEP key transport';
const NO_ECDH_NSS = 'cmsutil has no ECDH key agreement recipient';
const NO_ECDH_GPGSM = 'gpgsm 2.2 cannot import an EC key (and has no ECDH for CMS)';
const NO_GCM = 'no AuthEnvelopedData (AES-GCM)';

export const WRITE_SIDE_CASES: WriteCase[] = [
  { name: 'sign RSA detached', kind: 'sign', signer: 'alice', expect: ALL },
  { name: 'sign RSA opaque', kind: 'sign', signer: 'alice', opaque: true, expect: ALL },
  { name: 'sign RSA sha512 detached', kind: 'sign', signer: 'alice', digest: 'sha512', expect: ALL },
  { name: 'sign RSA-PSS detached', kind: 'sign', signer: 'pssuser', pss: true, expect: { ...ALL, 'openssl smime': NO_PSS_IN_PKCS7 } },
  { name: 'sign RSA-PSS opaque', kind: 'sign', signer: 'pssuser', pss: true, opaque: true, expect: { ...ALL, 'openssl smime': NO_PSS_IN_PKCS7 } },
  { name: 'sign ECDSA P-256 detached', kind: 'sign', signer: 'ecuser', expect: ALL },
  { name: 'sign ECDSA P-256 opaque', kind: 'sign', signer: 'ecuser', opaque: true, expect: ALL },
  { name: 'sign ECDSA P-384 detached', kind: 'sign', signer: 'ec384', expect: ALL },
  {
    name: 'sign Ed25519 detached',
    kind: 'sign',
    signer: 'ed25519',
    expect: { ours: true, 'openssl smime': NO_ED25519_OPENSSL, 'openssl cms': NO_ED25519_OPENSSL, nss: NO_ED25519_NSS, gpgsm: NO_ED25519_GPGSM },
  },
  {
    name: 'sign Ed25519 opaque',
    kind: 'sign',
    signer: 'ed25519',
    opaque: true,
    expect: { ours: true, 'openssl smime': NO_ED25519_OPENSSL, 'openssl cms': NO_ED25519_OPENSSL, nss: NO_ED25519_NSS, gpgsm: NO_ED25519_GPGSM },
  },
  { name: 'encrypt default (AES-256-CBC, RSA)', kind: 'encrypt', expect: { ours: true, 'openssl cms': true, nss: true, gpgsm: true } },
  { name: 'encrypt AES-128-CBC', kind: 'encrypt', cipher: 'aes-128-cbc', expect: { ours: true, 'openssl cms': true, nss: true, gpgsm: true } },
  { name: 'encrypt RSA-OAEP', kind: 'encrypt', oaep: true, expect: { ours: true, 'openssl cms': true, nss: NO_OAEP, gpgsm: NO_OAEP } },
  { name: 'encrypt ECDH (P-256)', kind: 'encrypt', to: 'bobec', expect: { ours: true, 'openssl cms': true, nss: NO_ECDH_NSS, gpgsm: NO_ECDH_GPGSM } },
  { name: 'encrypt AES-256-GCM', kind: 'encrypt', cipher: 'aes-256-gcm', expect: { ours: true, 'openssl cms': true, nss: NO_GCM, gpgsm: NO_GCM } },
  { name: 'sign-encrypt detached', kind: 'both', order: 'sign-encrypt', expect: SIGNED },
  { name: 'sign-encrypt opaque', kind: 'both', order: 'sign-encrypt', opaque: true, expect: SIGNED },
  { name: 'encrypt-sign', kind: 'both', order: 'encrypt-sign', expect: SIGNED },
  { name: 'triple wrap', kind: 'both', order: 'triple', expect: SIGNED },
];
