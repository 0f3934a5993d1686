// The backfill operations on one Dagster deployment: launch (asset or job), follow, list, cancel, resume and
// re-execute, each sending only what the server's schema has (capabilities read once, on first use).
import { DagsterDeployment, DagsterGraphqlClient, DagsterGraphqlClientOptions, unionFailure } from './dagsterGraphqlClient';
import { chooseJobPartitionSet, DeploymentCodeLocation, DeploymentRepository, listCodeLocations, listRepositories } from './deploymentDefinitions';
import { assetPartitionStatuses, DeploymentAssetPartitionStatuses, unknownPartitionKeys } from './deploymentPartitionStatuses';
import {
  CANCEL_PARTITION_BACKFILL_MUTATION, LAUNCH_PARTITION_BACKFILL_MUTATION, partitionBackfillQuery, partitionBackfillsQuery,
  REEXECUTE_PARTITION_BACKFILL_MUTATION, RESUME_PARTITION_BACKFILL_MUTATION, splitsBackfillKinds,
} from './remoteBackfillQueries';
import { BulkActionStatus, RemoteBackfill, remoteBackfillFromGraphql } from './remoteBackfill';
import { AssetBackfillRequest, assetBackfillPlan, JobBackfillRequest, jobBackfillPlan, launchFailure, RemoteLaunchPlan, RemoteLaunchResult } from './remoteBackfillLaunch';
import { detectServerCapabilities, ServerCapabilities } from './serverCapabilities';

export type ReexecutionStrategy = 'FROM_FAILURE' | 'ALL_STEPS';

export interface RemoteReexecution extends RemoteLaunchResult {
  /** How the server was asked: its own mutation, or a new launch where it has none (Dagster 1.2). */
  method: 'reexecutePartitionBackfill' | 'launchPartitionBackfill';
}

export class DeploymentBackfills {
  readonly client: DagsterGraphqlClient;
  private capabilities: Promise<ServerCapabilities> | undefined;
  /** Kinds of backfills seen or launched here: on newer servers a job backfill's query asks for more. */
  private readonly kinds = new Map<string, 'asset' | 'job'>();

  constructor(readonly deployment: DagsterDeployment, options: DagsterGraphqlClientOptions = {}) {
    this.client = new DagsterGraphqlClient(deployment, options);
  }

  /** Introspected once; a failed detection is forgotten so the next call tries again. */
  serverCapabilities(): Promise<ServerCapabilities> {
    this.capabilities ??= detectServerCapabilities(this.client).catch((e: unknown) => { this.capabilities = undefined; throw e; });
    return this.capabilities;
  }

  listCodeLocations(): Promise<DeploymentCodeLocation[]> {
    return listCodeLocations(this.client);
  }

  listRepositories(): Promise<DeploymentRepository[]> {
    return listRepositories(this.client);
  }

  async assetPartitionStatuses(assetKey: string[]): Promise<DeploymentAssetPartitionStatuses> {
    return assetPartitionStatuses(this.client, await this.serverCapabilities(), assetKey);
  }

  /**
   * Unless `checkPartitionKeys` is false, each asset's partition names (or range ends) are checked against the
   * deployment's partitions first: Dagster accepts unknown names at launch and then fails the backfill (assets)
   * or completes it without a run (jobs on 1.2), so the mistake is caught here, before anything is sent.
   */
  async planAssetBackfill(request: AssetBackfillRequest): Promise<RemoteLaunchPlan> {
    const caps = await this.serverCapabilities();
    if (request.checkPartitionKeys !== false) {
      for (const assetKey of request.assetKeys) {
        const statuses = await assetPartitionStatuses(this.client, caps, assetKey);
        const range = request.ranges?.find((r) => r.assetKey.join('/') === assetKey.join('/'));
        const unknown = unknownPartitionKeys(statuses, caps.partitionsByAssets && range ? [range.start, range.end] : request.partitionNames);
        if (unknown.length > 0) {
          const known = statuses.partitionKeysByDimension.map((d) => (d.partitionKeys.length > 0 ? `${d.partitionKeys[0]} … ${d.partitionKeys[d.partitionKeys.length - 1]} (${d.partitionKeys.length})` : 'none')).join(' × ');
          throw this.client.error('not-found', `asset "${assetKey.join('/')}" has no partition ${unknown.slice(0, 5).map((k) => `"${k}"`).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} on the deployment (its partitions: ${known}). Deploy the code whose partitions include them, or choose partitions the deployment has. Nothing was launched.`);
        }
      }
    }
    return assetBackfillPlan(caps, request);
  }

  async planJobBackfill(request: JobBackfillRequest): Promise<RemoteLaunchPlan> {
    const caps = await this.serverCapabilities();
    const location = chooseJobPartitionSet(this.client, await listRepositories(this.client), request.jobName, request.locationName);
    return jobBackfillPlan(caps, request, location);
  }

  async launchAssetBackfill(request: AssetBackfillRequest): Promise<RemoteLaunchResult> {
    return this.launch(await this.planAssetBackfill(request));
  }

  async launchJobBackfill(request: JobBackfillRequest): Promise<RemoteLaunchResult> {
    return this.launch(await this.planJobBackfill(request));
  }

  /** Sends a plan made by planAssetBackfill/planJobBackfill (e.g. the one the preview showed). */
  async launch(plan: RemoteLaunchPlan): Promise<RemoteLaunchResult> {
    const { data } = await this.client.request(LAUNCH_PARTITION_BACKFILL_MUTATION, { backfillParams: plan.backfillParams }, 'BackfillStudioLaunchPartitionBackfill');
    const failure = launchFailure(this.client, data.launchPartitionBackfill, plan.backfillParams);
    if (failure) throw failure;
    const success = data.launchPartitionBackfill as { backfillId: string; launchedRunIds: string[] | null };
    this.kinds.set(success.backfillId, plan.backfillParams.selector ? 'job' : 'asset');
    return { ...plan, backfillId: success.backfillId, launchedRunIds: success.launchedRunIds };
  }

  /** `kind`, when the caller knows it (a stored record), saves a newer server's job backfill a second read. */
  async getBackfill(backfillId: string, kind?: 'asset' | 'job'): Promise<RemoteBackfill> {
    const caps = await this.serverCapabilities();
    if (!splitsBackfillKinds(caps)) return this.readBackfill(caps, backfillId, {});
    const known = kind ?? this.kinds.get(backfillId);
    const backfill = await this.readBackfill(caps, backfillId, { jobBackfill: known === 'job' });
    this.kinds.set(backfillId, backfill.kind);
    // First sight of a job backfill: ask again with its per-partition statuses.
    return known === undefined && backfill.kind === 'job' ? this.readBackfill(caps, backfillId, { jobBackfill: true }) : backfill;
  }

  private async readBackfill(caps: ServerCapabilities, backfillId: string, extra: Record<string, unknown>): Promise<RemoteBackfill> {
    const { data } = await this.client.request(partitionBackfillQuery(caps), { backfillId, ...extra }, 'BackfillStudioPartitionBackfill');
    const member = data.partitionBackfillOrError as { __typename?: string; message?: string } | undefined;
    const notFound = member?.__typename === 'BackfillNotFoundError'
      // Dagster 1.2 has no BackfillNotFoundError: an unknown id fails on None.
      || (member?.__typename === 'PythonError' && /'NoneType' object has no attribute 'backfill_id'/.test(member.message ?? ''));
    if (notFound) throw this.client.error('not-found', `no backfill with id "${backfillId}". It may have been deleted on the deployment, or was launched on another one.`);
    const failure = unionFailure(this.client, member, 'PartitionBackfill', `read backfill "${backfillId}"`);
    if (failure) throw failure;
    return remoteBackfillFromGraphql(member as Record<string, unknown>, caps.backfillIdField);
  }

  async listBackfills(filter: { status?: BulkActionStatus; cursor?: string; limit?: number } = {}): Promise<RemoteBackfill[]> {
    const caps = await this.serverCapabilities();
    if (filter.status !== undefined && !caps.bulkActionStatuses.includes(filter.status)) {
      throw this.client.error('unsupported', `this server (Dagster ${caps.version}) has no backfill status ${filter.status}; it has ${caps.bulkActionStatuses.join(', ')}.`);
    }
    const variables = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const { data } = await this.client.request(partitionBackfillsQuery(caps), variables, 'BackfillStudioPartitionBackfills');
    const failure = unionFailure(this.client, data.partitionBackfillsOrError, 'PartitionBackfills', 'list backfills');
    if (failure) throw failure;
    return (data.partitionBackfillsOrError as { results: Record<string, unknown>[] }).results.map((r) => remoteBackfillFromGraphql(r, caps.backfillIdField));
  }

  /** Asks Dagster to cancel: it stops submitting runs (and, on newer servers, cancels the running ones). */
  async cancelBackfill(backfillId: string): Promise<void> {
    const { data } = await this.client.request(CANCEL_PARTITION_BACKFILL_MUTATION, { backfillId }, 'BackfillStudioCancelPartitionBackfill');
    this.throwMaskedFailure(data.cancelPartitionBackfill, 'CancelBackfillSuccess', 'cancel', backfillId);
  }

  async resumeBackfill(backfillId: string): Promise<void> {
    const { data } = await this.client.request(RESUME_PARTITION_BACKFILL_MUTATION, { backfillId }, 'BackfillStudioResumePartitionBackfill');
    this.throwMaskedFailure(data.resumePartitionBackfill, 'ResumeBackfillSuccess', 'resume', backfillId);
  }

  /**
   * A new backfill over the same targets: the server's reexecutePartitionBackfill where it has one; on older servers
   * a job backfill is launched again with fromFailure, an asset backfill over the same (or only the failed) partitions.
   */
  async reexecuteBackfill(backfillId: string, strategy: ReexecutionStrategy): Promise<RemoteReexecution> {
    const caps = await this.serverCapabilities();
    if (caps.reexecutePartitionBackfill) {
      const { data } = await this.client.request(REEXECUTE_PARTITION_BACKFILL_MUTATION, { reexecutionParams: { parentRunId: backfillId, strategy } }, 'BackfillStudioReexecutePartitionBackfill');
      const failure = launchFailure(this.client, data.reexecutePartitionBackfill, {});
      if (failure) throw failure;
      const success = data.reexecutePartitionBackfill as { backfillId: string; launchedRunIds: string[] | null };
      return { method: 'reexecutePartitionBackfill', backfillParams: { reexecutionParams: { parentRunId: backfillId, strategy } }, notSent: [], backfillId: success.backfillId, launchedRunIds: success.launchedRunIds };
    }
    const parent = await this.getBackfill(backfillId);
    let plan: RemoteLaunchPlan;
    if (parent.kind === 'job') {
      if (!parent.partitionSet) throw this.client.error('not-found', `backfill "${backfillId}"'s partition set is no longer on the deployment, so it cannot be re-executed.`);
      plan = { backfillParams: {
        selector: { partitionSetName: parent.partitionSet.name, repositorySelector: { repositoryName: parent.partitionSet.repositoryName, repositoryLocationName: parent.partitionSet.locationName } },
        partitionNames: parent.partitionNames ?? [], ...(strategy === 'FROM_FAILURE' ? { fromFailure: true } : {}),
      }, notSent: [] };
    } else {
      const failed = (parent.partitionStatuses ?? []).filter((p) => p.runStatus === 'FAILURE' || p.runStatus === 'CANCELED').map((p) => p.partitionName);
      const names = strategy === 'FROM_FAILURE' ? failed : parent.partitionNames ?? [];
      if (names.length === 0) throw this.client.error('refused', `backfill "${backfillId}" has no ${strategy === 'FROM_FAILURE' ? 'failed or canceled ' : ''}partitions to re-execute.`);
      plan = { backfillParams: { assetSelection: parent.assetSelection.map((path) => ({ path })), partitionNames: names }, notSent: [] };
    }
    return { method: 'launchPartitionBackfill', ...(await this.launch(plan)) };
  }

  private throwMaskedFailure(member: unknown, success: string, verb: 'cancel' | 'resume', backfillId: string): void {
    const failure = unionFailure(this.client, member, success, `${verb} backfill "${backfillId}"`);
    if (!failure) return;
    const message = (member as { message?: string }).message ?? '';
    if (/Permission \w+ was never checked/.test(message)) {
      // Dagster 1.2 masks "no such backfill" and "cannot cancel an asset backfill" behind its permission audit.
      throw this.client.error('refused', `Dagster could not ${verb} backfill "${backfillId}": it failed before checking permissions, which this Dagster version does when the backfill does not exist${verb === 'cancel' ? ' or is an asset backfill (it cannot cancel those)' : ''}. Nothing changed. (Dagster: ${message.trim()})`);
    }
    throw failure;
  }
}
