// The `partitions keys` and `partitions map` commands as a bundle of their own (dist/cliPartitions.js): they need no
// workspace, so they load neither sql.js, the YAML reader, the deployment client nor the engine; only the Python parser.
import { parseNow } from './cliOptions';
import { CliError } from './cliError';
import { runCommandLine } from './commandLine';
import { runPartitionsExpression } from './partitionKeysCommand';

/** Runs `partitions keys|map` (main.ts sends nothing else here); resolves with the exit code. */
export function runCli(argv: string[]): Promise<number> {
  return runCommandLine(argv, (command, rest, v, out) => {
    const sub = rest[0];
    if (command !== 'partitions' || (sub !== 'keys' && sub !== 'map')) throw new CliError(`dist/cliPartitions.js runs only partitions keys and map, not ${command}`);
    return runPartitionsExpression(sub, v, out, parseNow(v.now) ?? new Date());
  });
}
