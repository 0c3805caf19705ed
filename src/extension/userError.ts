/**
 * Errors the user can act on. The command wrapper shows `message` with a button per action; anything that is
 * not a UserError (or a core KeyError/ComposeError, mapped in commands/registerCommand.ts) is logged as a defect.
 */
export type UserAction = 'openSettings' | 'chooseFile' | 'enterPassphrase' | 'manageTrust';

export class UserError extends Error {
  constructor(
    message: string,
    readonly actions: UserAction[] = [],
    /** The setting "Open Settings" should show, e.g. "smime.decrypt". */
    readonly setting?: string,
    /** The key file "Enter Passphrase" is about. */
    readonly keyFile?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The user closed a prompt: the operation stops without an error message. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}
