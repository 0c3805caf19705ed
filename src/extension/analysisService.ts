/**
 * One place that turns settings into core options and caches analyses; the message editor and the raw-text
 * features both use it. API (kept small and stable):
 *
 *   analyze(uri, bytes, { decrypt?, interactive? }): Promise<AnalysisResult>
 *       The core's analysis of these bytes with the configured trust (and the decryption identities when
 *       `decrypt`, or when smime.decrypt.automatically is on). Cached per uri + content hash + decrypt;
 *       non-interactive calls never prompt (an identity that needs a passphrase not yet remembered is skipped and
 *       listed in `analyzeDocument`'s `lockedKeys`).
 *   analyzeDocument(uri, bytes?, options): Promise<DocumentAnalysis>
 *       The same with the problems met (unreadable anchors, bad validation time, key errors); reads the file
 *       through vscode.workspace.fs when `bytes` is not given.
 *   onDidChangeAnalysis: Event<AnalysisChange>
 *       Fires when earlier results may be stale: `smime.*` settings changed, workspace trust was granted, a
 *       passphrase was forgotten, a trust anchor, CRL or recipient certificate file changed, or a watched file
 *       changed (`uri` set).
 *   watch(uri): Disposable — re-analysis on changes of that file.
 *   settings(uri?): SmimeSettings — the settings as the analysis sees them.
 *
 * Trust anchors, CRLs and the certificates that name recipients are read through vscode.workspace.fs
 * (workspaceFiles.ts) once per workspace folder and kept until the `smime` settings or workspace trust change, or
 * a FileSystemWatcher on one of those files or folders reports a change (trustFileWatch.ts; then open messages
 * are re-verified).
 *
 * In Restricted Mode VS Code hides workspace values of the restricted settings (package.json
 * `untrustedWorkspaces`); on top of that no key is ever loaded there.
 */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { analyzeMessage, isEncrypted, loadCertificates, loadCrls, systemAnchors, type RecipientKey, type AnalysisResult, type TrustOptions, type Certificate } from '../core';
import { asMimeMessage } from './cmsFile';
import { KeyStore } from './keyStore';
import { decryptionSources, passphraseFile, readSettings, validationDate, type KeySource, type SmimeSettings } from './settings';
import { TrustFileWatch } from './trustFileWatch';
import { Cancelled, UserError } from './userError';
import { settingsBase, workspaceFiles } from './workspaceFiles';

/** Analyses kept (per document and decrypt flag); an editor re-asks on every update. */
const MAX_CACHED_ANALYSES = 32;

export interface AnalysisOptions {
  /** Try the configured decryption key on encrypted layers. */
  decrypt?: boolean;
  /** May prompt for a passphrase; errors are thrown instead of reported. */
  interactive?: boolean;
}

export interface DocumentAnalysis {
  uri: vscode.Uri;
  result: AnalysisResult;
  /** Problems with the configuration (anchors, CRLs, validation time), for the view's warnings. */
  problems: string[];
  /** Why decryption was not attempted or failed, when `decrypt` was asked. */
  decryptError?: string;
  decrypted: boolean;
  /** Key files (absolute paths) a configured identity needs the passphrase of before it can be tried. */
  lockedKeys: string[];
}

/** What the configured identities give without asking anything. */
interface LoadedKeys {
  keys: RecipientKey[];
  /** Identities that need a passphrase not remembered yet. */
  locked: KeySource[];
  /** Identities that cannot be used (unreadable file, not a key): UserErrors with what to do. */
  errors: Error[];
}

export interface AnalysisChange {
  /** The file that changed; undefined when every analysis may have changed. */
  uri?: vscode.Uri;
  reason: 'settings' | 'trust' | 'keys' | 'file' | 'trustFiles';
}

interface TrustContext {
  options: Omit<TrustOptions, 'at'>;
  at: Date;
  problems: string[];
  /** Certificates that name the recipients of encrypted mail: the recipients folder and the configured ones. */
  known: Certificate[];
}

export class AnalysisService implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<DocumentAnalysis>>();
  private readonly trustCache = new Map<string, Promise<TrustContext>>();
  private readonly trustFiles = new TrustFileWatch(() => this.invalidate('trustFiles'));
  private readonly watchers = new Map<string, { watcher: vscode.FileSystemWatcher; count: number }>();
  private readonly changed = new vscode.EventEmitter<AnalysisChange>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChangeAnalysis = this.changed.event;

  constructor(readonly keys: KeyStore) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('smime')) this.invalidate('settings');
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate('trust')),
    );
  }

  settings(uri?: vscode.Uri): SmimeSettings {
    const config = vscode.workspace.getConfiguration('smime', uri);
    const base = settingsBase(uri);
    return readSettings((key, fallback) => config.get(key, fallback), base.folder, base.style);
  }

  /** Drops every cached analysis (settings, trust or keys changed) and tells the listeners. */
  invalidate(reason: AnalysisChange['reason']): void {
    this.cache.clear();
    this.trustCache.clear();
    this.changed.fire({ reason });
  }

  async analyze(uri: vscode.Uri, bytes: Uint8Array, options: AnalysisOptions = {}): Promise<AnalysisResult> {
    return (await this.analyzeDocument(uri, bytes, options)).result;
  }

  async analyzeDocument(uri: vscode.Uri, bytes?: Uint8Array, options: AnalysisOptions = {}): Promise<DocumentAnalysis> {
    const data = bytes ?? (await vscode.workspace.fs.readFile(uri));
    const buf = asMimeMessage(uri.path, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    const key = `${uri.toString()}|${createHash('sha256').update(buf).digest('hex')}|${options.decrypt ? 'decrypt' : 'plain'}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const pending = this.run(uri, buf, options);
    this.cache.set(key, pending);
    // Failed and prompted runs are not kept: the next attempt may have a passphrase.
    pending.catch(() => this.cache.delete(key));
    while (this.cache.size > MAX_CACHED_ANALYSES) this.cache.delete(this.cache.keys().next().value as string);
    return pending;
  }

  private async run(uri: vscode.Uri, buf: Buffer, options: AnalysisOptions): Promise<DocumentAnalysis> {
    const settings = this.settings(uri);
    const trust = await this.trust(uri, settings);
    const analyze = (keys: RecipientKey[]) =>
      analyzeMessage(buf, { ...trust.options, at: trust.at, keys, knownCertificates: [...trust.known, ...keys.flatMap((k) => (k.certificate ? [k.certificate] : []))] });
    const isDecrypted = (r: AnalysisResult) => {
      const encrypted = r.report.layers.filter(isEncrypted);
      return { encrypted: encrypted.length > 0, decrypted: encrypted.length > 0 && encrypted.every((l) => l.decrypted) };
    };
    let result = analyze([]);
    // Keys are loaded only for an encrypted message: on request, or when smime.decrypt.automatically allows
    // opening it with the identities that need no prompt.
    const automatic = settings.decryptAutomatically && vscode.workspace.isTrusted && decryptionSources(settings).length > 0;
    let loaded: LoadedKeys = { keys: [], locked: [], errors: [] };
    let decryptError: string | undefined;
    if (isDecrypted(result).encrypted && (options.decrypt || automatic)) {
      try {
        loaded = await this.decryptionKeys(settings);
      } catch (e) {
        if (options.interactive || e instanceof Cancelled) throw e;
        if (options.decrypt) decryptError = e instanceof Error ? e.message : String(e);
      }
      if (loaded.keys.length) result = analyze(loaded.keys);
    }
    // A locked identity is unlocked (asked for) only when the others did not open the message, one at a time.
    if (options.interactive && isDecrypted(result).encrypted && !isDecrypted(result).decrypted) {
      for (const source of [...loaded.locked]) {
        const identity = await this.keys.loadIdentity(source, 'smime.decrypt', true);
        loaded.keys.push({ privateKey: identity.privateKey, certificate: identity.certificate });
        loaded.locked.splice(loaded.locked.indexOf(source), 1);
        result = analyze(loaded.keys);
        if (isDecrypted(result).decrypted) break;
      }
    }
    const { encrypted, decrypted } = isDecrypted(result);
    // Asked to decrypt and nothing worked: an identity that could not be used says what to fix.
    if (options.interactive && encrypted && !decrypted && loaded.errors.length) throw loaded.errors[0];
    const lockedKeys = encrypted && !decrypted ? loaded.locked.map((source) => passphraseFile(source) as string) : [];
    if (options.decrypt && encrypted && !decrypted && !decryptError) {
      if (lockedKeys.length) {
        decryptError = vscode.l10n.t('Key locked: enter the passphrase of {0}.', lockedKeys.map((f) => basename(f)).join(', '));
      } else if (loaded.keys.length) {
        decryptError = loaded.keys.length === 1
          ? vscode.l10n.t('The configured key is not one of the recipients of this message.')
          : vscode.l10n.t('None of the {0} configured keys is one of the recipients of this message.', loaded.keys.length);
      }
    }
    if (options.decrypt && loaded.errors.length && !decrypted) decryptError = [decryptError, ...loaded.errors.map((e) => e.message)].filter(Boolean).join(' ');
    return { uri, result, problems: trust.problems, decrypted, lockedKeys, ...(decryptError ? { decryptError } : {}) };
  }

  /** Loads every configured identity that needs no prompt; the rest are reported as locked. */
  private async decryptionKeys(settings: SmimeSettings): Promise<LoadedKeys> {
    if (!vscode.workspace.isTrusted) {
      throw new UserError(vscode.l10n.t('Decryption is off in Restricted Mode: trust this workspace to use its keys.'), ['manageTrust']);
    }
    const sources = decryptionSources(settings);
    if (!sources.length) {
      throw new UserError(vscode.l10n.t('No decryption key is configured: set smime.decrypt.p12 (or smime.decrypt.key and smime.decrypt.cert), or add one to smime.decrypt.identities.'), ['openSettings', 'chooseFile'], 'smime.decrypt');
    }
    const loaded: LoadedKeys = { keys: [], locked: [], errors: [] };
    for (const source of sources) {
      try {
        const identity = await this.keys.loadIdentity(source, 'smime.decrypt', false);
        loaded.keys.push({ privateKey: identity.privateKey, certificate: identity.certificate });
      } catch (e) {
        if (e instanceof UserError && e.actions.includes('enterPassphrase')) loaded.locked.push(source);
        else loaded.errors.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return loaded;
  }

  /** The trust material of `uri`'s workspace folder: loaded once, then kept until it may have changed. */
  private async trust(uri: vscode.Uri, settings: SmimeSettings): Promise<TrustContext> {
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? '';
    let pending = this.trustCache.get(folder);
    if (!pending) {
      pending = this.loadTrust(folder, settings);
      this.trustCache.set(folder, pending);
      pending.catch(() => this.trustCache.delete(folder));
    }
    const loaded = await pending;
    const when = validationDate(settings.validationTime);
    // "now" moves: only the loaded files are cached, the time is taken per analysis.
    return { ...loaded, at: 'at' in when ? when.at : new Date() };
  }

  private async loadTrust(folder: string, settings: SmimeSettings): Promise<TrustContext> {
    // Only for naming recipients: problems reading these are the compose commands' to report.
    const knownFiles = [
      ...(settings.recipientsFolder ? [settings.recipientsFolder] : []),
      ...[...decryptionSources(settings), settings.signing].flatMap((source) => (source.cert ? [source.cert] : [])),
    ];
    const trusted = vscode.workspace.isTrusted;
    // Watched before reading, so a change made while they are read is not missed.
    this.trustFiles.watch(folder, [...settings.anchors, ...settings.crls, ...(trusted ? knownFiles : [])]);
    const [anchors, crls, known] = await Promise.all([
      loadCertificates(workspaceFiles, settings.anchors),
      loadCrls(workspaceFiles, settings.crls),
      trusted ? loadCertificates(workspaceFiles, knownFiles) : { certs: [], problems: [] },
    ]);
    const when = validationDate(settings.validationTime);
    const problems = [...anchors.problems, ...crls.problems];
    if ('error' in when) problems.push(when.error);
    return {
      options: {
        anchors: [...anchors.certs, ...(settings.useSystemStore ? systemAnchors() : [])],
        extraCertificates: [],
        crls: crls.crls,
        allowSha1: settings.allowSha1,
        // In VS Code SHA-1 is allowed by a setting, not by the command line's flag.
        allowSha1Option: 'the setting smime.verify.allowSha1',
      },
      at: 'at' in when ? when.at : new Date(),
      problems,
      known: known.certs,
    };
  }

  /** Watches a file so its analyses are dropped (and listeners told) when it changes on disk. */
  watch(uri: vscode.Uri): vscode.Disposable {
    const id = uri.toString();
    const entry = this.watchers.get(id);
    if (entry) entry.count++;
    else if (uri.scheme === 'file') {
      const parent = vscode.Uri.joinPath(uri, '..');
      const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(parent, name));
      const onChange = () => this.fileChanged(uri);
      watcher.onDidChange(onChange);
      watcher.onDidCreate(onChange);
      watcher.onDidDelete(onChange);
      this.watchers.set(id, { watcher, count: 1 });
    }
    return new vscode.Disposable(() => {
      const e = this.watchers.get(id);
      if (e && --e.count === 0) {
        e.watcher.dispose();
        this.watchers.delete(id);
      }
    });
  }

  private fileChanged(uri: vscode.Uri): void {
    const prefix = uri.toString() + '|';
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
    this.changed.fire({ uri, reason: 'file' });
  }

  dispose(): void {
    this.trustFiles.dispose();
    for (const { watcher } of this.watchers.values()) watcher.dispose();
    this.watchers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
