// Runs one `backfill` command line: flags checked against the command, the command dispatched, errors mapped to exit codes.
import { parseArgs } from 'node:util';
import { OPTIONS, type CliValues } from './cliOptions';
import { USAGE } from './cliUsage';
import { assertOwnFlags } from './commandFlags';
import { CliError } from './cliError';
import { processOutput, type CliOutput } from './cliOutput';

export type Dispatch = (command: string, rest: string[], values: CliValues, out: CliOutput) => Promise<number>;

/**
 * Each CLI bundle passes its own dispatch, and names the error classes it knows beyond CliError (by the JSON `type`
 * they print): a bundle recognises only classes of its own copy of the code, so the check lives with the bundle.
 */
export async function runCommandLine(argv: string[], dispatch: Dispatch, knownErrorType: (e: unknown) => string | undefined = () => undefined): Promise<number> {
  const json = argv.includes('--json');
  const out = processOutput(json);
  try {
    // First which command it is and which flags were typed, so a flag of another command is named as such.
    const loose = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
    const [named, ...args] = loose.positionals;
    if (named) assertOwnFlags(named, named === 'partitions' ? args[0] : undefined, loose.tokens.flatMap((t) => (t.kind === 'option' ? [t] : [])));
    const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = parsed.positionals;
    if (!command) throw new CliError(`name a command\n\n${USAGE}`);
    return await dispatch(command, rest, parsed.values, out);
  } catch (e) {
    const parseError = e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS');
    const type = e instanceof CliError ? e.type : knownErrorType(e) ?? (parseError ? 'BadArguments' : undefined);
    const message = e instanceof Error ? e.message : String(e);
    if (json) out.document({ error: { type: type ?? 'InternalError', message } });
    // A message naming the command (`backfill list: unknown option …`) already says who speaks.
    out.error(message.startsWith('backfill ') ? message : `backfill: ${message}`);
    if (type === undefined && e instanceof Error && process.env.BACKFILL_DEBUG) out.error(e.stack ?? '');
    return e instanceof CliError ? e.exitCode : type !== undefined ? 2 : 1;
  }
}

