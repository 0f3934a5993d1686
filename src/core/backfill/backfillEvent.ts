// What happened to a backfill, as the engine reports it (launch, pause, cancel, a run's failure, the end), and its one line
// for a log: the extension's Output channel writes these, so a user can tell afterwards what ran, where and why it stopped.
import { countRuns, type BackfillRecord, type RunRecord } from './backfill';
import { runCountsSummary } from './runCountsSummary';

/** Where an action took effect: in this process, through the store for the live process that runs it, or on an orphan. */
export type ActionPlace = 'here' | 'owner' | 'orphan';

export type BackfillEvent =
  | { kind: 'launched'; backfill: BackfillRecord; runs: number; parentId?: string }
  | { kind: 'adopted'; backfill: BackfillRecord }
  | { kind: 'resumed'; backfillId: string; where: ActionPlace }
  | { kind: 'paused'; backfillId: string; where: ActionPlace }
  | { kind: 'canceling'; backfillId: string; where: ActionPlace }
  | { kind: 'runFailed'; backfillId: string; run: Pick<RunRecord, 'id' | 'target' | 'partitionKey' | 'error'>; attempt: number; retrying: boolean }
  | { kind: 'failedBeforeLaunch'; backfillId: string; error: string }
  | { kind: 'relinquished'; backfillId: string; reason: string }
  | { kind: 'ended'; backfill: BackfillRecord; runs: readonly RunRecord[] };

export type BackfillEventLevel = 'info' | 'warn' | 'error';

const ELSEWHERE: Record<ActionPlace, string> = {
  here: '',
  owner: ' (asked the process that runs it, through the state file)',
  orphan: ' (its process had ended)',
};

/** The log line of an event, and how loud it is. */
export function describeBackfillEvent(e: BackfillEvent): { level: BackfillEventLevel; message: string } {
  switch (e.kind) {
    case 'launched': {
      const b = e.backfill;
      const from = e.parentId ? `, a re-execution of ${e.parentId}` : '';
      return { level: 'info', message: `launched backfill ${b.id}${from}: ${plural(e.runs, 'run')} covering ${plural(b.partitionCount, 'partition')} of ${b.targets.join(', ')} (${b.selection || 'unpartitioned'})` };
    }
    case 'adopted':
      return { level: 'info', message: `adopted backfill ${e.backfill.id} (${e.backfill.targets.join(', ')} ${e.backfill.selection}): its process had ended; it runs on in this process` };
    case 'resumed':
      return { level: 'info', message: `resumed backfill ${e.backfillId}${ELSEWHERE[e.where]}` };
    case 'paused':
      return { level: 'info', message: `paused backfill ${e.backfillId}${ELSEWHERE[e.where]}: running runs finish, nothing new starts` };
    case 'canceling':
      return { level: 'info', message: `canceling backfill ${e.backfillId}${ELSEWHERE[e.where]}` };
    case 'runFailed': {
      const r = e.run;
      const what = `run ${r.id} of backfill ${e.backfillId} (${r.target}${r.partitionKey ? ` ${r.partitionKey}` : ''})`;
      const why = r.error ?? 'no reason given';
      return e.retrying
        ? { level: 'warn', message: `${what}: attempt ${e.attempt} failed, retrying: ${why}` }
        : { level: 'error', message: `${what} failed${e.attempt > 1 ? ` after ${e.attempt} attempts` : ''}: ${why}` };
    }
    case 'failedBeforeLaunch':
      return { level: 'error', message: `backfill ${e.backfillId} failed before launching any run: ${e.error}` };
    case 'relinquished':
      return { level: 'warn', message: `backfill ${e.backfillId} stopped here: ${e.reason}` };
    case 'ended': {
      const b = e.backfill;
      const words: Record<string, string> = { COMPLETED_SUCCESS: 'succeeded', COMPLETED_FAILED: 'completed with failures', FAILED: 'failed', CANCELED: 'was canceled' };
      const level: BackfillEventLevel = b.status === 'COMPLETED_SUCCESS' || b.status === 'CANCELED' ? 'info' : 'warn';
      return { level, message: `backfill ${b.id} ${words[b.status] ?? b.status}: ${runCountsSummary(countRuns(e.runs), { succeededWord: true })}${b.error ? ` (${b.error})` : ''}` };
    }
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
