// Which flags each command takes, read from its help page, so the parser and the help cannot disagree.
import { OPTIONS } from './cliOptions';
import { COMMAND_HELP } from './cliUsage';
import { CliError } from './cliError';

/** Every command takes these (they are on every help page, under "options for every command"). */
const COMMON_FLAGS = ['workspace', 'state-folder', 'json', 'help'];

const SHORT_TO_LONG = new Map<string, string>(Object.entries(OPTIONS).flatMap(([long, o]) => ('short' in o ? [[o.short, long] as const] : [])));

/** The long names of the flags written on `lines` (`--name`, and `-x` through its long name). */
function flagsOn(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    for (const m of line.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)) out.push(m[1]!);
    for (const m of line.matchAll(/(?<![\w-])-([a-zA-Z])(?![\w-])/g)) {
      const long = SHORT_TO_LONG.get(m[1]!);
      if (long) out.push(long);
    }
  }
  return out;
}

/**
 * A page's usage block (the lines up to the first blank one) and its flag lines (indented lines starting with a
 * flag) name its flags; prose does not (the plan page mentions `backfill asset --plan FILE`). A usage line of
 * `backfill partitions SUB` starts the flags of that subcommand; indented lines after it continue it.
 */
function pageFlags(command: string, page: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (key: string, flags: string[]) => {
    const set = out.get(key) ?? new Set(COMMON_FLAGS);
    for (const f of flags) set.add(f);
    out.set(key, set);
  };
  const lines = page.split('\n');
  const blank = lines.findIndex((l) => l.trim() === '');
  const usage = blank < 0 ? lines : lines.slice(0, blank);
  let key = command;
  for (const line of usage) {
    const sub = new RegExp(`backfill ${command} ([a-z]+)\\b`).exec(line);
    if (command === 'partitions' && sub) key = `${command} ${sub[1]}`;
    add(key, flagsOn([line]));
  }
  add(command, flagsOn(lines.filter((l) => /^\s+-/.test(l))));
  return out;
}

const ACCEPTED = new Map<string, Set<string>>();
for (const [command, page] of Object.entries(COMMAND_HELP)) for (const [key, flags] of pageFlags(command, page)) ACCEPTED.set(key, flags);

/** The flags `command` (or `partitions SUB`) takes; undefined for an unknown command. */
export function acceptedFlags(command: string, sub?: string): ReadonlySet<string> | undefined {
  return (sub !== undefined ? ACCEPTED.get(`${command} ${sub}`) : undefined) ?? ACCEPTED.get(command);
}

/** Throws exit 2 naming the first flag (as typed) the command does not take. */
export function assertOwnFlags(command: string, sub: string | undefined, given: readonly { name: string; rawName: string }[]): void {
  const accepted = acceptedFlags(command, sub);
  if (!accepted) return;
  const name = sub !== undefined && ACCEPTED.has(`${command} ${sub}`) ? `${command} ${sub}` : command;
  const unknown = given.find((g) => !accepted.has(g.name));
  if (unknown) throw new CliError(`backfill ${name}: unknown option ${unknown.rawName} (see backfill ${command} --help)`);
}
