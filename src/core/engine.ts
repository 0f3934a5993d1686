// The engine's surface for the extension, bundled as dist/engine.js so the extension loads it on first need.
export { BackfillWorkspace } from './workspace/backfillWorkspace';
export type { BackfillEngine, BackfillWorkspaceOptions } from './workspace/backfillWorkspace';
export { BackfillPlanError } from './backfill/planBackfill';
export { WorkerDiscovery } from './workspace/workerDiscovery';
export { describeBackfillEvent } from './backfill/backfillEvent';
