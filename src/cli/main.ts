// The `backfill` command line: parses arguments, runs one command on a workspace, maps errors to exit codes.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BackfillPlanError } from '../core/backfill/planBackfill';
import { systemClock, fixedClock } from '../core/clock';
import { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { runList, runShow } from './backfillsCommand';
import { CliError } from './cliError';
import { processOutput, type CliOutput } from './cliOutput';
import { runDefs, runPartitionKeys, runPartitionMap } from './defsCommand';
import { runLaunch } from './launchCommand';
import { partitionSelection } from './selectionArguments';

const USAGE = `usage: backfill <command> [options]

commands:
  asset --select KEY[,KEY] (--partitions A,B | --from A --to B | --all) [--max-concurrent N] [--noprompt]
                        backfill assets or command targets, one run per partition
  job -j|-p JOB (--partitions A,B | --from A --to B | --all) [--noprompt]
                        backfill a partitioned job, one run per partition
  plan (--select KEY | -j JOB) <partition flags>
                        dry run: print the plan, launch nothing
  list                  backfills in the workspace's state store, newest first
  show ID               one backfill: status, counts, failed partitions
  defs                  assets, jobs and command targets found in the workspace
  partitions keys --def EXPR [--now ISO] [--range A...B] [--windows]
                        the keys a partitions definition produces
  partitions map --upstream EXPR --downstream EXPR [--mapping EXPR] --keys K1,K2
                 [--direction upstream|downstream] [--now ISO]
                        the upstream keys of downstream keys (or the reverse); an item A...B is a range

options for every command:
  -w, --workspace DIR   the workspace folder (default: the current folder)
  --json                machine-readable output on stdout
  -h, --help            help

exit codes: 0 ok, 1 a backfill failed, 2 bad input, 130 interrupted`;

const OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  select: { type: 'string' },
  job: { type: 'string', short: 'j' },
  pipeline: { type: 'string', short: 'p' },
  partitions: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  all: { type: 'boolean' },
  noprompt: { type: 'boolean' },
  'max-concurrent': { type: 'string' },
  def: { type: 'string' },
  now: { type: 'string' },
  range: { type: 'string' },
  windows: { type: 'boolean' },
  upstream: { type: 'string' },
  downstream: { type: 'string' },
  mapping: { type: 'string' },
  keys: { type: 'string' },
  direction: { type: 'string' },
  'state-folder': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new CliError(`--now ${JSON.stringify(text)} is not an ISO 8601 time such as 2024-02-01T00:00:00+00:00`);
  return d;
}

function maxConcurrent(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new CliError(`--max-concurrent ${JSON.stringify(text)} must be a whole number from 1 to 256`);
  return n;
}

async function dispatch(command: string, rest: string[], v: Values, out: CliOutput): Promise<number> {
  const now = parseNow(v.now);
  const ws = () =>
    new BackfillWorkspace({
      root: path.resolve(v.workspace ?? '.'),
      origin: 'cli',
      clock: now ? fixedClock(now) : systemClock,
      ...(v['state-folder'] ? { stateFolder: v['state-folder'] } : {}),
      ...(maxConcurrent(v['max-concurrent']) ? { maxConcurrentRuns: maxConcurrent(v['max-concurrent'])! } : {}),
    });
  switch (command) {
    case 'asset':
    case 'job':
    case 'plan': {
      const jobName = v.job ?? v.pipeline;
      const targets = command === 'job' ? (jobName ? [jobName] : []) : v.select?.split(',').map((s) => s.trim()) ?? (jobName ? [jobName] : []);
      if (targets.length === 0 || targets.some((t) => t === '')) {
        throw new CliError(command === 'job' ? 'name the job with -j JOB' : 'name what to backfill with --select KEY[,KEY]');
      }
      const selection = partitionSelection(v);
      const workspace = ws();
      try {
        await workspace.refreshDefinitions();
        const plan = workspace.plan(targets, selection);
        return await runLaunch(workspace, out, { targets, plan, noprompt: Boolean(v.noprompt), dryRun: command === 'plan' });
      } finally {
        await workspace.close();
      }
    }
    case 'list':
    case 'show': {
      const workspace = ws();
      try {
        if (command === 'list') return await runList(workspace, out);
        if (!rest[0]) throw new CliError('usage: backfill show ID');
        return await runShow(workspace, out, rest[0]);
      } finally {
        await workspace.close();
      }
    }
    case 'defs':
      return runDefs(ws(), out);
    case 'partitions':
      if (rest[0] === 'map') {
        return runPartitionMap(out, { upstream: v.upstream, downstream: v.downstream, mapping: v.mapping, keys: v.keys, direction: v.direction, now: now ?? new Date() });
      }
      if (rest[0] !== 'keys') throw new CliError('usage: backfill partitions keys --def EXPR [--now ISO] [--range A...B] [--windows]\n       backfill partitions map --upstream EXPR --downstream EXPR [--mapping EXPR] --keys K1,K2 [--direction upstream|downstream] [--now ISO]');
      if (!v.def) throw new CliError('partitions keys needs --def EXPR, e.g. --def \'DailyPartitionsDefinition(start_date="2024-01-01")\'');
      return runPartitionKeys(out, { def: v.def, now: now ?? new Date(), range: v.range, windows: Boolean(v.windows) });
    default:
      throw new CliError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  const json = argv.includes('--json');
  const out = processOutput(json);
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = parsed.positionals;
    if (parsed.values.help || !command) {
      process.stdout.write(USAGE + '\n');
      return command || parsed.values.help ? 0 : 2;
    }
    return await dispatch(command, rest, parsed.values, out);
  } catch (e) {
    const known = e instanceof CliError || e instanceof BackfillPlanError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'));
    const message = e instanceof Error ? e.message : String(e);
    const type = e instanceof CliError ? e.type : e instanceof BackfillPlanError ? 'InvalidSelection' : known ? 'BadArguments' : 'InternalError';
    if (json) out.document({ error: { type, message } });
    out.error(`backfill: ${message}`);
    if (!known && e instanceof Error && process.env.BACKFILL_DEBUG) out.error(e.stack ?? '');
    return e instanceof CliError ? e.exitCode : known ? 2 : 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
