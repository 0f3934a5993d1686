// The local daemon's refusal to act on a backfill that runs on a Dagster deployment: its runs are the deployment's,
// so a local cancel, pause, resume, re-execute or adoption would act on nothing (or launch it here twice).
import type { BackfillRecord } from '../backfill/backfill';
import { BackfillPlanError } from '../backfill/backfillPlan';
import type { StateStore } from '../storage/stateStore';

export type LocalBackfillAction = 'cancel' | 'pause' | 'resume' | 're-execute' | 'adopt';

/** Throws a BackfillPlanError naming the deployment when `record` is a remote backfill. */
export function assertLocalBackfill(record: Pick<BackfillRecord, 'id' | 'remote'>, action: LocalBackfillAction): void {
  const remote = record.remote;
  if (!remote) return;
  const where = `backfill ${record.id} runs on deployment ${remote.deployment} (${remote.url}) as its backfill ${remote.backfillId}, not on this machine`;
  if (action === 'pause') throw new BackfillPlanError(`${where}: Dagster has no pause; cancel it there (backfill cancel ${record.id}) and resume it later`);
  if (action === 'adopt') throw new BackfillPlanError(`${where}: the deployment's daemon runs it, so it cannot be adopted here`);
  throw new BackfillPlanError(`${where}: ${action} it there (backfill ${action === 're-execute' ? 'reexecute' : action} ${record.id} sends it to the deployment), not with this machine's runner`);
}

/** The stored record of a backfill the local daemon is asked to act on: refused when there is none, or when it is remote. */
export function storedLocalBackfill(store: Pick<StateStore, 'getBackfill'>, backfillId: string, action: LocalBackfillAction): BackfillRecord {
  const record = store.getBackfill(backfillId);
  if (!record) throw new BackfillPlanError(`no backfill with id ${backfillId}`);
  assertLocalBackfill(record, action);
  return record;
}
