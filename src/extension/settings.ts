/**
 * The `smime.*` settings as one typed object. Pure: the configuration is read through a getter the host passes
 * in, so the path rules (`${workspaceFolder}`, `~`, relative paths) are unit-tested without VS Code.
 * Settings hold file *references* only; passphrases live in SecretStorage (keyStore.ts).
 */
import { homedir } from 'node:os';
import * as nativePath from 'node:path';

export type SignFormat = 'detached' | 'opaque';
export type OutputMode = 'newFile' | 'replace';

/** Where a private key comes from: a PKCS#12 file, or a PEM/DER key with its certificate. */
export interface KeySource {
  p12?: string;
  key?: string;
  cert?: string;
}

export interface SmimeSettings {
  anchors: string[];
  useSystemStore: boolean;
  crls: string[];
  allowSha1: boolean;
  /** "now" or an ISO-8601 time. */
  validationTime: string;
  decrypt: KeySource;
  /** More decryption identities (smime.decrypt.identities): older certificates, other mailboxes. */
  decryptIdentities: KeySource[];
  /** Decrypt an open message as soon as a key opens it without a prompt (smime.decrypt.automatically). */
  decryptAutomatically: boolean;
  signing: KeySource;
  recipientsFolder?: string;
  digest: 'sha256' | 'sha384' | 'sha512';
  format: SignFormat;
  protectHeaders: boolean;
  cipher: 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'aes-128-gcm' | 'aes-256-gcm';
  keyTransport: 'rsa-oaep' | 'rsa-pkcs1';
  toSelf: boolean;
  output: OutputMode;
}

/** Reads one setting (the key without the "smime." prefix) with a default. */
export type ConfigGetter = <T>(key: string, fallback: T) => T;

/** Settings that name keys, trust anchors or CRLs: a workspace may not set them until it is trusted. */
export const RESTRICTED_SETTINGS = [
  'smime.trust.anchors', 'smime.trust.useSystemStore', 'smime.trust.crls', 'smime.decrypt.p12', 'smime.decrypt.key',
  'smime.decrypt.cert', 'smime.signing.p12', 'smime.signing.cert', 'smime.signing.key', 'smime.recipients.folder',
  'smime.verify.allowSha1', 'smime.verify.validationTime', 'smime.decrypt.identities',
  // The test inbox opens a port and writes files; sending connects out: a workspace may not steer either untrusted.
  'smime.inbox.port', 'smime.inbox.host', 'smime.inbox.folder', 'smime.inbox.maxMessageBytes', 'smime.inbox.authUser', 'smime.inbox.starttls',
  'smime.send.host', 'smime.send.port', 'smime.send.security', 'smime.send.user', 'smime.send.rejectUnauthorized',
] as const;

/**
 * How paths are spelled: "native" for folders on disk (local or remote, where the extension runs beside them),
 * "posix" for a virtual workspace, whose folder is a URI path (workspaceFiles.ts maps such paths back to URIs).
 */
export type PathStyle = 'native' | 'posix';

/** Expands `${workspaceFolder}` and `~`, and resolves a relative path against the workspace folder. */
export function expandPath(value: string, workspaceFolder: string | undefined, style: PathStyle = 'native'): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  if (trimmed.includes('${workspaceFolder}') && !workspaceFolder) return undefined;
  const path = trimmed.replace(/\$\{workspaceFolder\}/g, workspaceFolder ?? '');
  // `~` is the home folder of the machine the extension runs on, always a native path.
  if (path === '~' || path.startsWith('~/')) return nativePath.resolve(nativePath.join(homedir(), path.slice(1)));
  const { isAbsolute, resolve } = style === 'posix' ? nativePath.posix : nativePath;
  if (isAbsolute(path)) return resolve(path);
  return workspaceFolder ? resolve(workspaceFolder, path) : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** The folder relative setting paths resolve against, and how its paths are spelled. */
interface PathBase {
  folder: string | undefined;
  style: PathStyle;
}

function paths(get: ConfigGetter, key: string, base: PathBase): string[] {
  const value = get<unknown>(key, []);
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return list.filter((v): v is string => typeof v === 'string').flatMap((v) => expandPath(v, base.folder, base.style) ?? []);
}

function path(get: ConfigGetter, key: string, base: PathBase): string | undefined {
  const value = get<unknown>(key, '');
  return typeof value === 'string' ? expandPath(value, base.folder, base.style) : undefined;
}

function keySource(get: ConfigGetter, prefix: string, base: PathBase): KeySource {
  const source: KeySource = {};
  const p12 = path(get, `${prefix}.p12`, base);
  const key = path(get, `${prefix}.key`, base);
  const cert = path(get, `${prefix}.cert`, base);
  if (p12) source.p12 = p12;
  if (key) source.key = key;
  if (cert) source.cert = cert;
  return source;
}

/** The entries of smime.decrypt.identities: objects with p12, or key and cert; anything else is skipped. */
function identities(get: ConfigGetter, base: PathBase): KeySource[] {
  const value = get<unknown>('decrypt.identities', []);
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry): KeySource[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const field = (name: string) => {
      const v = (entry as Record<string, unknown>)[name];
      return typeof v === 'string' ? expandPath(v, base.folder, base.style) : undefined;
    };
    const source: KeySource = {};
    for (const name of ['p12', 'key', 'cert'] as const) {
      const resolved = field(name);
      if (resolved) source[name] = resolved;
    }
    return hasKey(source) ? [source] : [];
  });
}

export function readSettings(get: ConfigGetter, workspaceFolder: string | undefined, style: PathStyle = 'native'): SmimeSettings {
  const base: PathBase = { folder: workspaceFolder, style };
  const recipientsFolder = path(get, 'recipients.folder', base);
  return {
    anchors: paths(get, 'trust.anchors', base),
    useSystemStore: get<unknown>('trust.useSystemStore', false) === true,
    crls: paths(get, 'trust.crls', base),
    allowSha1: get<unknown>('verify.allowSha1', false) === true,
    validationTime: String(get('verify.validationTime', 'now') || 'now'),
    decrypt: keySource(get, 'decrypt', base),
    decryptIdentities: identities(get, base),
    decryptAutomatically: get<unknown>('decrypt.automatically', true) !== false,
    signing: keySource(get, 'signing', base),
    ...(recipientsFolder ? { recipientsFolder } : {}),
    digest: oneOf(get('sign.digest', 'sha256'), ['sha256', 'sha384', 'sha512'], 'sha256'),
    format: oneOf(get('sign.format', 'detached'), ['detached', 'opaque'], 'detached'),
    protectHeaders: get<unknown>('sign.protectHeaders', false) === true,
    cipher: oneOf(get('encrypt.cipher', 'aes-256-cbc'), ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'aes-128-gcm', 'aes-256-gcm'], 'aes-256-cbc'),
    keyTransport: oneOf(get('encrypt.keyTransport', 'rsa-pkcs1'), ['rsa-oaep', 'rsa-pkcs1'], 'rsa-pkcs1'),
    toSelf: get<unknown>('encrypt.toSelf', true) !== false,
    output: oneOf(get('output', 'newFile'), ['newFile', 'replace'], 'newFile'),
  };
}

/** The validation time: "now" (or empty) is the current time; anything else must be an ISO-8601 time. */
export function validationDate(value: string, now = new Date()): { at: Date } | { error: string } {
  if (!value || value.toLowerCase() === 'now') return { at: now };
  const at = new Date(value);
  return isNaN(at.getTime()) ? { error: `smime.verify.validationTime "${value}" is neither "now" nor an ISO-8601 time` } : { at };
}

/** Whether a key source is configured at all. */
export function hasKey(source: KeySource): boolean {
  return Boolean(source.p12 || source.key);
}

/** The file whose passphrase protects this key (the SecretStorage entry is keyed by it). */
export function passphraseFile(source: KeySource): string | undefined {
  return source.p12 ?? source.key;
}

/**
 * Every identity decryption tries, in order: smime.decrypt.p12 / key, then smime.decrypt.identities; each key file
 * once. Thunderbird does the same for mail encrypted to a certificate that has since been replaced.
 */
export function decryptionSources(settings: SmimeSettings): KeySource[] {
  const seen = new Set<string>();
  return [settings.decrypt, ...settings.decryptIdentities].filter((source) => {
    const file = passphraseFile(source);
    if (!file || seen.has(file)) return false;
    seen.add(file);
    return true;
  });
}
