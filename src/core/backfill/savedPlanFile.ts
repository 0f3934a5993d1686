// The file `backfill plan --save` writes and `backfill asset --plan` launches: the request and its exact plan.
import { BackfillPlanError, type BackfillPlan, type ReprocessMode } from './backfillPlan';
import type { PartitionSelection } from './partitionSelection';

export interface PlanRequest {
  /** Selection items as typed (names, possibly with `*` / `+`). */
  targets: string[];
  selection: PartitionSelection;
  reprocess: ReprocessMode;
  /** The code location the targets are chosen from (Dagster's -l/--location), when names alone are ambiguous. */
  location?: string;
}

export interface SavedPlanFile {
  format: 'backfill-studio-plan';
  version: 1;
  request: PlanRequest;
  plan: BackfillPlan;
}

export function savedPlanText(request: PlanRequest, plan: BackfillPlan): string {
  const file: SavedPlanFile = { format: 'backfill-studio-plan', version: 1, request, plan };
  return JSON.stringify(file);
}

export function parseSavedPlan(text: string, where: string): SavedPlanFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BackfillPlanError(`${where} is not a saved plan: ${(e as Error).message}`);
  }
  const v = value as Partial<SavedPlanFile> | null;
  if (!v || v.format !== 'backfill-studio-plan') throw new BackfillPlanError(`${where} is not a saved plan (written by \`backfill plan --save FILE\`)`);
  if (v.version !== 1) throw new BackfillPlanError(`${where} is a version ${String(v.version)} plan; this version reads version 1`);
  if (!v.request || !v.plan || !Array.isArray(v.plan.runs) || typeof v.plan.inputsHash !== 'string') throw new BackfillPlanError(`${where} is damaged: its request or plan is missing`);
  return v as SavedPlanFile;
}

/** Launching a saved plan is refused unless planning the same request again, as of the same time, gives the same inputs. */
export function assertPlanCurrent(saved: SavedPlanFile, replanned: BackfillPlan, where: string): void {
  if (saved.plan.inputsHash !== replanned.inputsHash) {
    throw new BackfillPlanError(
      `the plan in ${where} is out of date: the definitions, partition mappings, policies or partition statuses it was made from (at ${saved.plan.plannedAt}) have changed; plan again with \`backfill plan ... --save ${where}\``,
    );
  }
}
