// The `backfill` entry point (dist/cli.js): answers help at once and loads the commands bundle only for real work.
import { helpText } from './cliUsage';

type CommandsModule = typeof import('./cliCommands');

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
  // A literal path beside dist/cli.js; esbuild leaves it external (see esbuild.mjs).
  const commands = require('./cliCommands.js') as CommandsModule;
  void commands.runCli(argv).then((code) => {
    process.exitCode = code;
  });
}
