// The retention settings (backfillStudio.retention.*) as the engine's RetentionPolicy: 0 or a bad value keeps everything on that axis.
import type { RetentionPolicy } from '../core/backfill/backfillRetention';

/** The manifest's defaults, repeated for a configuration that does not know them (tests, an old manifest). */
export const DEFAULT_MAX_AGE_DAYS = 30;
export const DEFAULT_MAX_LOG_MEGABYTES = 1024;

/** How long after the engine starts the extension prunes: activation and the first views come first. */
export const PRUNE_DELAY_MS = 60_000;

export function retentionPolicy(config: { get<T>(section: string): T | undefined }): RetentionPolicy {
  const limit = (key: string, fallback: number): number | null => {
    const value = config.get<unknown>(key);
    const n = value === undefined || value === null ? fallback : Number(value);
    return Number.isFinite(n) && n > 0 ? n : null;
  };
  const megabytes = limit('retention.maxLogMegabytes', DEFAULT_MAX_LOG_MEGABYTES);
  return { maxAgeDays: limit('retention.maxAgeDays', DEFAULT_MAX_AGE_DAYS), maxLogBytes: megabytes === null ? null : Math.round(megabytes * 1024 * 1024) };
}
