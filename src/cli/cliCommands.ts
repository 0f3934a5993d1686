// The `backfill` commands (dist/cliCommands.js, loaded by dist/cli.js once help is ruled out): run one command on a workspace, map errors to exit codes.
import * as path from 'node:path';
import { parseNow, type CliValues as Values } from './cliOptions';
import { USAGE } from './cliUsage';
import { runCommandLine } from './commandLine';
import { BackfillPlanError } from '../core/backfill/planBackfill';
import { systemClock, fixedClock } from '../core/clock';
import { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { runList, runShow } from './backfillsCommand';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';
import { runDefs } from './defsCommand';
import { runPartitionsExpression } from './partitionKeysCommand';
import { followBackfill, runLaunch } from './launchCommand';
import { assertPlanCurrent, parseSavedPlan, type PlanRequest } from '../core/backfill/savedPlanFile';
import * as fs from 'node:fs';
import { partitionSelection, reprocessMode } from './selectionArguments';
import { runTagsArgument } from './runTagsArgument';
import { runStatus } from './statusCommand';
import { runLogs } from './logsCommand';
import { runPrune } from './pruneCommand';
import { DYNAMIC_PARTITIONS_USAGE, runDynamicPartitions } from './dynamicPartitionsCommand';
import type { BackfillPlan } from '../core/backfill/planBackfill';
import { DagsterDeploymentError } from '../core/deployment/dagsterGraphqlClient';
import { cliDeployment, cliRemoteBackfills, pollSeconds, requestTimeoutMs } from './deploymentOption';
import { assertNoRemoteFlags, remoteFlags } from './remoteFlags';
import { runRemoteLaunch } from './remoteLaunchCommand';
import { remoteRecordOf, runRemoteAction } from './remoteBackfillAction';

/** Skipping by status used the project's records alone, or last good statuses: said on stderr, the plan goes on. */
function noteStatusSource(workspace: BackfillWorkspace, plan: BackfillPlan, out: CliOutput): void {
  if (plan.reprocess === 'all' || !workspace.findTargets(plan.targets).some((d) => d.kind === 'asset')) return;
  const source = workspace.partitionStatusSource;
  if (source.kind === 'project') out.error(`backfill: note: statuses of the Dagster assets are the project's run records only (${source.reason.replace(/\.$/, '')})`);
  else if (source.error) out.error(`backfill: warning: ${source.error}`);
}

function maxConcurrent(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new CliError(`--max-concurrent ${JSON.stringify(text)} must be a whole number from 1 to 256`);
  return n;
}

async function dispatch(command: string, rest: string[], v: Values, out: CliOutput): Promise<number> {
  const now = parseNow(v.now);
  const remote = remoteFlags(command, v);
  const pollMs = pollSeconds(v.poll) * 1000;
  const timeoutMs = requestTimeoutMs(v.timeout);
  const ws = () =>
    new BackfillWorkspace({
      root: path.resolve(v.workspace ?? '.'),
      origin: 'cli',
      onStoreProblem: (message: string) => process.stderr.write(`backfill: ${message}\n`),
      onStoreNotice: (message: string) => process.stderr.write(`backfill: ${message}\n`),
      clock: now ? fixedClock(now) : systemClock,
      ...(v['state-folder'] ? { stateFolder: v['state-folder'] } : {}),
      ...(maxConcurrent(v['max-concurrent']) ? { maxConcurrentRuns: maxConcurrent(v['max-concurrent'])! } : {}),
      // Dagster runs use --python, else $BACKFILL_PYTHON, else python3 (the runner names it when dagster is missing).
      python: v.python ?? process.env.BACKFILL_PYTHON ?? 'python3',
      // A CLI command runs only what it was asked to: `backfill resume ID` takes over a backfill whose process died.
      adoptOrphansOnStart: false,
    });
  switch (command) {
    case 'asset':
    case 'job':
    case 'plan': {
      const jobName = v.job ?? v.pipeline;
      const planFile = command === 'plan' ? undefined : v.plan;
      if (planFile !== undefined && (v.select ?? jobName ?? v.partitions ?? v.from ?? v.to ?? v.latest ?? v.reprocess ?? v.all) !== undefined) {
        throw new CliError('--plan FILE launches a saved plan as it is: leave out --select, -j and the partition and --reprocess flags');
      }
      const targets = command === 'job' ? (jobName ? [jobName] : []) : v.select?.split(',').map((s) => s.trim()) ?? (jobName ? [jobName] : []);
      if (planFile === undefined && (targets.length === 0 || targets.some((t) => t === ''))) {
        throw new CliError(command === 'job' ? 'name the job with -j JOB' : 'name what to backfill with --select KEY[,KEY]');
      }
      if (v.save !== undefined && command !== 'plan') throw new CliError('--save FILE goes with `backfill plan`');
      const tags = runTagsArgument(v.tags);
      if (v['key-space'] && !out.json) throw new CliError('--key-space changes what `backfill plan --json` prints: add --json');
      if (planFile !== undefined && v.location !== undefined) throw new CliError('--plan FILE launches a saved plan as it is: leave out --location (the plan keeps the one it was made with)');
      const request: PlanRequest | undefined = planFile === undefined
        ? { targets, selection: partitionSelection(v), reprocess: reprocessMode(v.reprocess), ...(v.location !== undefined ? { location: v.location } : {}) } : undefined;
      const workspace = ws();
      try {
        await workspace.refreshDefinitions();
        let plan;
        let asked: PlanRequest;
        if (planFile !== undefined) {
          let text: string;
          try {
            text = fs.readFileSync(planFile, 'utf8');
          } catch (e) {
            throw new CliError(`cannot read the plan ${planFile}: ${(e as Error).message}`);
          }
          const saved = parseSavedPlan(text, planFile);
          assertPlanCurrent(saved, await workspace.planRequest(saved.request, new Date(saved.plan.plannedAt)), planFile);
          plan = saved.plan;
          asked = saved.request;
        } else {
          asked = request!;
          plan = await workspace.planRequest(asked);
        }
        if (remote.deployment !== undefined) {
          return await runRemoteLaunch(cliRemoteBackfills(workspace, timeoutMs), workspace, out, {
            command: command as 'asset' | 'job' | 'plan', deployment: cliDeployment(workspace, out, remote.deployment), plan, tags,
            title: v.title, description: v.description, noprompt: Boolean(v.noprompt), follow: !v['no-follow'], pollMs,
          });
        }
        noteStatusSource(workspace, plan, out);
        return await runLaunch(workspace, out, { targets: plan.targets, plan, request: asked, save: v.save, tags, noprompt: Boolean(v.noprompt), dryRun: command === 'plan', keySpace: Boolean(v['key-space']) });
      } finally {
        await workspace.close();
      }
    }
    case 'resume':
    case 'reexecute': {
      if (!rest[0]) throw new CliError(`usage: backfill ${command} ID${command === 'reexecute' ? ' [--from-failure]' : ''}`);
      const workspace = ws();
      try {
        const remoteRecord = await remoteRecordOf(workspace, rest[0]);
        if (remoteRecord) return await runRemoteAction(cliRemoteBackfills(workspace, timeoutMs), out, command as 'resume' | 'reexecute', remoteRecord, { fromFailure: Boolean(v['from-failure']), follow: !v['no-follow'], pollMs });
        assertNoRemoteFlags(v, rest[0]);
        await workspace.refreshDefinitions();
        const record = command === 'resume' ? await workspace.resume(rest[0]) : await workspace.reexecute(rest[0], Boolean(v['from-failure']));
        if (!(await workspace.engine()).daemon.isActive(record.id)) {
          // Another live process runs it: the pause was cleared in the store, and that process goes on with it.
          if (out.json) out.document({ backfillId: record.id, resumed: 'owner' });
          else out.line(`Resumed backfill ${record.id}: the process running it starts its queued runs again within a few seconds`);
          return 0;
        }
        out.line(command === 'resume' ? `Resumed backfill ${record.id}` : `Launched backfill ${record.id}, a re-execution of ${rest[0]}`);
        return await followBackfill(workspace, out, record);
      } finally {
        await workspace.close();
      }
    }
    case 'cancel': {
      if (!rest[0]) throw new CliError('usage: backfill cancel ID');
      const workspace = ws();
      try {
        const remoteRecord = await remoteRecordOf(workspace, rest[0]);
        if (remoteRecord) return await runRemoteAction(cliRemoteBackfills(workspace, timeoutMs), out, 'cancel', remoteRecord, { fromFailure: false, follow: false, pollMs });
        assertNoRemoteFlags(v, rest[0]);
        await workspace.refreshDefinitions();
        const route = await workspace.cancel(rest[0]);
        const said = {
          here: `Canceled backfill ${rest[0]}`,
          owner: `Asked the process running backfill ${rest[0]} to cancel it (status CANCELING); it stops its runs within a few seconds`,
          orphan: `Canceled backfill ${rest[0]}: the process that ran it had ended`,
        }[route];
        if (out.json) out.document({ backfillId: rest[0], canceled: route });
        else out.line(said);
        return 0;
      } finally {
        await workspace.close();
      }
    }
    case 'pause': {
      if (!rest[0]) throw new CliError('usage: backfill pause ID');
      const workspace = ws();
      try {
        const route = await workspace.pause(rest[0]);
        const said = {
          here: `Paused backfill ${rest[0]}`,
          owner: `Paused backfill ${rest[0]}: the process running it starts nothing new within a few seconds (running runs finish)`,
          orphan: `Paused backfill ${rest[0]}: the process that ran it had ended; it stays paused when adopted`,
        }[route];
        if (out.json) out.document({ backfillId: rest[0], paused: route });
        else out.line(`${said}. \`backfill resume ${rest[0]}\` continues it.`);
        return 0;
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
        const remoteRecord = await remoteRecordOf(workspace, rest[0]);
        if (remoteRecord) return await runRemoteAction(cliRemoteBackfills(workspace, timeoutMs), out, 'show', remoteRecord, { fromFailure: false, follow: false, pollMs });
        assertNoRemoteFlags(v, rest[0]);
        return await runShow(workspace, out, rest[0]);
      } finally {
        await workspace.close();
      }
    }
    case 'logs': {
      const workspace = ws();
      try {
        return await runLogs(workspace, out, rest[0], v.tail);
      } finally {
        await workspace.close();
      }
    }
    case 'prune': {
      const workspace = ws();
      try {
        return await runPrune(workspace, out, { olderThan: v['older-than'], maxLogMb: v['max-log-mb'], dryRun: Boolean(v['dry-run']) });
      } finally {
        await workspace.close();
      }
    }
    case 'defs': {
      // Dynamic partitions keys are read from the instance through a status process, which close() ends.
      const workspace = ws();
      try {
        return await runDefs(workspace, out);
      } finally {
        await workspace.close();
      }
    }
    case 'status': {
      const workspace = ws();
      try {
        return await runStatus(workspace, out, v.select, v.location);
      } finally {
        await workspace.close();
      }
    }
    case 'partitions':
      if (rest[0] === 'keys' || rest[0] === 'map') return runPartitionsExpression(rest[0], v, out, now ?? new Date());
      if (rest[0] === 'add' || rest[0] === 'delete' || rest[0] === 'list') {
        const workspace = ws();
        try {
          return await runDynamicPartitions(workspace, out, rest[0], rest.slice(1));
        } finally {
          await workspace.close();
        }
      }
      throw new CliError(`usage: backfill partitions keys --def EXPR [--now ISO] [--range A...B] [--windows]\n       backfill partitions map --upstream EXPR --downstream EXPR [--mapping EXPR] --keys K1,K2 [--direction upstream|downstream] [--now ISO]\n${DYNAMIC_PARTITIONS_USAGE.replace('usage: ', '       ')}`);
    default:
      throw new CliError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  }
}

/** Runs the command line `argv` (without `node cli.js`); resolves with the exit code. */
export function runCli(argv: string[]): Promise<number> {
  // A deployment that cannot be reached or refuses: nothing was launched or changed there, as with bad input.
  return runCommandLine(argv, dispatch, (e) => (e instanceof BackfillPlanError ? 'InvalidSelection' : e instanceof DagsterDeploymentError ? 'DagsterDeploymentError' : undefined));
}
