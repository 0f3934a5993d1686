// The engine the daemon tests drive: a BackfillDaemon over one store kind, running command targets (real
// processes) with a manual clock, and a planner over a range of those targets.
import assert from 'node:assert/strict';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { CommandRunLauncher } from '../../../src/core/coordinator/commandRunLauncher';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { ManualClock } from '../coordinator/manualClock';
import type { StateStoreKind } from './stateStoreKinds';

export async function commandTargetEngine(kind: StateStoreKind, now: Date, targets: CommandTarget[], maxConcurrent: number) {
  const clock = new ManualClock(now);
  const store = await kind.open(() => clock.now().getTime());
  const launcher = new CommandRunLauncher({ workspaceRoot: '/', targets: new Map(targets.map((t) => [t.name, t])), killGraceMs: 500 });
  const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(maxConcurrent, (e) => assert.fail(String(e))), launcher, clock, origin: 'test' });
  const plan = (from: string, to: string) => planBackfill(targets, { kind: 'range', from, to }, now);
  return { store, daemon, plan };
}
