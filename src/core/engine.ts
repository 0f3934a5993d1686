// The engine's surface for the extension, bundled as dist/engine.js so the extension loads it on first need.
export { BackfillWorkspace } from './workspace/backfillWorkspace';
export type { BackfillEngine, BackfillWorkspaceOptions } from './workspace/backfillWorkspace';
export { BackfillPlanError } from './backfill/planBackfill';
// Partition statuses read from a Dagster deployment (backfillStudio.statusDeployment).
export { deploymentPartitionStatusMap, deploymentStatusLensTitle, deploymentStatusSourceText } from './deployment/deploymentStatusSource';
export { WorkerDiscovery } from './workspace/workerDiscovery';
export { describeBackfillEvent } from './backfill/backfillEvent';
export { RemoteBackfills, localBackfillStatus, recordBulkActionStatus, recordDeployment } from './deployment/remoteBackfills';
export type { RemoteBackfillsOptions, RemoteLaunchRecord } from './deployment/remoteBackfills';
export { readDagsterDeployments, findDagsterDeployment } from './deployment/dagsterDeployments';
export type { DagsterDeploymentsReading } from './deployment/dagsterDeployments';
export { DagsterDeploymentError, dagsterRunUrl, deploymentBaseUrl } from './deployment/dagsterGraphqlClient';
export type { DagsterDeployment, DagsterDeploymentErrorKind, DagsterGraphqlClientOptions } from './deployment/dagsterGraphqlClient';
export { DeploymentBackfills } from './deployment/deploymentBackfills';
export type { ReexecutionStrategy, RemoteReexecution } from './deployment/deploymentBackfills';
export { RemoteBackfillFollower } from './deployment/remoteBackfillFollower';
export type { RemoteBackfillFollowerOptions } from './deployment/remoteBackfillFollower';
export { isBackfillSettled, partitionsWithoutRun } from './deployment/remoteBackfill';
export type { AssetBackfillStatus, BulkActionStatus, DagsterRunStatus, RemoteBackfill, RemoteRun } from './deployment/remoteBackfill';
export type { AssetBackfillRequest, AssetPartitionRange, JobBackfillRequest, RemoteLaunchPlan, RemoteLaunchResult } from './deployment/remoteBackfillLaunch';
export type { DeploymentAssetPartitionStatuses } from './deployment/deploymentPartitionStatuses';
