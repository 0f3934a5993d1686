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
