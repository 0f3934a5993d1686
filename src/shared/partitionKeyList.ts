// PartitionKeyList: the compact, exact form of an ordered list of partition keys sent from the host to a webview,
// the check of its runs against its text, and a reader that answers key-by-index and index-by-key without one string per key.

/**
 * A run is either one key, or consecutive keys of equal length that differ only in one zero-padded decimal field
 * counting up by a fixed step (the hours of a day, the days of a month). A run is sent as its first key (its base)
 * and a shape. `text` holds the bases back to back: their lengths come from the shapes, so a key may hold any
 * character (no separator to escape). `runs` holds the shapes, comma-separated: `L` (one key of length L) or
 * `L.S.W.D.N` (N keys of length L whose field at [S, S + W) counts up by D), either one followed by `*R` when R
 * consecutive runs share it. 100,000 hourly keys become about 4,200 bases and a few shapes: structured-cloning
 * 100,000 separate strings costs far more than drawing them.
 */
export interface PartitionKeyList {
  count: number;
  runs: string;
  text: string;
}

/** Decoded keys, as the views read them; a string[] has the same shape. `at` takes no negative indexes. */
export interface PartitionKeys {
  readonly length: number;
  at(index: number): string | undefined;
  indexOf(key: string): number;
}

/** Digits a field may have: its values stay exact doubles. */
const MAX_FIELD_WIDTH = 15;
/** Per group in the decoded table: key length, field start, field width (0: single keys), step, keys per run, runs, first key, text start. */
const STRIDE = 8;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The digits of s[from, to) as a number (the caller checked they are digits). */
function digitsValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let k = from; k < to; k++) v = v * 10 + s.charCodeAt(k) - 48;
  return v;
}

/** The counting field found by countingField; plain numbers, as the host compares 100,000 neighbours. */
const field = { start: 0, width: 0, step: 0 };

/** Whether `b` is `a` with one decimal field counted up (the field is left in `field`). */
function countingField(a: string, b: string): boolean {
  const n = a.length;
  if (b.length !== n) return false;
  let first = 0;
  while (first < n && a.charCodeAt(first) === b.charCodeAt(first)) first++;
  if (first === n) return false;
  let last = n - 1;
  while (a.charCodeAt(last) === b.charCodeAt(last)) last--;
  // The field is the whole digit run around the change: "09" -> "10" changes two digits of one field.
  let start = first;
  while (start > 0 && isDigit(a.charCodeAt(start - 1))) start--;
  let end = last + 1;
  while (end < n && isDigit(a.charCodeAt(end))) end++;
  if (end - start > MAX_FIELD_WIDTH) return false;
  for (let k = first; k <= last; k++) if (!isDigit(a.charCodeAt(k)) || !isDigit(b.charCodeAt(k))) return false;
  const step = digitsValue(b, start, end) - digitsValue(a, start, end);
  if (step <= 0) return false;
  field.start = start;
  field.width = end - start;
  field.step = step;
  return true;
}

export function encodePartitionKeyList(keys: readonly string[]): PartitionKeyList {
  const shapes: string[] = [];
  const bases: string[] = [];
  let shape = '';
  let repeat = 0;
  const flush = (): void => {
    if (repeat > 0) shapes.push(repeat === 1 ? shape : `${shape}*${repeat}`);
  };
  for (let i = 0; i < keys.length;) {
    const base = keys[i]!;
    let n = 1;
    let next = `${base.length}`;
    if (i + 1 < keys.length && countingField(base, keys[i + 1]!)) {
      const { start, width, step } = field;
      n = 2;
      while (i + n < keys.length && countingField(keys[i + n - 1]!, keys[i + n]!) && field.start === start && field.width === width && field.step === step) n++;
      next = `${base.length}.${start}.${width}.${step}.${n}`;
    }
    if (next === shape) repeat++;
    else {
      flush();
      shape = next;
      repeat = 1;
    }
    bases.push(base);
    i += n;
  }
  flush();
  return { count: keys.length, runs: shapes.join(','), text: bases.join('') };
}

/** The group table of a well-formed list, or what is wrong with it. */
function parseGroups(list: PartitionKeyList, where: string): Float64Array | string {
  const { runs, text, count } = list;
  const groups: number[] = [];
  let p = 0;
  const num = (): number => {
    const s = p;
    while (p < runs.length && isDigit(runs.charCodeAt(p))) p++;
    return p === s || p - s > MAX_FIELD_WIDTH ? -1 : Number(runs.slice(s, p));
  };
  let keys = 0;
  let at = 0;
  for (let g = 0; runs.length > 0; g++) {
    const from = p;
    const bad = (why: string): string => `${where}.runs group ${g} (${JSON.stringify(runs.slice(from, from + 40))}): ${why}`;
    const v = [num()];
    while (runs[p] === '.' && v.length < 5) {
      p++;
      v.push(num());
    }
    let repeat = 1;
    if (runs[p] === '*') {
      p++;
      repeat = num();
    }
    if (v.length !== 1 && v.length !== 5) return bad('a shape is L or L.S.W.D.N');
    if (v.includes(-1) || repeat < 1) return bad('numbers must be 1 to 15 digits and a repeat at least 1');
    const [length, start = 0, width = 0, step = 0, perRun = 1] = v as [number, number?, number?, number?, number?];
    if (v.length === 5 && (width < 1 || start + width > length || step < 1 || perRun < 2)) {
      return bad('a counting run needs its field inside the key, a step of at least 1 and at least 2 keys');
    }
    if (at + length * repeat > text.length) return bad(`its bases run past the end of text (${text.length} characters)`);
    if (width > 0) {
      const last = (perRun - 1) * step;
      for (let r = 0; r < repeat; r++) {
        const b = at + r * length + start;
        for (let k = b; k < b + width; k++) if (!isDigit(text.charCodeAt(k))) return bad(`run ${r} has a non-digit in its field`);
        if (Number(text.slice(b, b + width)) + last >= 10 ** width) return bad(`run ${r} counts past ${width} digits`);
      }
    }
    groups.push(length, start, width, step, perRun, repeat, keys, at);
    keys += perRun * repeat;
    at += length * repeat;
    if (keys > count) return bad(`it holds more than count (${count}) keys`);
    if (p === runs.length) break;
    if (runs[p] !== ',') return bad(`unexpected ${JSON.stringify(runs[p])} at ${p}`);
    p++;
  }
  if (keys !== count) return `${where} holds ${keys} keys but count is ${count}`;
  if (at !== text.length) return `${where}.text has ${text.length - at} characters no run accounts for`;
  return Float64Array.from(groups);
}

/** Lists checked (or decoded) already: the webview checks a message, then draws it. */
const decoded = new WeakMap<PartitionKeyList, PartitionKeys>();

/** Checks a well-typed list's runs against its text and count, remembering the decoded table; the problem continues `where`. */
export function decodedProblem(list: PartitionKeyList, where: string): string | null {
  if (decoded.has(list)) return null;
  const groups = parseGroups(list, where);
  if (typeof groups === 'string') return groups;
  decoded.set(list, new DecodedKeys(list.text, groups, list.count));
  return null;
}

/** The keys of a list that passed the partitionKeyList schema (or came from encodePartitionKeyList); throws otherwise. */
export function decodePartitionKeyList(list: PartitionKeyList): PartitionKeys {
  const problem = decodedProblem(list, 'keys');
  if (problem) throw new Error(problem);
  return decoded.get(list)!;
}

class DecodedKeys implements PartitionKeys {
  constructor(private readonly text: string, private readonly groups: Float64Array, readonly length: number) {}

  at(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const g = this.groups;
    let lo = 0;
    let hi = g.length / STRIDE - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (g[mid * STRIDE + 6]! <= index) lo = mid;
      else hi = mid - 1;
    }
    const o = lo * STRIDE;
    const [length, start, width, step, perRun] = [g[o]!, g[o + 1]!, g[o + 2]!, g[o + 3]!, g[o + 4]!];
    const j = index - g[o + 6]!;
    const run = Math.floor(j / perRun);
    const k = j - run * perRun;
    const b = g[o + 7]! + run * length;
    if (k === 0) return this.text.slice(b, b + length);
    const value = Number(this.text.slice(b + start, b + start + width)) + k * step;
    return this.text.slice(b, b + start) + String(value).padStart(width, '0') + this.text.slice(b + start + width, b + length);
  }

  indexOf(key: string): number {
    const g = this.groups;
    const text = this.text;
    for (let o = 0; o < g.length; o += STRIDE) {
      const [length, start, width, step, perRun, repeat, first, at] = [g[o]!, g[o + 1]!, g[o + 2]!, g[o + 3]!, g[o + 4]!, g[o + 5]!, g[o + 6]!, g[o + 7]!];
      if (key.length !== length) continue;
      const end = at + length * repeat;
      if (width === 0) {
        // Single keys of one length lie back to back: a match counts only where a key begins.
        for (let p = text.indexOf(key, at); p >= 0 && p + length <= end; p = text.indexOf(key, p + 1)) {
          if ((p - at) % Math.max(length, 1) === 0) return first + (length === 0 ? 0 : (p - at) / length);
        }
        continue;
      }
      let digits = true;
      for (let k = start; k < start + width; k++) digits &&= isDigit(key.charCodeAt(k));
      if (!digits) continue;
      const value = Number(key.slice(start, start + width));
      const prefix = key.slice(0, start);
      const suffix = key.slice(start + width);
      for (let r = 0, b = at; r < repeat; r++, b += length) {
        if (!text.startsWith(prefix, b) || !text.startsWith(suffix, b + start + width)) continue;
        const offset = value - Number(text.slice(b + start, b + start + width));
        if (offset >= 0 && offset % step === 0 && offset / step < perRun) return first + r * perRun + offset / step;
      }
    }
    return -1;
  }
}
