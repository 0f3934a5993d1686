// Formats partition keys from integer wall-clock arithmetic, caching the date part of the last day seen.
import { DAY_MS, HOUR_MS, MINUTE_MS, civilFromDays } from './wallClock';
import { validateTimeFormat } from './strftime';

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** Literal text, or the code of a time directive: 0 = %H, 1 = %M, 2 = %S, 3 = %z. */
type Part = string | number;
const TIME_CODES: Record<string, number> = { H: 0, M: 1, S: 2, z: 3 };

function pad4(n: number): string {
  return n >= 1000 && n <= 9999 ? String(n) : String(n).padStart(4, '0');
}

function offsetText(off: number): string {
  const abs = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${PAD2[Math.floor(abs / 60)]}${PAD2[abs % 60]}`;
}

/**
 * Listing 100,000 keys through a general strftime or luxon costs tens of milliseconds; here the literal text
 * and date fields of a day are joined once per day, leaving only the time directives per key.
 */
export class PartitionKeyFormatter {
  private readonly directives: string[] = [];
  private lastDay = Number.NaN;
  private dayParts: Part[] = [];
  private readonly dateOnly: boolean;

  constructor(readonly fmt: string) {
    validateTimeFormat(fmt);
    let literal = '';
    for (let i = 0; i < fmt.length; i++) {
      if (fmt[i] !== '%') {
        literal += fmt[i];
        continue;
      }
      const d = fmt[++i];
      if (d === '%') {
        literal += '%';
        continue;
      }
      if (literal !== '') this.directives.push(`=${literal}`);
      literal = '';
      this.directives.push(d);
    }
    if (literal !== '') this.directives.push(`=${literal}`);
    this.dateOnly = !this.directives.some((d) => d in TIME_CODES);
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
      const p = parts[i];
      if (typeof p === 'string') out += p;
      else if (p === 0) out += PAD2[Math.floor(ms / HOUR_MS)];
      else if (p === 1) out += PAD2[Math.floor((ms % HOUR_MS) / MINUTE_MS)];
      else if (p === 2) out += PAD2[Math.floor((ms % MINUTE_MS) / 1000)];
      else out += offsetText(off);
    }
    return out;
  }

  private prepareDay(day: number): void {
    const [y, m, d] = civilFromDays(day);
    const parts: Part[] = [];
    let run = '';
    for (const directive of this.directives) {
      if (directive in TIME_CODES) {
        if (run !== '') parts.push(run);
        run = '';
        parts.push(TIME_CODES[directive]);
      } else if (directive === 'Y') run += pad4(y);
      else if (directive === 'm') run += PAD2[m];
      else if (directive === 'd') run += PAD2[d];
      else run += directive.slice(1);
    }
    if (run !== '' || parts.length === 0) parts.push(run);
    this.lastDay = day;
    this.dayParts = parts;
  }
}
