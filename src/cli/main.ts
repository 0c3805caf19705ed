/**
 * Every `smime` command: the table of the main bundle (dist/smime.js). The launcher runs sign, encrypt and sign-encrypt
 * from bundles of their own (bins/), which hold only that command's code.
 */
import type { CommandTable } from './dispatch';

/** Each command loads only its own code, so `smime verify` starts without the write side's modules. */
export const COMMANDS: CommandTable = {
  inspect: () => import('./commands/inspect').then((m) => m.runInspect),
  show: () => import('./commands/show').then((m) => m.runShow),
  verify: () => import('./commands/verify').then((m) => m.runVerify),
  decrypt: () => import('./commands/decrypt').then((m) => m.runDecrypt),
  cert: () => import('./commands/cert').then((m) => m.runCert),
  sign: () => import('./commands/sign').then((m) => m.runSign),
  encrypt: () => import('./commands/encrypt').then((m) => m.runEncrypt),
  'sign-encrypt': () => import('./commands/signEncrypt').then((m) => m.runSignEncrypt),
  demo: () => import('./commands/demo').then((m) => m.runDemo),
  inbox: () => import('./commands/inbox').then((m) => m.runInbox),
  compare: () => import('./commands/compare').then((m) => m.runCompare),
};
