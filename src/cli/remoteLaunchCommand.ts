// `backfill asset|job|plan --deployment NAME|URL`: the workspace's plan turned into what the deployment is asked
// (launchPartitionBackfill's variables, shown first), then launched there, recorded and followed.
import type { BackfillPlan } from '../core/backfill/planBackfill';
import type { AssetDefinition, Definition, JobDefinition } from '../core/definitions/definition';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';
import type { RemoteBackfills } from '../core/deployment/remoteBackfills';
import { assetPartitionRanges } from '../core/deployment/assetPartitionRanges';
import type { RemoteLaunchPlan } from '../core/deployment/remoteBackfillLaunch';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';
import { compactPartitionList } from './partitionList';
import { askYesNo } from './prompt';
import { followRemoteBackfill, remoteDocument } from './remoteFollow';

export interface RemoteLaunchOptions {
  command: 'asset' | 'job' | 'plan';
  deployment: DagsterDeployment;
  plan: BackfillPlan;
  tags?: Record<string, string> | undefined;
  title?: string | undefined;
  description?: string | undefined;
  noprompt: boolean;
  follow: boolean;
  pollMs: number;
}

function definitionsOf(ws: BackfillWorkspace, plan: BackfillPlan, command: RemoteLaunchOptions['command']): { assets: AssetDefinition[]; job?: JobDefinition } {
  const found: Definition[] = ws.findTargets(plan.targets);
  const local = found.filter((d) => d.kind === 'command').map((d) => d.name);
  if (local.length > 0) throw new CliError(`${local.join(', ')}: command target${local.length === 1 ? '' : 's'} of backfills.yaml run${local.length === 1 ? 's' : ''} on this machine only, not on a Dagster deployment: leave out --deployment`);
  const jobs = found.filter((d): d is JobDefinition => d.kind === 'job');
  if (command === 'job' || jobs.length > 0) {
    if (jobs.length !== 1 || found.length !== 1) throw new CliError('a job backfill on a deployment takes one job: backfill job -j JOB --deployment NAME');
    return { assets: [], job: jobs[0]! };
  }
  return { assets: found.filter((d): d is AssetDefinition => d.kind === 'asset') };
}

async function remotePlan(remote: RemoteBackfills, ws: BackfillWorkspace, o: RemoteLaunchOptions): Promise<RemoteLaunchPlan> {
  const { assets, job } = definitionsOf(ws, o.plan, o.command);
  const options = { ...(o.tags ? { tags: o.tags } : {}), ...(o.title !== undefined ? { title: o.title } : {}), ...(o.description !== undefined ? { description: o.description } : {}) };
  if (job) {
    return remote.planJob(o.deployment, { jobName: job.name, partitionNames: o.plan.partitionKeys, ...(job.codeLocation ? { locationName: job.codeLocation.name } : {}), ...options });
  }
  const ranges = assetPartitionRanges(o.plan, assets);
  return remote.planAsset(o.deployment, { assetKeys: assets.map((a) => a.key), partitionNames: o.plan.partitionKeys, ...(ranges ? { ranges } : {}), ...options });
}

function printPreview(out: CliOutput, o: RemoteLaunchOptions, version: string, sent: RemoteLaunchPlan, allKeys: readonly string[]): void {
  out.line(`Deployment ${o.deployment.name} (${o.deployment.url}), Dagster ${version}`);
  out.line(`Backfill of ${o.plan.targets.join(', ')}: ${o.plan.partitionKeys.length} partitions: ${compactPartitionList(o.plan.partitionKeys, allKeys)}`);
  if (sent.location) out.line(`Runs in: ${sent.location.explanation}`);
  out.line('The deployment will be asked: launchPartitionBackfill with backfillParams');
  JSON.stringify(sent.backfillParams, null, 2).split('\n').forEach((l) => out.line(`  ${l}`));
  if (sent.notSent.length > 0) out.line(`Not sent (this Dagster version has no field for it): ${sent.notSent.join(', ')}`);
}

export async function runRemoteLaunch(remote: RemoteBackfills, ws: BackfillWorkspace, out: CliOutput, o: RemoteLaunchOptions): Promise<number> {
  if (o.plan.reprocess !== 'all') {
    throw new CliError(`--reprocess ${o.plan.reprocess} with --deployment: the deployment's own statuses decide what is missing there, which this command does not read yet; leave out --reprocess (the deployment runs every selected partition)`);
  }
  if (o.plan.partitionKeys.length === 0) throw new CliError('no partitions selected: nothing to launch on the deployment');
  const sent = await remotePlan(remote, ws, o);
  const version = (await (await remote.connect(o.deployment)).serverCapabilities()).version;
  const definition = ws.findTargets(o.plan.targets).find((d) => d.partitions !== null);
  const allKeys = definition?.partitions?.keys(new Date(o.plan.plannedAt)) ?? o.plan.partitionKeys;
  if (o.command === 'plan') {
    if (out.json) {
      out.document({
        deployment: { name: o.deployment.name, url: o.deployment.url, kind: o.deployment.kind }, serverVersion: version,
        mutation: 'launchPartitionBackfill', variables: { backfillParams: sent.backfillParams }, notSent: sent.notSent,
        ...(sent.location ? { location: sent.location.explanation, selector: sent.location.selector } : {}),
        targets: o.plan.targets, partitionKeys: o.plan.partitionKeys, selection: o.plan.selection,
      });
    } else {
      printPreview(out, o, version, sent, allKeys);
    }
    return 0;
  }
  if (!o.noprompt && !process.stdin.isTTY) {
    throw new CliError('standard input is not a terminal, so nothing can be confirmed: add --noprompt to launch without asking');
  }
  if (!out.json) printPreview(out, o, version, sent, allKeys);
  if (!o.noprompt && !(await askYesNo(`Launch this backfill on ${o.deployment.name} (${o.plan.partitionKeys.length} partitions)? [y/N] `))) {
    out.line('Backfill not launched.');
    return 0;
  }
  const record = await remote.launch(o.deployment, sent, { targets: o.plan.targets, partitionCount: o.plan.partitionCount, selection: o.plan.selection, ...(o.tags ? { tags: o.tags } : {}) });
  out.line(`Launched backfill ${record.id} on deployment ${o.deployment.name} as its backfill ${record.remote!.backfillId}`);
  if (!o.follow) {
    if (out.json) out.document(remoteDocument(record, undefined));
    else out.line(`Not following it (--no-follow): \`backfill show ${record.id}\` reads it, \`backfill cancel ${record.id}\` cancels it.`);
    return 0;
  }
  return followRemoteBackfill(remote, out, record, o.pollMs);
}
