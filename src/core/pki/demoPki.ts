/**
 * A throw-away test PKI for trying the tools: one root CA and a user per situation a reader should recognise
 * (RSA, EC P-256 and Ed25519 signers, a recipient, an expired signer, a signer without emailProtection, a
 * certificate whose address is not the sender's). Everything is generated fresh on each call; the CA key is
 * never written out, so trusting ca.pem by mistake lets nobody issue more certificates under it.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { OID } from '../asn1/oids';
import type { Certificate } from '../x509/certificate';
import { issueCertificate, type CertificateIssuer } from './certificateBuilder';

const generate = promisify(generateKeyPair);

export const DEMO_ROOT_NAME = 'smime demo Root CA \u2014 TEST ONLY';
export const DEMO_ORGANIZATION = 'smime demo (test only)';
/** The PKCS#12 passphrase of every demo identity (printed in README.txt: these keys protect nothing). */
export const DEMO_PASSPHRASE = 'demo';

const DAY_MS = 24 * 60 * 60 * 1000;
const YEAR_MS = 365 * DAY_MS;
/** Long enough to keep the demo working for a while, short enough that nobody mistakes it for a real CA. */
const USER_VALIDITY_MS = 2 * YEAR_MS;
const ROOT_VALIDITY_MS = 5 * YEAR_MS;
/** Backdating absorbs clock skew between the machine that made the files and the one reading them. */
const BACKDATE_MS = DAY_MS;

export type DemoKeyKind = 'rsa' | 'ec' | 'ed25519';

export type DemoUserName = 'alice' | 'carol-ec' | 'dave-ed25519' | 'bob' | 'expired' | 'noeku' | 'mismatch';

interface DemoUserSpec {
  name: DemoUserName;
  displayName: string;
  email: string;
  kind: DemoKeyKind;
  /** What the identity is for, for README.txt. */
  role: string;
  expired?: boolean;
  extKeyUsage?: string[];
}

export const DEMO_USERS: readonly DemoUserSpec[] = [
  { name: 'alice', displayName: 'Alice Demo', email: 'alice@example.com', kind: 'rsa', role: 'RSA-2048 signer; the identity the settings snippet signs with' },
  { name: 'carol-ec', displayName: 'Carol Demo', email: 'carol@example.com', kind: 'ec', role: 'EC P-256 signer (ECDSA)' },
  { name: 'dave-ed25519', displayName: 'Dave Demo', email: 'dave@example.com', kind: 'ed25519', role: 'Ed25519 signer (RFC 8419; read by OpenSSL-based tools and Bouncy Castle only)' },
  { name: 'bob', displayName: 'Bob Demo', email: 'bob@example.com', kind: 'rsa', role: 'RSA-2048 recipient of the encrypted samples' },
  { name: 'expired', displayName: 'Expired Demo', email: 'expired@example.com', kind: 'rsa', role: 'certificate that expired last year', expired: true },
  { name: 'noeku', displayName: 'No-EKU Demo', email: 'noeku@example.com', kind: 'rsa', role: 'extended key usage serverAuth only (not for mail)', extKeyUsage: [OID.serverAuth] },
  { name: 'mismatch', displayName: 'Eve Demo', email: 'eve@example.com', kind: 'rsa', role: 'certificate for eve@example.com, used to sign mail From alice' },
];

export interface DemoIdentity {
  spec: DemoUserSpec;
  privateKey: KeyObject;
  certificate: Certificate;
}

export interface DemoPki {
  root: CertificateIssuer;
  users: Record<DemoUserName, DemoIdentity>;
  /** The time the PKI was made for (validity periods are relative to it). */
  now: Date;
}

function newKey(kind: DemoKeyKind): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  // The async form runs on libuv's thread pool, so the RSA keys are generated in parallel.
  if (kind === 'rsa') return generate('rsa', { modulusLength: 2048 });
  if (kind === 'ec') return generate('ec', { namedCurve: 'P-256' });
  return generate('ed25519', {});
}

function validity(spec: DemoUserSpec, now: number): { notBefore: Date; notAfter: Date } {
  if (spec.expired) return { notBefore: new Date(now - 2 * YEAR_MS), notAfter: new Date(now - YEAR_MS) };
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + USER_VALIDITY_MS) };
}

function issueUser(spec: DemoUserSpec, key: { privateKey: KeyObject; publicKey: KeyObject }, root: CertificateIssuer, now: number): DemoIdentity {
  const certificate = issueCertificate({
    subject: { CN: spec.displayName, O: DEMO_ORGANIZATION, emailAddress: spec.email },
    emails: [spec.email],
    publicKey: key.publicKey,
    issuer: root,
    ...validity(spec, now),
    extKeyUsage: spec.extKeyUsage,
  });
  return { spec, privateKey: key.privateKey, certificate };
}

/** Generates the root and every user. The root's validity starts before the expired user's so that chain is consistent. */
export async function createDemoPki(now = new Date()): Promise<DemoPki> {
  const t = now.getTime();
  const [rootKey, ...userKeys] = await Promise.all([newKey('rsa'), ...DEMO_USERS.map((u) => newKey(u.kind))]);
  const rootCertificate = issueCertificate({
    subject: { CN: DEMO_ROOT_NAME, O: DEMO_ORGANIZATION },
    emails: [],
    publicKey: rootKey.publicKey,
    privateKey: rootKey.privateKey,
    notBefore: new Date(t - 3 * YEAR_MS),
    notAfter: new Date(t + ROOT_VALIDITY_MS),
    ca: true,
    pathLen: 0,
  });
  const root = { certificate: rootCertificate, privateKey: rootKey.privateKey };
  const users = {} as Record<DemoUserName, DemoIdentity>;
  DEMO_USERS.forEach((spec, i) => {
    users[spec.name] = issueUser(spec, userKeys[i], root, t);
  });
  return { root, users, now };
}
