// Errors the CLI reports to the user with an exit code: 2 for bad input, 1 for a failed backfill.

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = 2,
    readonly type: string = 'BadInput',
  ) {
    super(message);
  }
}
