/** Expected failures carry a hint and are printed without a stack; anything else is a bug. */
export class LhcError extends Error {
  hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** A user mistake: bad flag, missing target, unreadable event. Exit code 2, one line. */
export class UsageError extends LhcError {
  readonly code = 'LHC_USAGE';
}

/** The child process broke the protocol in a way no handler can cause: a bug of ours. */
export class HarnessCrashedError extends LhcError {}

export const ExitCode = { ok: 0, findings: 1, couldNotRun: 2 } as const;
