/**
 * The demo folder's contents as data (relative path, bytes, whether it is secret), so the CLI only writes them
 * and tests can inspect them without a file system.
 */
import { DEMO_MESSAGES, createDemoMessages } from './demoMessages';
import { DEMO_PASSPHRASE, DEMO_ROOT_NAME, DEMO_USERS, type DemoPki } from './demoPki';
import { certificatesToPem, privateKeyToPem } from './pemWriter';
import { writePkcs12 } from './pkcs12Writer';

export interface DemoFile {
  /** Relative, with forward slashes. */
  path: string;
  data: Buffer;
  /** Private keys and PKCS#12 files: written owner-only. */
  secret: boolean;
}

/** Recipients whose certificates go into recipients/ (named by address, as the recipient lookup expects). */
const RECIPIENT_FOLDER_USERS = ['bob', 'alice'] as const;

function identityFiles(pki: DemoPki): DemoFile[] {
  const files: DemoFile[] = [];
  const chain = [pki.root.certificate];
  for (const { name } of DEMO_USERS) {
    const user = pki.users[name];
    const id = { privateKey: user.privateKey, certificate: user.certificate, chain, passphrase: DEMO_PASSPHRASE, friendlyName: `${user.spec.displayName} (smime demo)` };
    files.push({ path: `${name}.pem`, data: Buffer.from(certificatesToPem([user.certificate])), secret: false });
    files.push({ path: `${name}.key.pem`, data: Buffer.from(privateKeyToPem(user.privateKey)), secret: true });
    files.push({ path: `${name}.p12`, data: writePkcs12(id), secret: true });
    files.push({ path: `${name}.legacy.p12`, data: writePkcs12({ ...id, legacy: true }), secret: true });
  }
  for (const name of RECIPIENT_FOLDER_USERS) {
    const user = pki.users[name];
    files.push({ path: `recipients/${user.spec.email}.pem`, data: Buffer.from(certificatesToPem([user.certificate])), secret: false });
  }
  return files;
}

/** Setting names as the extension reads them (src/extension/settings.ts): sign as alice, read mail to bob. */
function settingsJson(): string {
  const settings = {
    'smime.signing.p12': '${workspaceFolder}/alice.p12',
    'smime.decrypt.p12': '${workspaceFolder}/bob.p12',
    'smime.trust.anchors': ['${workspaceFolder}/ca.pem'],
    'smime.recipients.folder': '${workspaceFolder}/recipients',
  };
  return JSON.stringify(settings, null, 2) + '\n';
}

function readme(pki: DemoPki): string {
  const users = DEMO_USERS.map((u) => `  ${u.name.padEnd(14)} ${u.email.padEnd(21)} ${u.role}`);
  const messages = DEMO_MESSAGES.map((m) => {
    const expect = [m.verdict, ...m.reasons].join(', ');
    return `  ${m.file.padEnd(22)} ${m.shows}\n  ${''.padEnd(22)} -> ${expect}${m.decryptWith ? ` (needs --p12 ${m.decryptWith}.p12)` : ''}`;
  });
  return [
    'smime demo: a throw-away S/MIME test PKI',
    '=========================================',
    '',
    'FOR TESTING ONLY. These keys were generated on this machine, are stored unencrypted next to',
    'their certificates and protect nothing. Never use them for real mail, and never add ca.pem to',
    `a real trust store. The root's private key was not kept ("${DEMO_ROOT_NAME}").`,
    '',
    `Made: ${pki.now.toISOString()}. PKCS#12 passphrase for every .p12 file: "${DEMO_PASSPHRASE}"`,
    '',
    'Files',
    '  ca.pem                 the root CA certificate (the trust anchor)',
    '  NAME.pem               the certificate of NAME',
    '  NAME.key.pem           its private key (PKCS#8, unencrypted)',
    '  NAME.p12               key + certificate + root (PBES2/AES-256-CBC, OpenSSL 3 style)',
    '  NAME.legacy.p12        the same with 3DES and a SHA-1 MAC, for gpgsm 2.2 and old Outlook',
    '                         (gpgsm cannot import the EC or Ed25519 ones)',
    '  recipients/ADDRESS.pem certificates to encrypt to (bob, alice)',
    '  .vscode/settings.json  settings that sign as alice, decrypt as bob, trust ca.pem and use recipients/',
    '  messages/*.eml         the sample messages below',
    '',
    'Identities',
    ...users,
    '',
    'Sample messages and the verdict `smime verify` gives each',
    ...messages,
    '',
    'Try',
    '  smime verify messages/signed-detached.eml --ca ca.pem',
    '  SMIME_PASS=demo smime verify messages/signed-encrypted.eml --ca ca.pem --p12 bob.p12 --passphrase-env SMIME_PASS',
    '  openssl verify -CAfile ca.pem -purpose smimesign alice.pem',
    '',
  ].join('\n');
}

/** Every file of the demo folder. Generates the messages, so it takes as long as signing and encrypting them. */
export function demoFiles(pki: DemoPki): DemoFile[] {
  const messages = createDemoMessages(pki);
  return [
    { path: 'README.txt', data: Buffer.from(readme(pki)), secret: false },
    { path: 'ca.pem', data: Buffer.from(certificatesToPem([pki.root.certificate])), secret: false },
    ...identityFiles(pki),
    { path: '.vscode/settings.json', data: Buffer.from(settingsJson()), secret: false },
    ...[...messages].map(([file, data]) => ({ path: `messages/${file}`, data, secret: false })),
  ];
}
