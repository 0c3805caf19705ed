/**
 * The extension's activation must not pay for the SMTP code: smtp-server and nodemailer live only in dist/inbox.js,
 * which the extension requires on the first inbox command, and the CLI loads them from node_modules for `smime
 * inbox` only. Checked on the built dist/ (`npm run test:unit` builds it first) by text only these libraries hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A reply text of smtp-server and an error text of nodemailer: present exactly where those libraries are bundled. */
const SMTP_SERVER_TEXT = 'before the message was received in full';
const NODEMAILER_TEXT = 'Greeting never received';

test('smtp-server and nodemailer are in dist/inbox.js, not in dist/extension.js or the CLI bundle', () => {
  const read = (name: string) => {
    const path = resolve('dist', name);
    assert.ok(existsSync(path), `${path} is missing: run \`node esbuild.mjs\``);
    return readFileSync(path, 'utf8');
  };
  const inbox = read('inbox.js');
  assert.ok(inbox.includes(SMTP_SERVER_TEXT) && inbox.includes(NODEMAILER_TEXT), 'dist/inbox.js holds both libraries');
  for (const name of ['extension.js', 'smime.js']) {
    const bundle = read(name);
    assert.ok(!bundle.includes(SMTP_SERVER_TEXT), `${name} must not bundle smtp-server`);
    assert.ok(!bundle.includes(NODEMAILER_TEXT), `${name} must not bundle nodemailer`);
  }
});
