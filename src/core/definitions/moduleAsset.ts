// An asset or job as one module defines it, with where it is defined and how Dagster holds it.
import type { AssetDefinition, JobDefinition } from './definition';
import type { AssetJob } from './assetJobFromPython';
import type { DefinitionOrigin } from './definitionsObject';

export interface ModuleAsset {
  origin: DefinitionOrigin;
  asset: AssetDefinition;
  /** Materializable or observable here (not an AssetSpec/SourceAsset declaration): counts for job partitions. */
  executable: boolean;
  /** In step with `asset.deps`: the parameter loading each dependency as an input, else null (absent: none are). */
  inputs?: readonly (string | null)[];
  /**
   * What Dagster holds at module level: an AssetsDefinition (decorated, or external_assets_from_specs), a
   * SourceAsset, or a bare AssetSpec (which the load_assets_from_* loaders skip unless include_specs=True).
   */
  loadedAs: 'definition' | 'source' | 'spec';
  /** The module-level name it is bound to (a function's name, a variable's), which imports elsewhere refer to. */
  name?: string;
}

export interface ModuleJob {
  origin: DefinitionOrigin;
  job: JobDefinition;
  /** Set for define_asset_job jobs, whose partitions come from their selection. */
  assetJob: AssetJob | null;
}
