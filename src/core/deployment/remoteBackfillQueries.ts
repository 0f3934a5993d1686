// The GraphQL documents the deployment client sends, each built from the server's capabilities so it asks only
// for what that Dagster version defines (fields added in later versions are left out on older servers).
import type { ServerCapabilities } from './serverCapabilities';

export const WORKSPACE_LOCATIONS_QUERY = `
query BackfillStudioWorkspaceLocations {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { name repositories { name } }
          ... on PythonError { message }
        }
      }
    }
    ... on PythonError { message className }
  }
}`;

export const REPOSITORIES_QUERY = `
query BackfillStudioRepositories {
  repositoriesOrError {
    __typename
    ... on RepositoryConnection {
      nodes {
        name
        location { name }
        pipelines { name isJob isAssetJob }
        partitionSets { name pipelineName }
        assetNodes { assetKey { path } isPartitioned jobNames partitionDefinition { type description } }
      }
    }
    ... on PythonError { message className }
  }
}`;

const LAUNCH_RESULT_SELECTION = `
    __typename
    ... on LaunchBackfillSuccess { backfillId launchedRunIds }
    ... on PartitionSetNotFoundError { message }
    ... on PipelineNotFoundError { message }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { pipelineName errors { message } }
    ... on RunConflict { message }
    ... on PresetNotFoundError { message }
    ... on ConflictingExecutionParamsError { message }
    ... on NoModeProvidedError { message }
    ... on UnauthorizedError { message }
    ... on PythonError { message className }`;

export const LAUNCH_PARTITION_BACKFILL_MUTATION = `
mutation BackfillStudioLaunchPartitionBackfill($backfillParams: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $backfillParams) {${LAUNCH_RESULT_SELECTION}
  }
}`;

export const REEXECUTE_PARTITION_BACKFILL_MUTATION = `
mutation BackfillStudioReexecutePartitionBackfill($reexecutionParams: ReexecutionParams!) {
  reexecutePartitionBackfill(reexecutionParams: $reexecutionParams) {${LAUNCH_RESULT_SELECTION}
  }
}`;

export const CANCEL_PARTITION_BACKFILL_MUTATION = `
mutation BackfillStudioCancelPartitionBackfill($backfillId: String!) {
  cancelPartitionBackfill(backfillId: $backfillId) {
    __typename
    ... on CancelBackfillSuccess { backfillId }
    ... on UnauthorizedError { message }
    ... on PythonError { message className }
  }
}`;

export const RESUME_PARTITION_BACKFILL_MUTATION = `
mutation BackfillStudioResumePartitionBackfill($backfillId: String!) {
  resumePartitionBackfill(backfillId: $backfillId) {
    __typename
    ... on ResumeBackfillSuccess { backfillId }
    ... on UnauthorizedError { message }
    ... on PythonError { message className }
  }
}`;

/**
 * Whether the server tells asset from job backfills (`isAssetBackfill`, after 1.2). Such servers compute per-partition
 * run statuses only for job backfills (asset backfills have assetBackfillData instead), and their own UI never asks
 * for them in lists; so lists leave them out and a single backfill asks for them only when it is a job backfill.
 */
export function splitsBackfillKinds(caps: ServerCapabilities): boolean {
  return caps.backfillFields.has('isAssetBackfill');
}

/** The PartitionBackfill fields a list shows; `detail` adds runs and per-partition statuses. */
function backfillSelection(caps: ServerCapabilities, detail: boolean): string {
  const has = (f: string): boolean => caps.backfillFields.has(f);
  const split = splitsBackfillKinds(caps);
  const lines = [
    caps.backfillIdField, 'status', 'timestamp', 'numPartitions', 'partitionNames', 'partitionSetName',
    'partitionSet { name pipelineName repositoryOrigin { repositoryName repositoryLocationName } }',
    'assetSelection { path }', 'fromFailure', 'numCancelable', 'error { message className }',
    'hasCancelPermission', 'hasResumePermission',
  ];
  if (!split) lines.push('partitionStatusCounts { runStatus count }');
  if (has('endTimestamp')) lines.push('endTimestamp');
  if (has('title')) lines.push('title');
  if (has('description')) lines.push('description');
  if (has('tags')) lines.push('tags { key value }');
  if (split) lines.push('isAssetBackfill');
  if (caps.assetBackfillData) {
    lines.push(`assetBackfillData {
      assetBackfillStatuses {
        __typename
        ... on AssetPartitionsStatusCounts { assetKey { path } numPartitionsTargeted numPartitionsInProgress numPartitionsMaterialized numPartitionsFailed }
        ... on UnpartitionedAssetStatus { assetKey { path } inProgress materialized failed }
      }
    }`);
  }
  if (detail) {
    lines.push('runs { runId status jobName startTime endTime tags { key value } }');
    const onlyForJobs = split ? ' @include(if: $jobBackfill)' : '';
    if (split) lines.push(`partitionStatusCounts${onlyForJobs} { runStatus count }`);
    lines.push(`partitionStatuses${onlyForJobs} { results { partitionName runId runStatus } }`);
  }
  return lines.join('\n      ');
}

/** On servers that split kinds, the query takes `$jobBackfill: Boolean!` (see splitsBackfillKinds). */
export function partitionBackfillQuery(caps: ServerCapabilities): string {
  return `
query BackfillStudioPartitionBackfill($backfillId: String!${splitsBackfillKinds(caps) ? ', $jobBackfill: Boolean!' : ''}) {
  partitionBackfillOrError(backfillId: $backfillId) {
    __typename
    ... on PartitionBackfill {
      ${backfillSelection(caps, true)}
    }
    ${caps.backfillNotFoundError ? '... on BackfillNotFoundError { message }' : ''}
    ... on PythonError { message className }
  }
}`;
}

export function partitionBackfillsQuery(caps: ServerCapabilities): string {
  return `
query BackfillStudioPartitionBackfills($status: BulkActionStatus, $cursor: String, $limit: Int) {
  partitionBackfillsOrError(status: $status, cursor: $cursor, limit: $limit) {
    __typename
    ... on PartitionBackfills {
      results {
      ${backfillSelection(caps, false)}
      }
    }
    ... on PythonError { message className }
  }
}`;
}

export function assetPartitionStatusesQuery(caps: ServerCapabilities): string {
  const { time, default: plain, multi } = caps.partitionStatusTypes;
  const plainFields = `materializedPartitions failedPartitions unmaterializedPartitions${caps.materializing ? ' materializingPartitions' : ''}`;
  return `
query BackfillStudioAssetPartitionStatuses($assetKey: AssetKeyInput!) {
  assetNodeOrError(assetKey: $assetKey) {
    __typename
    ... on AssetNode {
      assetKey { path }
      partitionKeysByDimension { name partitionKeys }
      partitionStats { numMaterialized numPartitions numFailed${caps.materializing ? ' numMaterializing' : ''} }
      assetPartitionStatuses {
        __typename
        ... on ${time} { ranges { status startKey endKey } }
        ... on ${plain} { ${plainFields} }
        ... on ${multi} {
          primaryDimensionName
          ranges {
            primaryDimStartKey primaryDimEndKey
            secondaryDim {
              __typename
              ... on ${time} { ranges { status startKey endKey } }
              ... on ${plain} { ${plainFields} }
            }
          }
        }
      }
    }
    ... on AssetNotFoundError { message }
  }
}`;
}
