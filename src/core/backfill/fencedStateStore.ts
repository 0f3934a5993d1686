// A view of the state store whose changes stop once its holder lost the backfill to another process (reads go on).
import type { StateStore } from '../storage/stateStore';

const CHANGES: ReadonlySet<PropertyKey> = new Set<keyof StateStore>([
  'createBackfill', 'updateBackfillStatus', 'setBackfillOwner', 'setBackfillPaused', 'setBackfillError', 'setBackfillRemote', 'updateRun',
  'appendRunLog', 'setPartitionStatus', 'setPartitionStatuses', 'savePlan', 'appendRunEvent', 'addDynamicPartitions',
  'deleteDynamicPartition', 'pruneBackfills',
]);

/**
 * An ActiveBackfill writes through this: after another process adopted the backfill (this one stopped
 * answering for longer than an owner counts as alive), whatever its own runs still report must not land on
 * the records the adopter now keeps, so every change is dropped once `fenced()` says so.
 */
export function fencedStateStore(store: StateStore, fenced: () => boolean): StateStore {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (CHANGES.has(property)) return (...args: unknown[]) => (fenced() ? undefined : (value as (...a: unknown[]) => unknown).apply(target, args));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
