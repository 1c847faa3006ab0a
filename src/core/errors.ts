// The one error type for a user's mistake: bad config, flag, file or input. The CLI prints its message
// (never a stack) and exits with its code; anything else that escapes is a bug and is reported as one.

export const EXIT = {
  GO: 0,
  NO_GO: 1,
  USAGE: 2,
  INCONCLUSIVE: 3,
  INTERRUPTED: 130,
} as const;

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly exitCode: number;
  /** A next step for the user, printed after the message. */
  readonly hint: string | undefined;
  /** One line per problem, when there are several (config validation). */
  readonly details: readonly string[];

  constructor(
    message: string,
    options: { exitCode?: number; hint?: string; details?: readonly string[] } = {},
  ) {
    super(message);
    this.exitCode = options.exitCode ?? EXIT.USAGE;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
