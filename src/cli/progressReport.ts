// Formats backfill progress lines and the closing summary table.
import { countRuns, endedRuns, isPausedBackfill, type BackfillCounts, type BackfillRecord, type RunRecord } from '../core/backfill/backfill';
import { backfillStatusLabel } from '../core/backfill/backfillStatusLabel';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60)}s`;
}

/** Canceled and skipped runs are named only when there are some: they are the exception while a backfill runs. */
export function renderProgress(c: BackfillCounts, elapsedMs: number): string {
  const finished = endedRuns(c);
  const rate = elapsedMs > 0 ? (finished / elapsedMs) * 1000 : 0;
  const eta = rate > 0 ? formatDuration(Math.round(((c.total - finished) / rate) * 1000)) : '?';
  const stopped = `${c.canceled ? ` · ${c.canceled} canceled` : ''}${c.skipped ? ` · ${c.skipped} skipped (upstream failed)` : ''}`;
  return `runs ${finished}/${c.total} done · ${c.failed} failed${stopped} · ${c.inProgress} running · ${rate.toFixed(1)} runs/s · ETA ${eta}`;
}

export function renderSummary(b: BackfillRecord, runs: readonly RunRecord[], elapsedMs: number): string[] {
  // A backfill stopped before launching (its code location did not load) says why once, not per partition.
  const lines = [`Backfill ${b.id}: ${backfillStatusLabel(b.status, isPausedBackfill(b)).label} in ${formatDuration(elapsedMs)}`, ...(b.error ? [b.error] : []), ''];
  // skipped: never launched because an upstream run failed; canceled: by the user, a failure limit or before launch.
  const rows: string[][] = [['target', 'runs', 'succeeded', 'failed', 'canceled', 'skipped']];
  for (const target of b.targets) {
    // A run of several assets ("a,b") counts for each of them.
    const c = countRuns(runs.filter((r) => r.target === target || r.target.split(',').includes(target)));
    rows.push([target, String(c.total), String(c.succeeded), String(c.failed), String(c.canceled), String(c.skipped)]);
  }
  lines.push(...table(rows));
  const c = countRuns(runs);
  if (c.skipped > 0) lines.push('', `Skipped: ${c.skipped} run${c.skipped === 1 ? '' : 's'} never launched because an upstream run failed.`);
  if (c.canceled > 0 && (b.status === 'CANCELED' || b.status === 'FAILED')) lines.push('', `Canceled: ${c.canceled} run${c.canceled === 1 ? '' : 's'}; backfill resume ${b.id} runs them again.`);
  const failed = runs.filter((r) => r.status === 'FAILURE');
  if (failed.length > 0) {
    lines.push('', 'Failed partitions:');
    for (const r of failed.slice(0, 20)) lines.push(`  ${r.target} ${r.partitionKey}: ${r.error ?? 'failed'}`);
    if (failed.length > 20) lines.push(`  ... and ${failed.length - 20} more (backfill show ${b.id})`);
  }
  return lines;
}

/** Aligns columns: numbers to the right, text to the left. The first row is the header. */
export function table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const numeric = rows[0]!.map((_, i) => rows.length > 1 && rows.slice(1).every((r) => /^\d[\d,.]*$/.test(r[i] ?? '')));
  return rows.map((r) => r.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
