// From the launch form's local plan to what a Dagster deployment is asked for (an asset or job backfill request),
// and from the deployment's RemoteLaunchPlan to the preview rows the Launch panel shows.
import type { BackfillPlan } from '../core/backfill/backfillPlan';
import type { Definition } from '../core/definitions/definition';
import { definitionName } from '../core/definitions/definition';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';
import { assetPartitionRanges } from '../core/deployment/assetPartitionRanges';
import type { AssetBackfillRequest, JobBackfillRequest, RemoteLaunchPlan } from '../core/deployment/remoteBackfillLaunch';
import type { RemotePlanPreview } from '../shared/launchPanelModel';

export type RemoteBackfillRequest = { kind: 'asset'; request: AssetBackfillRequest } | { kind: 'job'; request: JobBackfillRequest };

/** Why the form cannot run on a deployment, in the words the preview shows. */
export class RemoteLaunchRefusal extends Error {
  override name = 'RemoteLaunchRefusal';
}

export interface RemoteLaunchOptions {
  tags: Record<string, string>;
  title: string;
  description: string;
}

/**
 * The request for `plan` (planned over every selected partition: the deployment knows its own statuses) of
 * `definitions` (the plan's targets, in its order). Asset backfills name every selected asset with the roots' keys,
 * and as one range per asset when the keys are consecutive and the assets share their partitions (sent as
 * partitionsByAssets where the server has it); a job backfill names the job and the code location it is in here.
 */
export function remoteBackfillRequest(plan: BackfillPlan, definitions: readonly Definition[], options: RemoteLaunchOptions): RemoteBackfillRequest {
  const shared = {
    ...(Object.keys(options.tags).length > 0 ? { tags: options.tags } : {}),
    ...(options.title.trim() !== '' ? { title: options.title.trim() } : {}),
    ...(options.description.trim() !== '' ? { description: options.description.trim() } : {}),
  };
  const commands = definitions.filter((d) => d.kind === 'command');
  if (commands.length > 0) {
    throw new RemoteLaunchRefusal(`${commands.map(definitionName).join(', ')} ${commands.length === 1 ? 'is a command target' : 'are command targets'} of backfills.yaml: ${commands.length === 1 ? 'it runs' : 'they run'} on this machine only. Choose "This machine" under Run on.`);
  }
  const unpartitioned = definitions.filter((d) => d.partitions === null);
  if (unpartitioned.length > 0) {
    throw new RemoteLaunchRefusal(`${unpartitioned.map(definitionName).join(', ')} ${unpartitioned.length === 1 ? 'has' : 'have'} no partitions: a deployment backfills partitioned assets and jobs only.`);
  }
  if (plan.partitionKeys.length === 0) throw new RemoteLaunchRefusal('No partitions are selected: choose the partitions to ask the deployment for.');
  const jobs = definitions.filter((d) => d.kind === 'job');
  if (jobs.length > 0) {
    if (definitions.length > 1) throw new RemoteLaunchRefusal(`A deployment backfills one job at a time, or assets: ${definitions.map(definitionName).join(', ')} mixes them.`);
    const job = jobs[0]!;
    return { kind: 'job', request: { jobName: job.name, partitionNames: [...plan.partitionKeys], ...(job.codeLocation ? { locationName: job.codeLocation.name } : {}), ...shared } };
  }
  const assets = definitions.filter((d): d is Extract<Definition, { kind: 'asset' }> => d.kind === 'asset');
  const partitionsOf = (d: Definition): string => JSON.stringify(d.partitions!.toJSON());
  const differing = assets.filter((a) => partitionsOf(a) !== partitionsOf(assets[0]!));
  if (differing.length > 0) {
    // Dagster applies one list of partition names to every selected asset: they must share the partitions.
    throw new RemoteLaunchRefusal(`On a deployment the selected assets must share one partitions definition: ${assets[0]!.key.join('/')} is ${assets[0]!.partitions!.describe()}, ${differing.map((d) => `${d.key.join('/')} is ${d.partitions!.describe()}`).join(', ')}. Launch them separately (leave out downstream).`);
  }
  const ranges = assetPartitionRanges(plan, assets);
  return {
    kind: 'asset',
    request: {
      assetKeys: assets.map((a) => [...a.key]),
      partitionNames: [...plan.partitionKeys],
      ...(ranges ? { ranges } : {}),
      ...shared,
    },
  };
}

function shortList(items: readonly string[], shown = 5): string {
  const head = items.slice(0, shown).join(', ');
  return items.length > shown ? `${head} … and ${(items.length - shown).toLocaleString('en-US')} more` : head;
}

const NOT_SENT_WHY: Record<string, string> = {
  tags: 'tags (this Dagster version takes no tags on a backfill)',
  title: 'title (this Dagster version has no backfill titles)',
  description: 'description (this Dagster version has no backfill descriptions)',
};

/** The preview of what `deployment` will be asked for: the launchPartitionBackfill variables in words. */
export function remotePlanPreview(deployment: DagsterDeployment, request: RemoteBackfillRequest, plan: RemoteLaunchPlan): RemotePlanPreview {
  const params = plan.backfillParams;
  const asked: { label: string; value: string }[] = [];
  const ranges = params.partitionsByAssets as { assetKey: { path: string[] }; partitions: { range: { start: string; end: string } } }[] | undefined;
  const names = params.partitionNames as string[] | undefined;
  if (request.kind === 'job') {
    asked.push({ label: 'Job', value: request.request.jobName });
    asked.push({ label: 'Where', value: plan.location?.explanation ?? 'as the deployment resolves it' });
  } else {
    const assets = ranges ? ranges.map((r) => r.assetKey.path.join('/')) : (params.assetSelection as { path: string[] }[] | undefined ?? []).map((k) => k.path.join('/'));
    asked.push({ label: assets.length === 1 ? 'Asset' : 'Assets', value: assets.join(', ') });
    asked.push({ label: 'Where', value: 'each asset by its key, in whichever code location of the deployment defines it' });
  }
  if (ranges) {
    const r = ranges[0]!.partitions.range;
    asked.push({ label: 'Partitions', value: `${r.start} … ${r.end} (${request.request.partitionNames.length.toLocaleString('en-US')}), one range per asset (partitionsByAssets)` });
  } else if (names) {
    asked.push({ label: 'Partitions', value: `${shortList(names)} (${names.length.toLocaleString('en-US')} by name)` });
  }
  const tags = params.tags as { key: string; value: string }[] | undefined;
  if (tags) asked.push({ label: 'Tags', value: tags.map((t) => `${t.key}=${t.value}`).join(', ') });
  if (typeof params.title === 'string') asked.push({ label: 'Title', value: params.title });
  if (typeof params.description === 'string') asked.push({ label: 'Description', value: params.description });
  if (params.fromFailure === true) asked.push({ label: 'From failure', value: 'yes' });
  return {
    deployment: deployment.name,
    url: deployment.url,
    kind: deployment.kind,
    asked,
    notSent: plan.notSent.map((n) => NOT_SENT_WHY[n] ?? n),
  };
}
