// DefinitionsDiscovery: the port through which a workspace discovers its Python definitions, wherever that runs.
import type { DiscoveredDefinitions } from './assembleDefinitions';

/**
 * Where discovery runs is the implementation's choice: in the caller's thread (`InProcessDiscovery`, the CLI's)
 * or in a worker thread (`WorkerDiscovery`, the extension's, so the extension host never parses). Both keep an
 * incremental index between calls.
 */
export interface DefinitionsDiscovery {
  /** Reads the whole workspace afresh. */
  load(): Promise<DiscoveredDefinitions>;
  /** Reads again only `changedPaths` (workspace-relative; deleted files included); loads when nothing was loaded yet. */
  update(changedPaths: readonly string[]): Promise<DiscoveredDefinitions>;
}
