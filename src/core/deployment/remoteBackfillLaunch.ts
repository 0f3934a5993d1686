// What a Dagster deployment is asked for to launch a backfill (LaunchBackfillParams), built for the server's
// capabilities so the plan preview can show it before anything is sent, and the launch answer read strictly:
// nothing is launched unless the server says LaunchBackfillSuccess.
import { DagsterDeploymentError, DagsterGraphqlClient, unionFailure } from './dagsterGraphqlClient';
import type { JobPartitionSetChoice } from './deploymentDefinitions';
import type { ServerCapabilities } from './serverCapabilities';

export interface AssetPartitionRange {
  assetKey: string[];
  start: string;
  end: string;
}

export interface LaunchOptions {
  tags?: Record<string, string>;
  title?: string;
  description?: string;
}

export interface AssetBackfillRequest extends LaunchOptions {
  assetKeys: string[][];
  partitionNames: string[];
  /** The same partitions as key ranges per asset: sent as partitionsByAssets where the server has it. */
  ranges?: AssetPartitionRange[];
  /** Check the names against the deployment's partitions before launching (default true). */
  checkPartitionKeys?: boolean;
}

export interface JobBackfillRequest extends LaunchOptions {
  jobName: string;
  partitionNames: string[];
  /** The code location the workspace's definitions put the job in; settles a job deployed in several. */
  locationName?: string;
  fromFailure?: boolean;
}

/** What will be sent: the variables of launchPartitionBackfill and what the server cannot take. */
export interface RemoteLaunchPlan {
  backfillParams: Record<string, unknown>;
  /** Options the server has no field for (e.g. title on Dagster 1.2): not sent, to be shown to the user. */
  notSent: string[];
  /** For job backfills: which location and repository were chosen, and why. */
  location?: JobPartitionSetChoice;
}

export interface RemoteLaunchResult extends RemoteLaunchPlan {
  backfillId: string;
  /** Run ids when the server submitted runs inside the request; null when its daemon will. */
  launchedRunIds: string[] | null;
}

function launchOptions(caps: ServerCapabilities, request: LaunchOptions, params: Record<string, unknown>, notSent: string[]): void {
  const tags = Object.entries(request.tags ?? {});
  if (tags.length > 0) {
    if (caps.launchParams.has('tags')) params.tags = tags.map(([key, value]) => ({ key, value }));
    else notSent.push('tags');
  }
  for (const field of ['title', 'description'] as const) {
    if (request[field] === undefined || request[field] === '') continue;
    if (caps.launchParams.has(field)) params[field] = request[field];
    else notSent.push(field);
  }
}

export function assetBackfillPlan(caps: ServerCapabilities, request: AssetBackfillRequest): RemoteLaunchPlan {
  const params: Record<string, unknown> = {};
  const notSent: string[] = [];
  if (request.ranges && request.ranges.length > 0 && caps.partitionsByAssets) {
    params.partitionsByAssets = request.ranges.map((r) => ({ assetKey: { path: r.assetKey }, partitions: { range: { start: r.start, end: r.end } } }));
  } else {
    params.assetSelection = request.assetKeys.map((path) => ({ path }));
    params.partitionNames = request.partitionNames;
  }
  launchOptions(caps, request, params, notSent);
  return { backfillParams: params, notSent };
}

export function jobBackfillPlan(caps: ServerCapabilities, request: JobBackfillRequest, location: JobPartitionSetChoice): RemoteLaunchPlan {
  const params: Record<string, unknown> = { selector: location.selector, partitionNames: request.partitionNames };
  if (request.fromFailure) params.fromFailure = true;
  const notSent: string[] = [];
  launchOptions(caps, request, params, notSent);
  return { backfillParams: params, notSent, location };
}

/** The launch answer as a user-facing error, naming what the 1.2-era server's bare PythonErrors mean. */
export function launchFailure(client: DagsterGraphqlClient, member: unknown, params: Record<string, unknown>): DagsterDeploymentError | undefined {
  const failure = unionFailure(client, member, 'LaunchBackfillSuccess', 'launch the backfill');
  if (!failure) return undefined;
  const m = member as { __typename?: string; message?: string; className?: string };
  const selector = params.selector as { partitionSetName: string; repositorySelector: { repositoryName: string; repositoryLocationName: string } } | undefined;
  const where = selector ? ` in location "${selector.repositorySelector.repositoryLocationName}", repository "${selector.repositorySelector.repositoryName}"` : '';
  const said = ` Nothing was launched. (Dagster: ${(m.message ?? '').trim()})`;
  if (m.__typename === 'PartitionSetNotFoundError') return client.error('not-found', `partition set "${selector?.partitionSetName}" not found${where}: the deployed code differs from the workspace's. Deploy it or refresh the deployment's definitions.${said}`);
  if (m.className === 'DagsterRepositoryLocationNotFoundError') return client.error('not-found', `no code location "${selector?.repositorySelector.repositoryLocationName}" on the deployment. Choose one of its locations.${said}`);
  if (m.className === 'KeyError' && selector) return client.error('not-found', `location "${selector.repositorySelector.repositoryLocationName}" has no repository "${selector.repositorySelector.repositoryName}".${said}`);
  if (m.className === 'StopIteration' && params.assetSelection) return client.error('not-found', `an asset key of the selection (${(params.assetSelection as { path: string[] }[]).map((k) => k.path.join('/')).join(', ')}) is not defined on the deployment. Deploy the code that defines it.${said}`);
  if (/Permission launch_partition_backfill was never checked/.test(m.message ?? '')) {
    return client.error('refused', `Dagster failed before it could start the backfill (it reports that as a permission check never made): the request is one this server version cannot run, e.g. a synchronous asset backfill or no partition set nor assets.${said}`);
  }
  return new DagsterDeploymentError(failure.kind, failure.deployment, `${failure.message} Nothing was launched.`);
}
