// Command and view ids, mirrored by package.json (a unit test keeps the two in step).

export const COMMAND_IDS = {
  launchBackfill: 'backfillStudio.launchBackfill',
  showPartitions: 'backfillStudio.showPartitions',
  showBackfillDetails: 'backfillStudio.showBackfillDetails',
  cancelBackfill: 'backfillStudio.cancelBackfill',
  pauseBackfill: 'backfillStudio.pauseBackfill',
  refreshDefinitions: 'backfillStudio.refreshDefinitions',
  openRunLog: 'backfillStudio.openRunLog',
  filterBackfills: 'backfillStudio.filterBackfills',
  resumeBackfill: 'backfillStudio.resumeBackfill',
  reexecuteBackfill: 'backfillStudio.reexecuteBackfill',
  reexecuteBackfillFromFailure: 'backfillStudio.reexecuteBackfillFromFailure',
  selectPythonInterpreter: 'backfillStudio.selectPythonInterpreter',
  openLaunchPanel: 'backfillStudio.openLaunchPanel',
  showBackfills: 'backfillStudio.showBackfills',
  goToDefinition: 'backfillStudio.goToDefinition',
  addDeployment: 'backfillStudio.addDeployment',
  manageDeploymentToken: 'backfillStudio.manageDeploymentToken',
} as const;

/** The button a missing-dagster message offers (it runs COMMAND_IDS.selectPythonInterpreter). */
export const SELECT_PYTHON_INTERPRETER = 'Select Python Interpreter';

export const VIEW_IDS = {
  definitions: 'backfillStudio.definitions',
  backfills: 'backfillStudio.backfills',
} as const;

export const BACKFILL_DETAILS_VIEW_TYPE = 'backfillStudio.backfillDetails';
export const LAUNCH_PANEL_VIEW_TYPE = 'backfillStudio.launch';
export const BACKFILLS_OVERVIEW_VIEW_TYPE = 'backfillStudio.backfillsOverview';
export const PARTITIONS_VIEW_TYPE = 'backfillStudio.partitions';
