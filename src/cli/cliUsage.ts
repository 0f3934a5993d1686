// The `backfill` help texts: the overview and one page per command (`backfill COMMAND -h`).

const PARTITION_FLAGS = `partition flags (one of):
  --partitions SEL      Dagster's selection syntax: A,B  A...B  [A...B]  "key, with comma"  (mixed, comma-separated)
  --from A --to B       an inclusive range of keys
  --latest N            the N newest partitions
  --all                 every partition
  --reprocess MODE      all (default) | missing | failed-and-missing: which stored statuses run again`;

const NOW_FLAG = `  --now ISO             the current time (ISO 8601 with offset), which decides the time partitions that exist`;

const LOCATION_FLAG = `  -l, --location NAME   the code location to take names from, when two locations define one (as Dagster's -l)`;

const COMMON = `options for every command:
  -w, --workspace DIR   the workspace folder (default: the current folder)
  --state-folder DIR    where the state file and run logs are kept, relative to the workspace (default .backfills)
  --json                machine-readable output on stdout (errors as {"error": {"type", "message"}})
  -h, --help            this help`;

const EXIT_CODES = 'exit codes: 0 ok, 1 a backfill failed, 2 bad input, 130 interrupted';

const LAUNCH_FLAGS = `  --tags JSON           tags added to every run, a JSON object of strings: '{"team": "data"}'
  --max-concurrent N    runs at a time (default 4)
  --noprompt            launch without asking (required when standard input is not a terminal)
  --python PATH         the interpreter that runs Dagster assets and jobs (default: $BACKFILL_PYTHON, else python3)`;

const DEPLOYMENT_FLAGS = `on a Dagster deployment (its webserver's GraphQL API; the deployment's daemon runs the backfill):
  --deployment NAME|URL a deployment of the workspace's .vscode/settings.json "backfillStudio.deployments", or a
                        webserver URL (http://host:3000, https://org.dagster.cloud/prod). A Dagster+ user token
                        is read from $DAGSTER_CLOUD_API_TOKEN (never from settings or flags)
  --title TEXT          the backfill's title, --description TEXT its description (where the server has them)
  --no-follow           launch, record and return instead of following the backfill to its end
  --poll SECONDS        first delay between reads while following (default 1; backs off to 30x while nothing changes)
  --timeout SECONDS     how long one request to the deployment may take (default 30)`;

const REMOTE_RECORD = `A backfill launched on a Dagster deployment (--deployment) is sent to that deployment: its URL is in the record,
and a Dagster+ token is read from $DAGSTER_CLOUD_API_TOKEN.`;

export const USAGE = `usage: backfill <command> [options]

commands:
  asset      backfill assets or command targets (--select KEY[,KEY]; KEY* adds everything downstream)
  job        backfill a partitioned job, one run per partition (-j JOB)
  plan       dry run: print the exact plan (runs, upstream runs, skipped partitions), launch nothing
  list       backfills in the workspace's state store, newest first
  show       one backfill: status, counts per target, failed partitions with their errors
  status     partitions by status (materialized, failed, in progress, canceled, missing) of assets or targets
  cancel     cancel a running backfill, here or in another process (VS Code or another terminal)
  pause      pause a running backfill, here or in another process: running runs finish, nothing new starts
  resume     continue a paused, canceled or failed backfill: launch what it never launched
  reexecute  a new backfill linked to a finished one: all its runs again, or --from-failure
  logs       the full output of one run (stdout and stderr), from its log file
  prune      remove finished backfills past an age, and old logs past a size budget
  defs       assets, jobs and command targets found in the workspace
  partitions the keys a partitions definition produces, how keys map between two definitions, or
             add, delete and list the keys of dynamic partitions

Run \`backfill COMMAND -h\` for a command's flags.

${COMMON}

${EXIT_CODES}`;

export const COMMAND_HELP: Record<string, string> = {
  asset: `usage: backfill asset --select KEY[,KEY] [-l NAME] <partition flags> [--tags JSON] [--max-concurrent N] [--noprompt]
       backfill asset --plan FILE [--noprompt]
       backfill asset --select KEY[,KEY] <partition flags> --deployment NAME|URL [--tags JSON] [--title TEXT]
                      [--description TEXT] [--no-follow] [--poll SECONDS] [--timeout SECONDS] [--noprompt]

Backfills assets (KEY is an asset key "a/b" or a command target of backfills.yaml). KEY* adds everything
downstream of KEY, KEY+ one level. Lists the partitions, asks whether to proceed, then runs with a live
progress line and ends with a summary. --plan FILE launches a plan saved by \`backfill plan --save\` exactly,
and refuses when its inputs (definitions, stored statuses) have changed since. A KEY two code locations define
is an error naming both: --location NAME chooses one. With --deployment the assets are backfilled on that Dagster
deployment (launchPartitionBackfill): what it will be asked is shown first, the backfill is recorded here once the
deployment accepted it, then followed until it ends.

${PARTITION_FLAGS}
${LOCATION_FLAG}
${NOW_FLAG}
${LAUNCH_FLAGS}
${DEPLOYMENT_FLAGS}`,
  job: `usage: backfill job -j|-p JOB [-l NAME] <partition flags> [--tags JSON] [--max-concurrent N] [--noprompt]
       backfill job -j|-p JOB <partition flags> --deployment NAME|URL [--tags JSON] [--title TEXT]
                    [--description TEXT] [--no-follow] [--poll SECONDS] [--timeout SECONDS] [--noprompt]

Backfills a partitioned job, one run per partition, as \`dagster job backfill\` does. With --deployment, on that
Dagster deployment through the job's partition set, found in the code location and repository that hold the job
there (the output says which was chosen).

${PARTITION_FLAGS}
${LOCATION_FLAG}
${NOW_FLAG}
${LAUNCH_FLAGS}
${DEPLOYMENT_FLAGS}`,
  plan: `usage: backfill plan (--select KEY[,KEY] | -j JOB) [-l NAME] <partition flags> [--save FILE] [--key-space] [--python PATH]
       backfill plan (--select KEY[,KEY] | -j JOB) <partition flags> --deployment NAME|URL [--tags JSON] [--title TEXT]
                     [--description TEXT] [--timeout SECONDS]

Prints the exact plan: each run with its targets, partition key or range and the runs it waits for, and every
selected partition that will not run, with the reason. Launches nothing. --save FILE writes the plan so that
\`backfill asset --plan FILE\` launches exactly it. With --json each run lists the keys it covers.

${PARTITION_FLAGS}
${LOCATION_FLAG}
${NOW_FLAG}
  --key-space           with --json: the plan as saved, with every key of the targets' partitions definitions
                        (keySpaces; runs point into them by index) instead of each run's keys
  --deployment NAME|URL print what that Dagster deployment would be asked (launchPartitionBackfill's variables,
                        the job's location and partition set there) instead of the local runs; see backfill asset -h`,
  list: 'usage: backfill list\n\nBackfills in the workspace\'s state store, newest first, with status, run counts and duration. A backfill on a Dagster deployment\nis marked with the deployment\'s name and its status as the deployment last said it (`backfill show ID` reads it again).',
  show: `usage: backfill show ID [--timeout SECONDS]

One backfill: status, selection, counts per target, and the failed partitions with their errors and the \`backfill logs RUN_ID\`
that prints each one's output. ${REMOTE_RECORD} It is read from there: status in Dagster's words, runs with their links.`,
  cancel: `usage: backfill cancel ID [--python PATH]

Cancels a running backfill: queued runs are dropped and running runs terminated. A backfill run by another
process (VS Code or another terminal) is asked to cancel through the state store; one whose process has ended
is marked canceled. \`backfill resume ID\` continues it later.
${REMOTE_RECORD}
  --timeout SECONDS     how long one request to the deployment may take (default 30)`,
  pause: `usage: backfill pause ID

Pauses a running backfill: its running runs finish, nothing new starts (runs waiting for a retry wait on).
The pause is stored, so it holds in whichever process runs the backfill (VS Code or another terminal) and
after a crash: a paused backfill that is adopted stays paused. Its status stays REQUESTED (Dagster has no
pause); \`backfill list\` and \`show\` mark it paused. \`backfill resume ID\` continues it.`,
  resume: `usage: backfill resume ID [--max-concurrent N] [--python PATH]
       backfill resume ID [--no-follow] [--poll SECONDS] [--timeout SECONDS]   (a backfill on a Dagster deployment)

Continues a paused backfill (here or in the process running it), a canceled or failed one, or one whose process ended:
launches what it never launched. ${REMOTE_RECORD} Then it is followed (--no-follow returns at once).`,
  reexecute: `usage: backfill reexecute ID [--from-failure] [--max-concurrent N] [--python PATH]
       backfill reexecute ID [--from-failure] [--no-follow] [--poll SECONDS] [--timeout SECONDS]   (on a deployment)

A new backfill linked to the finished backfill ID, running all of its runs again, or with --from-failure those that did
not succeed. ${REMOTE_RECORD} The deployment re-executes it (reexecutePartitionBackfill,
or a new launch where the server has none), and the new backfill is recorded and followed.`,
  status: `usage: backfill status --select KEY[,KEY] [-l NAME] [--python PATH] [--now ISO]

Each target's partitions by status, with counts and key ranges: MATERIALIZED, FAILED, IN_PROGRESS, CANCELED (a run
of this tool was canceled) and MISSING. Dagster assets show what the Dagster instance records (runs made anywhere,
read through the runner with the --python interpreter) merged with the project's own run records; without an
importable dagster, or for command targets and jobs, the project's records alone. The first line says which.
Exit code 2 when the instance cannot be read (its error names it and the fix).`,
  logs: `usage: backfill logs RUN_ID [--tail N]

Prints a run's whole output (stdout and stderr, every attempt), from its file under the state folder
(.backfills/logs/BACKFILL_ID/RUN_ID.log). \`backfill show ID --json\` lists a backfill's run ids. --tail N prints
the last N lines only. A run recorded before log files were kept prints the tail the state file holds, and
says so on stderr. Exit code 2 for an unknown run id.`,
  prune: `usage: backfill prune [--older-than DAYS] [--max-log-mb MB] [--dry-run]

Removes finished backfills (succeeded, failed or canceled) that ended more than DAYS ago (default 30): the
backfill, its runs, events and log files. Then, while the run logs and events of all backfills together take
more than MB megabytes (default 1024), removes those of the oldest finished backfills (they stay listed).
Running, paused and canceling backfills are never touched, and partition statuses stay as they are: what was
materialized stays materialized. 0 turns a limit off. --dry-run prints what would be removed. The extension
prunes the same way a minute after it starts, with the settings backfillStudio.retention.maxAgeDays and
backfillStudio.retention.maxLogMegabytes.`,
  defs: 'usage: backfill defs [--python PATH]\n\nAssets, jobs and command targets found in the workspace, with their partitions, and discovery problems.',
  partitions: `usage: backfill partitions keys --def EXPR [--now ISO] [--range A...B] [--windows]
       backfill partitions map --upstream EXPR --downstream EXPR [--mapping EXPR] --keys K1,K2
                               [--direction upstream|downstream] [--now ISO]
       backfill partitions add NAME KEY [KEY…] [--python PATH]
       backfill partitions delete NAME KEY [KEY…] [--python PATH]
       backfill partitions list NAME [--python PATH]

keys: the keys a partitions definition (a Dagster constructor expression) produces; --windows adds time windows.
map:  the upstream keys of downstream keys (or the reverse with --direction downstream); an item A...B is a range.
--now fixes the current time (ISO 8601 with offset) so results are reproducible.
add, delete, list: the keys of the dynamic partitions NAME (a DynamicPartitionsDefinition of the workspace). They
live on the Dagster instance when the --python interpreter can import dagster (add_dynamic_partitions,
delete_dynamic_partition), else in the project's state store. Adding a key that exists and deleting one that
does not change nothing.`,
};

/** The help for `command`, or the overview. */
export function helpText(command: string | undefined): string {
  const page = command !== undefined ? COMMAND_HELP[command] : undefined;
  return page ? `${page}\n\n${COMMON}\n\n${EXIT_CODES}` : USAGE;
}
