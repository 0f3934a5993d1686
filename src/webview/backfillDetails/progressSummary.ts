// The one-line progress text of a backfill, e.g. "28 / 31 runs · 1 failed · 2 running".
import type { BackfillDetailsModel } from '../../shared/protocol';

export function formatProgressSummary(progress: BackfillDetailsModel['progress']): string {
  const parts = [`${progress.done} / ${progress.total} runs`];
  if (progress.failed > 0) parts.push(`${progress.failed} failed`);
  if (progress.inProgress > 0) parts.push(`${progress.inProgress} running`);
  if (progress.queued > 0) parts.push(`${progress.queued} queued`);
  return parts.join(' · ');
}
