// The `backfill` entry point (dist/cli.js): answers help at once, and loads only the bundle the command needs.
import * as nodeModule from 'node:module';
import { parseArgs } from 'node:util';
import { OPTIONS } from './cliOptions';
import { helpText } from './cliUsage';

type CommandsModule = typeof import('./cliCommands');

// V8's compile cache (Node >= 22.1) keeps the bundles' compiled code between runs; older Node has no such call, and a
// cache that cannot be used (read-only directory, NODE_DISABLE_COMPILE_CACHE) only costs the compile it would save.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** `partitions keys` and `partitions map` need no workspace: their bundle leaves out sql.js, YAML and the engine. */
function bundleFor(argv: readonly string[]): './cliPartitions.js' | './cliCommands.js' {
  const [command, sub] = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false }).positionals;
  return command === 'partitions' && (sub === 'keys' || sub === 'map') ? './cliPartitions.js' : './cliCommands.js';
}

/** Help is decided without parsing every flag: it must not pay for the engine, sql.js or the Python parser. */
function helpRequested(argv: readonly string[]): { command: string | undefined } | undefined {
  const command = argv.find((a) => !a.startsWith('-'));
  if (argv.length === 0) return { command: undefined };
  if (argv.includes('-h') || argv.includes('--help') || command === 'help') return { command: command === 'help' ? argv[argv.indexOf('help') + 1] : command };
  return undefined;
}

// `backfill list | head -1`: the reader left. Output stops quietly; the command still finishes (a backfill runs on
// and its state is written), instead of dying of an unhandled EPIPE with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
  process.stderr.write(`backfill: cannot write to standard output: ${e.message}\n`);
  process.exitCode = 1;
});

const argv = process.argv.slice(2);
const help = helpRequested(argv);
if (help) {
  process.stdout.write(helpText(help.command) + '\n');
  process.exitCode = argv.length === 0 ? 2 : 0;
} else {
  // Literal paths beside dist/cli.js; esbuild leaves them external (see esbuild.mjs). Both bundles export runCli.
  const commands = (bundleFor(argv) === './cliPartitions.js' ? require('./cliPartitions.js') : require('./cliCommands.js')) as Pick<CommandsModule, 'runCli'>;
  void commands.runCli(argv).then((code) => {
    process.exitCode = code;
  });
}
