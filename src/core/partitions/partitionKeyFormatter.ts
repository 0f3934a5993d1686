// Formats partition keys from integer wall-clock arithmetic, caching the date part of the last day seen.
import { DAY_MS, HOUR_MS, MINUTE_MS, civilFromDays } from './wallClock';
import { compileStrftime, formatDateDirective, formatTimeDirective, isTimeDirective } from './strftime';

/** Literal text (the day's date directives already joined in), or a time directive: a code below, or its letter. */
type Part = string | number | [string];
/** The common time directives, written inline: listing is dominated by them. */
const CODES: Record<string, number> = { H: 0, M: 1, S: 2, z: 3 };
const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/**
 * Listing 100,000 keys through a general strftime or luxon costs tens of milliseconds; here the literal text
 * and date directives of a day are joined once per day, leaving only the time directives per key.
 */
export class PartitionKeyFormatter {
  private readonly parts: ReturnType<typeof compileStrftime>;
  private lastDay = Number.NaN;
  private dayParts: Part[] = [];
  private readonly dateOnly: boolean;

  /** `zoneName` is what %Z writes. */
  constructor(readonly fmt: string, private readonly zoneName = 'UTC') {
    this.parts = compileStrftime(fmt);
    this.dateOnly = !this.parts.some((p) => 'directive' in p && isTimeDirective(p.directive));
  }

  /** The key for wall time `w` (epoch ms of the local date-time read as UTC) shown with UTC offset `off` minutes. */
  format(w: number, off: number): string {
    const day = Math.floor(w / DAY_MS);
    if (day !== this.lastDay) this.prepareDay(day);
    const parts = this.dayParts;
    if (this.dateOnly) return parts[0] as string;
    const ms = w - day * DAY_MS;
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (typeof p === 'string') out += p;
      else if (p === 0) out += PAD2[Math.floor(ms / HOUR_MS)];
      else if (p === 1) out += PAD2[Math.floor((ms % HOUR_MS) / MINUTE_MS)];
      else if (p === 2) out += PAD2[Math.floor((ms % MINUTE_MS) / 1000)];
      else out += formatTimeDirective(typeof p === 'number' ? 'z' : p[0], ms, off, this.zoneName);
    }
    return out;
  }

  private prepareDay(day: number): void {
    const parts: Part[] = [];
    const civil = civilFromDays(day);
    let run = '';
    for (const p of this.parts) {
      if ('literal' in p) run += p.literal;
      else if (isTimeDirective(p.directive)) {
        if (run !== '') parts.push(run);
        run = '';
        parts.push(CODES[p.directive] ?? [p.directive]);
      } else run += formatDateDirective(p.directive, day, civil);
    }
    if (run !== '' || parts.length === 0) parts.push(run);
    this.lastDay = day;
    this.dayParts = parts;
  }
}
