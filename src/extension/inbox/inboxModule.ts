/**
 * The SMTP server and sender live in their own bundle (dist/inbox.js, built from src/inbox) with smtp-server and
 * nodemailer inside: it is loaded on the first inbox command, so the extension's activation never reads it.
 */
import { join } from 'node:path';

export type InboxModule = typeof import('../../inbox');

let loaded: InboxModule | undefined;

export function loadInboxModule(): InboxModule {
  // A computed path keeps the bundler from inlining the module into dist/extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(join(__dirname, 'inbox.js')) as InboxModule;
  return loaded;
}
