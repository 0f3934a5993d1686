// define_asset_job(name, selection, ..., partitions_def=...): a job over selected assets, partitions checked later.
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import type { DefinitionDiagnostic, JobDefinition, SourceLocation } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError } from './pythonExpression';
import { stringArg } from './assetFromDecorator';
import { partitionsOrDiagnostic } from './partitionsOrDiagnostic';
import type { AssetSelection } from './assetSelection';
import { assetSelectionFromPython, selectAssets } from './assetSelection';
import type { AssetDefinition } from './definition';
import { partitionsDefinitionsEqual } from '../partitions/mappings/partitionMapping';

/** A define_asset_job job before its selection is applied to the code location's assets. */
export interface AssetJob {
  job: JobDefinition;
  /** null when the selection could not be read (a diagnostic says why). */
  selection: AssetSelection | null;
  /** The partitions_def given to define_asset_job, if any. */
  explicitPartitions: PartitionsDefinition | null;
}

type Call = Extract<PythonValue, { kind: 'call' }>;

export function assetJobFromCall(ctx: DecoratedDefinitionContext, call: Call): AssetJob {
  const arg = (name: string, position: number) => {
    const found = call.kwargs.find((k) => k.name === name)?.value ?? (position >= 0 ? call.args[position] : undefined);
    return found && found.kind !== 'none' ? found : undefined;
  };
  const location = ctx.module.locate(call.from);
  const nameValue = arg('name', 0);
  const name = guarded(ctx, null, () => {
    if (!nameValue) throw new PythonEvaluationError(call.from, 'define_asset_job() needs a name');
    return stringArg(ctx, nameValue, 'name') ?? null;
  });
  const selection = guarded(ctx, null, () => assetSelectionFromPython(ctx, arg('selection', 1)));
  const explicitPartitions = partitionsOrDiagnostic(ctx, arg('partitions_def', -1), 'partitions_def');
  return {
    job: { kind: 'job', name: name ?? `<define_asset_job at line ${location.line}>`, location, partitions: explicitPartitions },
    selection,
    explicitPartitions,
  };
}

/**
 * The job's partitions among the code location's assets, as Dagster decides them: the given partitions_def
 * must match every selected partitioned executable asset; without one, they must all share one definition.
 */
export function resolveAssetJobPartitions(assetJob: AssetJob, assets: readonly AssetDefinition[], executable: (a: AssetDefinition) => boolean, diagnostics: DefinitionDiagnostic[]): PartitionsDefinition | null {
  const { job } = assetJob;
  const at: SourceLocation = job.location;
  if (!assetJob.selection) return assetJob.explicitPartitions;
  const missing: string[][] = [];
  const selected = selectAssets(assetJob.selection, assets, missing);
  if (missing.length > 0) {
    diagnostics.push({ location: at, severity: 'error', message:
      `AssetKey(s) ${pythonList(missing.map((k) => k.join('/')))} were selected, but no AssetsDefinition objects supply these keys. Make sure all keys are spelled correctly, and all AssetsDefinitions are correctly added to the \`Definitions\`.` });
  }
  const partitioned = selected.filter((a) => executable(a) && a.partitions !== null);
  if (assetJob.explicitPartitions) {
    for (const a of partitioned) {
      if (!partitionsDefinitionsEqual(a.partitions as PartitionsDefinition, assetJob.explicitPartitions)) {
        diagnostics.push({ location: at, severity: 'error', message:
          `Executable asset ${a.key.join('/')} has a different partitions definition than the one specified for the job. Specifed partitions definition: ${assetJob.explicitPartitions.describe()}. Asset partitions definition: ${(a.partitions as PartitionsDefinition).describe()}.` });
      }
    }
    return assetJob.explicitPartitions;
  }
  const distinct: PartitionsDefinition[] = [];
  for (const a of partitioned) if (!distinct.some((d) => partitionsDefinitionsEqual(d, a.partitions as PartitionsDefinition))) distinct.push(a.partitions as PartitionsDefinition);
  if (distinct.length > 1) {
    const listing = partitioned.map((a) => `${a.key.join('/')}: ${(a.partitions as PartitionsDefinition).describe()}`).join('; ');
    diagnostics.push({ location: at, severity: 'error', message:
      `Selected assets must have the same partitions definitions, but the selected assets have different partitions definitions: ${listing}` });
    return null;
  }
  return distinct[0] ?? null;
}

function pythonList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
