// Structural check of the backfills overview model arriving from the host or restored state.
import { STATUS_TONES as TONES } from '../../shared/statusTone';

export function findBackfillsOverviewProblem(raw: unknown, where: string): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `${where} must be an object`;
  const list = (raw as { backfills?: unknown }).backfills;
  if (!Array.isArray(list)) return `${where}.backfills must be an array`;
  for (const [i, b] of list.entries()) {
    const at = `${where}.backfills[${i}]`;
    if (typeof b !== 'object' || b === null) return `${at} must be an object`;
    const r = b as Record<string, unknown>;
    for (const f of ['backfillId', 'status', 'statusLabel', 'selection', 'progress', 'createdAt', 'duration']) if (typeof r[f] !== 'string') return `${at}.${f} must be a string`;
    if (!TONES.has(r.statusTone as string)) return `${at}.statusTone must be one of ${[...TONES].join(', ')}`;
    if (!Array.isArray(r.targets) || !r.targets.every((t) => typeof t === 'string')) return `${at}.targets must be an array of strings`;
    if (r.parentId !== null && typeof r.parentId !== 'string') return `${at}.parentId must be a string or null`;
    if (r.deployment !== null && typeof r.deployment !== 'string') return `${at}.deployment must be a string or null`;
  }
  return null;
}
