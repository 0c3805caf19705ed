/**
 * The view model is built without VS Code so it can be unit-tested; the host passes `vscode.l10n.t` in as
 * `Translate`, tests pass `formatMessage`. Messages use l10n's "{0}" placeholders.
 */
export type Translate = (message: string, ...args: Array<string | number>) => string;

export const formatMessage: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
