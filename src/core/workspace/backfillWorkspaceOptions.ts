// BackfillWorkspaceOptions: how the CLI and the extension configure one workspace's engine.
import type { BackfillEvent } from '../backfill/backfillEvent';
import type { RetentionPolicy } from '../backfill/backfillRetention';
import type { Clock } from '../clock';
import type { TagConcurrencyLimit } from '../coordinator/tagConcurrencyLimits';
import type { SourceFiles } from '../definitions/definition';
import type { DefinitionsDiscovery } from '../definitions/definitionsDiscovery';

export interface BackfillWorkspaceOptions {
  root: string;
  /** Relative to root; default ".backfills". */
  stateFolder?: string;
  maxConcurrentRuns?: number;
  /** Dagster's tag_concurrency_limits for every run of this workspace. */
  tagConcurrencyLimits?: TagConcurrencyLimit[];
  /**
   * Prune finished history by this policy once, `delayMs` after the engine starts (the extension). Without it
   * nothing is pruned but by BackfillWorkspace.prune() (the CLI's `backfill prune`).
   */
  pruneOnStart?: { policy: RetentionPolicy; delayMs: number };
  /** Adopt orphaned backfills (their process died) when the engine starts (default true). */
  adoptOrphansOnStart?: boolean;
  origin: string;
  /** The Python interpreter that runs Dagster assets and jobs (default python3); see setPythonInterpreter(). */
  python?: string;
  /** The Dagster runner script (default: runner/backfill_runner.py beside the bundle). */
  runnerScript?: string;
  /**
   * Start command runs through the spawner process (posix_spawn, run by the interpreter), which costs a few
   * times less per run than Node's fork-based spawn (default true; never on Windows).
   */
  commandSpawner?: boolean;
  /**
   * Whether the workspace's code may run now (VS Code: a trusted folder). When false, Dagster's statuses are not
   * read (reading them imports the code location) and dynamic partitions are not changed on the instance.
   */
  mayRunCode?: () => boolean;
  /** Extra environment for the Dagster runner (e.g. PYTHONPATH). */
  runnerEnv?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Where sql-wasm.wasm is; default: beside the bundle. */
  wasmPath?: string;
  files?: SourceFiles;
  /**
   * Where Python discovery runs (default: in this thread, over `files`). The extension passes a WorkerDiscovery so
   * the extension host never parses; its owner disposes it.
   */
  discovery?: DefinitionsDiscovery;
  onError?: (error: unknown) => void;
  /**
   * Problems with the state file the user must hear of: a damaged file moved aside, a write that failed, a file
   * another process kept unwritable past a bound (naming it), change records that could not be applied.
   */
  onStoreProblem?: (message: string) => void;
  /** The end of a problem reported above: the state file that stayed unwritable was written after all. */
  onStoreNotice?: (message: string) => void;
  /** What happens to backfills here (launches, pauses, cancels, failed runs, ends: see backfillEvent.ts), from the daemon's start. */
  onBackfillEvent?: (event: BackfillEvent) => void;
}
