// What discovery produces: assets, jobs, command targets and diagnostics, with their source locations.
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';

/** A place in a workspace file: `file` is relative to the workspace root with `/` separators, `line` 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

export interface AssetDependency {
  /** Asset key path, e.g. ["raw", "events"]. */
  key: string[];
  /** Partition mapping as written in the source (e.g. "TimeWindowPartitionMapping(start_offset=-1)"), or null for the default. */
  mapping: string | null;
  /** Where the mapping is written, for diagnostics about it. */
  mappingLocation?: SourceLocation;
}

/** The Dagster code location a definition is loaded by, and what importing it takes. */
export interface DefinitionCodeLocation {
  /** As Dagster names it: pyproject/workspace.yaml name, else the basename of the file `dagster dev -f` loads. */
  name: string;
  /** Folder (workspace-relative, '' for the root) the location is declared in: its import root. */
  root: string;
  /**
   * Workspace-relative Python files whose import loads the location: those holding its Definitions objects,
   * else its entry modules or python_file; empty when every file under `root` is loaded.
   */
  entryFiles: string[];
  /** Dagster's repository name in the location (GraphQL selectors): a @repository's name, else `__repository__`. */
  repositoryName?: string;
}

export interface AssetDefinition {
  kind: 'asset';
  key: string[];
  group: string;
  location: SourceLocation;
  /** Absent for definitions not produced by discovery (tests, hand-built snapshots). */
  codeLocation?: DefinitionCodeLocation;
  partitions: PartitionsDefinition | null;
  deps: AssetDependency[];
  /** Backfill policy as written, e.g. "BackfillPolicy.single_run()", or null. */
  backfillPolicy: string | null;
  /**
   * false for assets Dagster declares or observes but never materializes (SourceAsset, an AssetSpec outside a
   * multi-asset, external_assets_from_specs, @observable_source_asset): upstreams of others, not backfill targets.
   */
  materializable?: false;
}

export interface JobDefinition {
  kind: 'job';
  name: string;
  location: SourceLocation;
  codeLocation?: DefinitionCodeLocation;
  partitions: PartitionsDefinition | null;
  /**
   * Step keys of the ops the job's body invokes, in Dagster's order (`op`, `op_2`, `alias`, `graph.op`); absent
   * when discovery could not follow the body (or for define_asset_job jobs), so runs report them instead.
   */
  steps?: string[];
}

/** A partitioned command declared in backfills.yaml: run without Dagster, one process per partition. */
export interface CommandTarget {
  kind: 'command';
  name: string;
  location: SourceLocation;
  partitions: PartitionsDefinition;
  /** argv template; `{partition_key}`, `{partition_start}`, `{partition_end}`, `{range_start}`, `{range_end}` are substituted per run. */
  command: string[];
  /** Working directory relative to the workspace root ('' for the root). */
  cwd: string;
  env: Record<string, string>;
  deps: string[];
  backfillPolicy: string | null;
  /** Keys and ranges (Dagster selection syntax) a backfill never relaunches; absent when none. */
  protected?: string[];
}

export type Definition = AssetDefinition | JobDefinition | CommandTarget;

export interface DefinitionDiagnostic {
  location: SourceLocation;
  message: string;
  severity: 'error' | 'warning';
}

export interface DefinitionsSnapshot {
  assets: AssetDefinition[];
  jobs: JobDefinition[];
  commandTargets: CommandTarget[];
  diagnostics: DefinitionDiagnostic[];
  /** backfills.yaml's top-level `protected:` map: asset key ("a/b") or job name → protected keys and ranges. */
  protectedPartitions?: Record<string, string[]>;
}

/** Read-only access to the workspace's files (port): the extension backs it with VS Code, the CLI with node:fs. */
export interface SourceFiles {
  /** Workspace-relative `/`-separated paths of files matching one of the suffixes (e.g. [".py"]), skipping hidden folders, node_modules and virtualenvs. */
  list(suffixes: string[]): Promise<string[]>;
  /** File text, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /** The workspace folder's own name: with an `__init__.py` in it, the package its modules are also imported as. */
  readonly folderName?: string;
}

/** The name a definition is selected by: asset key joined with "/", job name or command target name. */
export function definitionName(d: Definition): string {
  return d.kind === 'asset' ? d.key.join('/') : d.name;
}
