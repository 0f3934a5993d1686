// The extension's code only a command or a panel needs: bundled apart (dist/onDemand.js) and required on first use, so activation does not even parse it.
export { CommandTargets } from './commandTargets';
export { addDagsterDeployment, manageDeploymentToken } from './deploymentCommands';
export * as launchBackfillCommand from './launchBackfillCommand';
export { openRunLog } from './openRunLogCommand';
export { BackfillDetailsPanel } from './panels/backfillDetailsPanel';
export { BackfillsOverviewPanel } from './panels/backfillsOverviewPanel';
export { LaunchPanel } from './panels/launchPanel';
export { PartitionsPanel } from './panels/partitionsPanel';
export { cancelRemoteBackfill, rerunRemoteBackfill } from './remoteBackfillCommands';
export { followRemoteBackfills, RemoteBackfillFollows } from './remoteBackfillFollows';
export { selectPythonInterpreter } from './selectPythonInterpreterCommand';
export { showPartitions } from './showPartitionsCommand';
