/**
 * package.json as VS Code and the Marketplace read it: listing fields, every enum value described, every %key%
 * localised, commands in the palette only where they apply, the message/raw toggle key, the message view's context
 * menu, virtual workspaces, and the developer loop's files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

interface Setting { enum?: string[]; enumDescriptions?: string[]; scope?: string; markdownDescription?: string }
interface MenuItem { command: string; when?: string; group?: string }
interface Manifest {
  icon: string; preview: boolean; repository: { url: string }; bugs: { url: string }; keywords: string[]; categories: string[]; l10n: string;
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, MenuItem[]>;
    keybindings: { command: string; key: string; mac: string; when: string }[];
    configuration: { properties: Record<string, Setting> };
  };
  capabilities: { virtualWorkspaces: { supported: string; description: string }; untrustedWorkspaces: { restrictedConfigurations: string[] } };
}

const raw = readFileSync('package.json', 'utf8');
const pkg = JSON.parse(raw) as Manifest;
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
const settings = pkg.contributes.configuration.properties;
/** JSON with // comments (launch.json, tasks.json): line comments removed. */
const jsonc = (file: string) => JSON.parse(readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, ''));

describe('package.json', () => {
  test('Marketplace listing: a 128x128 PNG icon, repository, bugs, keywords, categories, preview', () => {
    const icon = readFileSync(pkg.icon);
    assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    assert.match(pkg.repository.url, /^https:\/\//);
    assert.match(pkg.bugs.url, /^https:\/\//);
    assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30);
    assert.ok(pkg.categories.length > 0);
    assert.equal(pkg.preview, true);
  });

  test('every %key% is in package.nls.json, and every enum value has a description', () => {
    for (const m of raw.matchAll(/"%([\w.-]+)%"/g)) assert.ok(nls[m[1]], `missing nls key ${m[1]}`);
    for (const [key, s] of Object.entries(settings)) {
      if (s.enum) assert.equal(s.enumDescriptions?.length, s.enum.length, `${key} enumDescriptions`);
    }
    assert.match(nls['smime.config.encrypt.cipher.aes-256-gcm'], /cannot read/);
    assert.match(nls['smime.config.encrypt.keyTransport.rsa-oaep'], /cannot read/);
  });

  test('the l10n bundle holds every string the extension translates', () => {
    assert.equal(pkg.l10n, './l10n');
    execFileSync(process.execPath, ['scripts/l10n-export.mjs', '--check'], { stdio: 'pipe' });
  });

  test('key paths are machine-overridable; several decryption identities; restricted in untrusted workspaces', () => {
    for (const key of ['smime.decrypt.p12', 'smime.decrypt.key', 'smime.decrypt.cert', 'smime.decrypt.identities', 'smime.signing.p12', 'smime.signing.key', 'smime.signing.cert']) {
      assert.equal(settings[key]?.scope, 'machine-overridable', key);
    }
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('smime.decrypt.identities'));
    assert.equal(typeof settings['smime.decrypt.automatically'], 'object');
  });

  test('message commands show in the palette only for a message; menu-only commands never', () => {
    const palette = new Map(pkg.contributes.menus.commandPalette.map((m) => [m.command, m.when ?? '']));
    for (const id of ['smime.verify', 'smime.decrypt', 'smime.showSignerCertificate', 'smime.saveSignerCertificate', 'smime.sign', 'smime.encrypt', 'smime.signAndEncrypt']) {
      assert.match(palette.get(id) ?? '', /activeCustomEditorId == smime\.messageEditor \|\| editorLangId == eml/, id);
    }
    for (const id of ['smime.showCertificate', 'smime.copyCertificateFingerprint', 'smime.exportCertificatePem']) assert.equal(palette.get(id), 'false', id);
  });

  test('one key toggles the message view and the raw source, each bound where the other is shown', () => {
    const [toRaw, toMessage] = ['smime.openRawSource', 'smime.openMessageView'].map((id) => pkg.contributes.keybindings.find((k) => k.command === id));
    assert.ok(toRaw && toMessage);
    assert.equal(toRaw.key, toMessage.key);
    assert.equal(toRaw.mac, toMessage.mac);
    assert.match(toRaw.when, /activeCustomEditorId == smime\.messageEditor/);
    assert.match(toMessage.when, /editorLangId == eml && !activeCustomEditorId/);
  });

  test('the message view has a context menu for certificates: Copy Fingerprint and Export PEM', () => {
    const menu = pkg.contributes.menus['webview/context'];
    assert.deepEqual(menu.map((m) => m.command), ['smime.copyCertificateFingerprint', 'smime.exportCertificatePem']);
    for (const m of menu) assert.match(m.when ?? '', /webviewId == 'smime\.messageEditor' && webviewSection == 'certificate'/);
    // The webview marks certificates with that section (src/webview/render/certificates.ts).
    assert.match(readFileSync('src/webview/render/certificates.ts', 'utf8'), /webviewSection: 'certificate'/);
  });

  test('virtual workspaces are supported in part, and say what is missing', () => {
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
    assert.ok(nls[pkg.capabilities.virtualWorkspaces.description.replace(/%/g, '')]);
  });

  test('the developer loop: Run Extension with a watch task that has a problem matcher, and .vscode-test.mjs', () => {
    const launch = jsonc('.vscode/launch.json') as { configurations: { name: string; type: string; preLaunchTask?: string }[] };
    const run = launch.configurations.find((c) => c.name === 'Run Extension');
    assert.equal(run?.type, 'extensionHost');
    const tasks = jsonc('.vscode/tasks.json') as { tasks: { label: string; isBackground?: boolean; problemMatcher?: { background?: unknown } }[] };
    const watch = tasks.tasks.find((t) => t.label === run?.preLaunchTask);
    assert.ok(watch?.isBackground && watch.problemMatcher?.background, 'the watch task tells VS Code when a build is done');
    assert.ok(existsSync('.vscode-test.mjs'));
  });
});
