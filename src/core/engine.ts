// The engine's surface for the extension, bundled as dist/engine.js so the extension loads it on first need.
export { BackfillWorkspace } from './workspace/backfillWorkspace';
export type { BackfillEngine, BackfillWorkspaceOptions } from './workspace/backfillWorkspace';
export { BackfillPlanError } from './backfill/planBackfill';
// Partition statuses read from a Dagster deployment (backfillStudio.statusDeployment).
export { DeploymentBackfills } from './deployment/deploymentBackfills';
export { readDagsterDeployments } from './deployment/dagsterDeployments';
export { deploymentPartitionStatusMap, deploymentStatusLensTitle, deploymentStatusSourceText } from './deployment/deploymentStatusSource';
export { WorkerDiscovery } from './workspace/workerDiscovery';
export { describeBackfillEvent } from './backfill/backfillEvent';
