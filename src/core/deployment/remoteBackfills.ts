// Backfills that run on a Dagster deployment, as the state store records them: planned and launched there, recorded
// here only once the server said LaunchBackfillSuccess, refreshed, canceled, resumed and re-executed by local id.
import { TERMINAL_BACKFILL_STATUSES, type BackfillRecord, type BackfillStatus, type RemoteBackfillOrigin } from '../backfill/backfill';
import { newBackfillId } from '../backfill/backfillDaemon';
import { BackfillPlanError } from '../backfill/backfillPlan';
import type { StateStore } from '../storage/stateStore';
import { deploymentBaseUrl, type DagsterDeployment, type DagsterGraphqlClientOptions } from './dagsterGraphqlClient';
import { DeploymentBackfills, type ReexecutionStrategy } from './deploymentBackfills';
import { FINISHED_RUN_STATUSES, isBackfillSettled, partitionsWithoutRun, type RemoteBackfill } from './remoteBackfill';
import type { AssetBackfillRequest, JobBackfillRequest, RemoteLaunchPlan } from './remoteBackfillLaunch';

export interface RemoteBackfillsOptions {
  store: () => Promise<StateStore>;
  /** The deployment's token (extension: SecretStorage; CLI: the environment); asked on each connect, never stored. */
  token: (deployment: DagsterDeployment) => Promise<string | undefined>;
  origin: 'cli' | 'extension';
  now?: () => number;
  clientOptions?: DagsterGraphqlClientOptions;
}

/** What a launch records beside the server's id: the same fields a local backfill shows. */
export interface RemoteLaunchRecord {
  targets: string[];
  partitionCount: number;
  selection: string;
  tags?: Record<string, string>;
}

const FAILED_RUN = new Set(['FAILURE', 'CANCELED']);

/**
 * Dagster's BulkActionStatus of a remote backfill as a local BackfillStatus. FAILING is still in progress; a 1.2
 * COMPLETED only means its runs were submitted, so it is judged by its runs once they have all ended; a CANCELED
 * one whose runs still run is CANCELING; anything else not settled is REQUESTED.
 */
export function localBackfillStatus(remote: RemoteBackfill): BackfillStatus {
  if (!isBackfillSettled(remote)) return remote.status === 'CANCELED' || remote.status === 'CANCELING' ? 'CANCELING' : 'REQUESTED';
  switch (remote.status) {
    case 'CANCELED': return 'CANCELED';
    case 'FAILED': return 'FAILED';
    case 'COMPLETED_SUCCESS': return 'COMPLETED_SUCCESS';
    case 'COMPLETED_FAILED': return 'COMPLETED_FAILED';
    default: {
      const runFailed = (remote.runs ?? []).some((r) => FAILED_RUN.has(r.status))
        || (remote.partitionStatuses ?? []).some((p) => p.runStatus !== undefined && FAILED_RUN.has(p.runStatus))
        || remote.partitionStatusCounts.some((c) => FAILED_RUN.has(c.runStatus) && c.count > 0)
        || (remote.assetStatuses ?? []).some((a) => (a.kind === 'partitioned' ? a.failed > 0 : a.failed))
        || partitionsWithoutRun(remote).length > 0;
      return runFailed ? 'COMPLETED_FAILED' : 'COMPLETED_SUCCESS';
    }
  }
}

/**
 * The status word source for any record: Dagster's own status of a remote backfill (so FAILING reads "Failing"),
 * except a 1.2 COMPLETED, which says only that runs were submitted: there the local reading of its runs speaks.
 */
export function recordBulkActionStatus(record: BackfillRecord): string {
  const said = record.remote?.status;
  return said === undefined || said === 'COMPLETED' ? record.status : said;
}

/** The deployment a record's backfill runs on, from the record alone (its url outlives a changed setting). */
export function recordDeployment(record: BackfillRecord): DagsterDeployment {
  if (!record.remote) throw new BackfillPlanError(`backfill ${record.id} runs on this machine, not on a Dagster deployment`);
  return { name: record.remote.deployment, url: record.remote.url, kind: record.remote.kind };
}

export class RemoteBackfills {
  private readonly connections = new Map<string, DeploymentBackfills>();

  constructor(private readonly options: RemoteBackfillsOptions) {}

  /** One DeploymentBackfills per deployment url, kind and token, so capabilities are introspected once. */
  async connect(deployment: DagsterDeployment): Promise<DeploymentBackfills> {
    const token = deployment.token ?? await this.options.token(deployment);
    const key = JSON.stringify([deploymentBaseUrl(deployment), deployment.kind, deployment.name, token ?? null]);
    let connection = this.connections.get(key);
    if (!connection) {
      const { token: _given, ...rest } = deployment;
      connection = new DeploymentBackfills(token ? { ...rest, token } : rest, this.options.clientOptions ?? {});
      this.connections.set(key, connection);
    }
    return connection;
  }

  async planAsset(deployment: DagsterDeployment, request: AssetBackfillRequest): Promise<RemoteLaunchPlan> {
    return (await this.connect(deployment)).planAssetBackfill(request);
  }

  async planJob(deployment: DagsterDeployment, request: JobBackfillRequest): Promise<RemoteLaunchPlan> {
    return (await this.connect(deployment)).planJobBackfill(request);
  }

  /** Sends the plan; only on LaunchBackfillSuccess is the backfill recorded (a refusal or failure records nothing). */
  async launch(deployment: DagsterDeployment, plan: RemoteLaunchPlan, record: RemoteLaunchRecord): Promise<BackfillRecord> {
    const launched = await (await this.connect(deployment)).launch(plan);
    return this.record(deployment, launched.backfillId, record);
  }

  /** Reads the server's backfill and stores what it says: local status, Dagster's status, end and error. */
  async refresh(localId: string): Promise<{ record: BackfillRecord; remote: RemoteBackfill }> {
    const { store, record, backfills } = await this.remoteRecord(localId);
    const remote = await backfills.getBackfill(record.remote!.backfillId);
    return { record: await this.store(store, record, remote), remote };
  }

  /** Asks the deployment to cancel, then reads back what it did (a failed read keeps CANCELING until the next refresh). */
  async cancel(localId: string): Promise<BackfillRecord> {
    const { store, record, backfills } = await this.remoteRecord(localId);
    if (TERMINAL_BACKFILL_STATUSES.has(record.status)) {
      throw new BackfillPlanError(`backfill ${localId} already ended on deployment ${record.remote!.deployment} (${record.remote!.status ?? record.status}); there is nothing to cancel`);
    }
    await backfills.cancelBackfill(record.remote!.backfillId);
    return this.afterRequest(store, record, backfills, 'CANCELING');
  }

  async resume(localId: string): Promise<BackfillRecord> {
    const { store, record, backfills } = await this.remoteRecord(localId);
    await backfills.resumeBackfill(record.remote!.backfillId);
    return this.afterRequest(store, record, backfills, 'REQUESTED');
  }

  /** A new remote backfill over the parent's targets (all, or from failure), recorded with parentId. */
  async reexecute(localId: string, strategy: ReexecutionStrategy): Promise<BackfillRecord> {
    const { record: parent } = await this.refresh(localId);
    if (!TERMINAL_BACKFILL_STATUSES.has(parent.status)) {
      throw new BackfillPlanError(`Cannot re-execute backfill ${localId} because it is still in progress on deployment ${parent.remote!.deployment}.`);
    }
    const deployment = recordDeployment(parent);
    const result = await (await this.connect(deployment)).reexecuteBackfill(parent.remote!.backfillId, strategy);
    const names = result.backfillParams.partitionNames;
    return this.record(deployment, result.backfillId, {
      targets: parent.targets,
      partitionCount: Array.isArray(names) ? names.length : parent.partitionCount,
      selection: parent.selection,
      ...(parent.tags ? { tags: parent.tags } : {}),
    }, localId);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async record(deployment: DagsterDeployment, backfillId: string, fields: RemoteLaunchRecord, parentId?: string): Promise<BackfillRecord> {
    const store = await this.options.store();
    const now = this.now();
    const remote: RemoteBackfillOrigin = { deployment: deployment.name, url: deployment.url, kind: deployment.kind, backfillId, status: 'REQUESTED', checkedAt: now };
    const record: BackfillRecord = {
      id: newBackfillId(), status: 'REQUESTED', targets: fields.targets, partitionCount: fields.partitionCount, origin: this.options.origin,
      createdAt: now, endedAt: null, selection: fields.selection,
      ...(parentId ? { parentId } : {}),
      ...(fields.tags && Object.keys(fields.tags).length > 0 ? { tags: { ...fields.tags } } : {}),
      remote,
    };
    store.createBackfill(record, []);
    await store.flush();
    return { ...record, remote: { ...remote } };
  }

  private async remoteRecord(localId: string): Promise<{ store: StateStore; record: BackfillRecord; backfills: DeploymentBackfills }> {
    const store = await this.options.store();
    await store.reloadIfChanged();
    const record = store.getBackfill(localId);
    if (!record) throw new BackfillPlanError(`no backfill with id ${localId}`);
    return { store, record, backfills: await this.connect(recordDeployment(record)) };
  }

  private async store(store: StateStore, record: BackfillRecord, remote: RemoteBackfill): Promise<BackfillRecord> {
    const status = localBackfillStatus(remote);
    const ended = TERMINAL_BACKFILL_STATUSES.has(status);
    const lastRunEnd = Math.max(0, ...(remote.runs ?? []).filter((r) => FINISHED_RUN_STATUSES.has(r.status)).map((r) => r.endTime ?? 0));
    const endedAt = !ended ? null : record.endedAt ?? (remote.endTimestamp ? Math.round(remote.endTimestamp * 1000) : lastRunEnd > 0 ? Math.round(lastRunEnd * 1000) : this.now());
    // Dagster keeps a backfill's error after a resume; it is the backfill's error only while it is not going well.
    const error = remote.error && (status === 'FAILED' || status === 'COMPLETED_FAILED' || remote.status === 'FAILING') ? remote.error.message : null;
    const origin: RemoteBackfillOrigin = { ...record.remote!, status: remote.status, checkedAt: this.now() };
    if (record.status !== status || record.endedAt !== endedAt) store.updateBackfillStatus(record.id, status, endedAt);
    if ((record.error ?? null) !== error) store.setBackfillError(record.id, error);
    store.setBackfillRemote(record.id, origin);
    await store.flush();
    const updated: BackfillRecord = { ...record, status, endedAt, remote: origin };
    if (error === null) delete updated.error;
    else updated.error = error;
    return updated;
  }

  private async afterRequest(store: StateStore, record: BackfillRecord, backfills: DeploymentBackfills, assumed: BackfillStatus): Promise<BackfillRecord> {
    try {
      return await this.store(store, record, await backfills.getBackfill(record.remote!.backfillId));
    } catch {
      // The request itself was accepted: what the server made of it is read at the next refresh.
      store.updateBackfillStatus(record.id, assumed, null);
      await store.flush();
      return { ...record, status: assumed, endedAt: null };
    }
  }
}
