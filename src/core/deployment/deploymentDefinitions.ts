// What a Dagster deployment holds (code locations, repositories, jobs' partition sets, asset nodes), and finding
// the partition set selector of a job there, saying which location was chosen or why none could be.
import { DagsterGraphqlClient, unionFailure } from './dagsterGraphqlClient';
import { REPOSITORIES_QUERY, WORKSPACE_LOCATIONS_QUERY } from './remoteBackfillQueries';

export interface DeploymentCodeLocation {
  name: string;
  loadStatus: 'LOADING' | 'LOADED';
  repositories: string[];
  /** Why the location failed to load, when it did. */
  loadError?: string;
}

export interface DeploymentAssetNode {
  assetKey: string[];
  isPartitioned: boolean;
  jobNames: string[];
  partitionsType?: string;
}

export interface DeploymentRepository {
  name: string;
  locationName: string;
  jobs: { name: string; isAssetJob: boolean }[];
  partitionSets: { name: string; jobName: string }[];
  assetNodes: DeploymentAssetNode[];
}

export interface PartitionSetSelector {
  partitionSetName: string;
  repositorySelector: { repositoryName: string; repositoryLocationName: string };
}

export interface JobPartitionSetChoice {
  selector: PartitionSetSelector;
  /** One sentence for the plan preview, e.g. 'job "x" found in location "a" (repository "__repository__")'. */
  explanation: string;
}

export async function listCodeLocations(client: DagsterGraphqlClient): Promise<DeploymentCodeLocation[]> {
  const { data } = await client.request(WORKSPACE_LOCATIONS_QUERY, {}, 'BackfillStudioWorkspaceLocations');
  const failure = unionFailure(client, data.workspaceOrError, 'Workspace', 'list code locations');
  if (failure) throw failure;
  const entries = (data.workspaceOrError as { locationEntries: { name: string; loadStatus: 'LOADING' | 'LOADED'; locationOrLoadError: { __typename: string; message?: string; repositories?: { name: string }[] } | null }[] }).locationEntries;
  return entries.map((e) => ({
    name: e.name,
    loadStatus: e.loadStatus,
    repositories: (e.locationOrLoadError?.repositories ?? []).map((r) => r.name),
    ...(e.locationOrLoadError?.__typename === 'PythonError' ? { loadError: (e.locationOrLoadError.message ?? '').trim() } : {}),
  }));
}

export async function listRepositories(client: DagsterGraphqlClient): Promise<DeploymentRepository[]> {
  const { data } = await client.request(REPOSITORIES_QUERY, {}, 'BackfillStudioRepositories');
  const failure = unionFailure(client, data.repositoriesOrError, 'RepositoryConnection', 'list repositories');
  if (failure) throw failure;
  type RawRepo = {
    name: string; location: { name: string }; pipelines: { name: string; isJob: boolean; isAssetJob: boolean }[];
    partitionSets: { name: string; pipelineName: string }[];
    assetNodes: { assetKey: { path: string[] }; isPartitioned: boolean; jobNames: string[]; partitionDefinition: { type: string } | null }[];
  };
  return (data.repositoriesOrError as { nodes: RawRepo[] }).nodes.map((r) => ({
    name: r.name,
    locationName: r.location.name,
    jobs: r.pipelines.filter((p) => p.isJob).map((p) => ({ name: p.name, isAssetJob: p.isAssetJob })),
    partitionSets: r.partitionSets.map((s) => ({ name: s.name, jobName: s.pipelineName })),
    assetNodes: r.assetNodes.map((a) => ({
      assetKey: a.assetKey.path, isPartitioned: a.isPartitioned, jobNames: a.jobNames,
      ...(a.partitionDefinition ? { partitionsType: a.partitionDefinition.type } : {}),
    })),
  }));
}

/**
 * The partition set of `jobName` on the deployment. `locationName` (the location the workspace's definitions put the
 * job in) settles a job found in several locations; without it, more than one is an ambiguity error.
 */
export function chooseJobPartitionSet(client: DagsterGraphqlClient, repositories: DeploymentRepository[], jobName: string, locationName?: string): JobPartitionSetChoice {
  const withJob = repositories.filter((r) => r.jobs.some((j) => j.name === jobName));
  if (withJob.length === 0) {
    const locations = [...new Set(repositories.map((r) => r.locationName))];
    throw client.error('not-found', `no job "${jobName}" in any code location (${locations.map((l) => `"${l}"`).join(', ') || 'none loaded'}). Deploy the code that defines it, or check the job name.`);
  }
  const candidates = withJob.flatMap((r) => r.partitionSets.filter((s) => s.jobName === jobName).map((s) => ({ repo: r, set: s })));
  if (candidates.length === 0) {
    throw client.error('not-found', `job "${jobName}" is in ${withJob.map((r) => `location "${r.locationName}"`).join(', ')} but has no partition set there: the deployed job is not partitioned. Deploy the partitioned version first.`);
  }
  let chosen = candidates;
  if (locationName !== undefined) {
    chosen = candidates.filter((c) => c.repo.locationName === locationName);
    if (chosen.length === 0 && candidates.length > 1) {
      throw client.error('ambiguous', `job "${jobName}" is in locations ${candidates.map((c) => `"${c.repo.locationName}"`).join(', ')}, none named "${locationName}". Choose the location to launch in.`);
    }
    if (chosen.length === 0) chosen = candidates;
  }
  if (chosen.length > 1) {
    throw client.error('ambiguous', `job "${jobName}" is in several places: ${chosen.map((c) => `location "${c.repo.locationName}" repository "${c.repo.name}"`).join('; ')}. Choose the location to launch in.`);
  }
  const { repo, set } = chosen[0];
  const note = locationName !== undefined && repo.locationName !== locationName ? ` (the workspace has it in "${locationName}"; the deployment has it only here)` : '';
  return {
    selector: { partitionSetName: set.name, repositorySelector: { repositoryName: repo.name, repositoryLocationName: repo.locationName } },
    explanation: `job "${jobName}" in location "${repo.locationName}", repository "${repo.name}", partition set "${set.name}"${note}`,
  };
}
