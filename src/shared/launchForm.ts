// The launch panel's form as plain data, and the checks both sides run on it (the webview as the user types, the host again on receipt).

/** 'none': nothing chosen yet, as the panel opens, so no launch can happen before the user picks partitions. */
export type LaunchPartitionMode = 'none' | 'all' | 'range' | 'latest' | 'selection';
export type LaunchReprocessMode = 'all' | 'missing' | 'failed-and-missing';
export type LaunchRunOrder = 'oldest-first' | 'newest-first';

/** What the user typed, kept as text so a bad value can be reported next to its field instead of being coerced. */
export interface LaunchFormValues {
  target: string;
  includeDownstream: boolean;
  partitionMode: LaunchPartitionMode;
  rangeFrom: string;
  rangeTo: string;
  latestCount: string;
  /** Dagster's selection syntax: keys, `a...b` or `[a...b]` ranges and "quoted, keys", comma-separated. */
  selectionText: string;
  reprocess: LaunchReprocessMode;
  /** Empty means the workspace setting backfillStudio.maxConcurrentRuns. */
  concurrency: string;
  order: LaunchRunOrder;
  retries: string;
  /** `key=value` pairs separated by commas or new lines. */
  tagsText: string;
  /** Where the backfill runs: '' for this machine, else the name of a configured Dagster deployment (backfillStudio.deployments). */
  runOn: string;
  /** The backfill's title and description on a deployment (Dagster sends them where its version has the fields). */
  title: string;
  description: string;
}

export type LaunchFieldName = 'partitions' | 'latestCount' | 'rangeFrom' | 'rangeTo' | 'selectionText' | 'concurrency' | 'retries' | 'tagsText' | 'target' | 'runOn' | 'title' | 'description';
export type LaunchFieldErrors = Partial<Record<LaunchFieldName, string>>;

/** The run-time options beside the plan: checked, typed, ready for BackfillWorkspace.launch. */
export interface LaunchRunOptions {
  /** null: the workspace default. */
  maxConcurrent: number | null;
  order: LaunchRunOrder;
  retries: number;
  tags: Record<string, string>;
}

const PARTITION_MODES: readonly string[] = ['none', 'all', 'range', 'latest', 'selection'];
/** What the partitions field says (and the host refuses with) while no partitions are chosen. */
export const NO_PARTITIONS_CHOSEN = 'Choose the partitions to launch: a range, the latest N, keys, all, or drag across the strip.';
const REPROCESS_MODES: readonly string[] = ['all', 'missing', 'failed-and-missing'];
const ORDERS: readonly string[] = ['oldest-first', 'newest-first'];
const STRING_FIELDS = ['target', 'rangeFrom', 'rangeTo', 'latestCount', 'selectionText', 'concurrency', 'retries', 'tagsText', 'runOn', 'title', 'description'] as const;
export const MAX_CONCURRENCY = 64;
export const MAX_RETRIES = 10;
/** Dagster tag keys: optional prefix/ then name; letters, digits, `_ - .` (its own check is similar). */
const TAG_KEY = /^(?:[A-Za-z0-9_.-]{1,63}\/)?[A-Za-z0-9_.-]{1,63}$/;
const MAX_TEXT = 100_000;
const MAX_TITLE = 200;
const MAX_DESCRIPTION = 5000;

/** Parses tag text; errors name the item and what is wrong with it. */
export function parseTagsText(text: string): { tags: Record<string, string> } | { error: string } {
  const tags: Record<string, string> = {};
  const items = text.split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== '');
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) return { error: `tag "${item.slice(0, 40)}" needs the form key=value` };
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (!TAG_KEY.test(key)) return { error: `tag key "${key.slice(0, 40)}" may hold only letters, digits, _ - . and one / prefix (at most 63 characters each)` };
    if (key.startsWith('dagster/')) return { error: `tag key "${key}" is reserved: Dagster sets dagster/ tags itself` };
    if (value.length > 1000) return { error: `tag "${key}" has a value over 1000 characters` };
    if (key in tags) return { error: `tag "${key}" is given twice` };
    tags[key] = value;
  }
  return { tags };
}

function wholeNumber(text: string, min: number, max: number, what: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) return `${what}: a whole number from ${min} to ${max}`;
  return Number(t);
}

/**
 * Every check that needs no partition keys: numbers, tags and that the partition fields are filled.
 * (Whether keys exist and the selection syntax parses is the host's part: it has the keys and Dagster's parser.)
 */
export function checkLaunchForm(v: LaunchFormValues): { errors: LaunchFieldErrors; options: LaunchRunOptions | null } {
  const errors: LaunchFieldErrors = {};
  if (v.partitionMode === 'none') {
    errors.partitions = NO_PARTITIONS_CHOSEN;
  } else if (v.partitionMode === 'latest') {
    const n = wholeNumber(v.latestCount, 1, 10_000_000, 'latest N');
    if (typeof n === 'string') errors.latestCount = n;
  } else if (v.partitionMode === 'range') {
    if (v.rangeFrom.trim() === '') errors.rangeFrom = 'give the first partition of the range';
    if (v.rangeTo.trim() === '') errors.rangeTo = 'give the last partition of the range';
  } else if (v.partitionMode === 'selection' && v.selectionText.trim() === '') {
    errors.selectionText = 'give partition keys or ranges, e.g. [2024-01-01...2024-01-07], 2024-02-01';
  }
  let maxConcurrent: number | null = null;
  // On a deployment its daemon and run queue decide concurrency and retries: those fields are hidden and not checked.
  const local = v.runOn === '';
  if (local && v.concurrency.trim() !== '') {
    const n = wholeNumber(v.concurrency, 1, MAX_CONCURRENCY, 'concurrency');
    if (typeof n === 'string') errors.concurrency = n;
    else maxConcurrent = n;
  }
  const retries = local ? wholeNumber(v.retries.trim() === '' ? '0' : v.retries, 0, MAX_RETRIES, 'retries') : 0;
  if (typeof retries === 'string') errors.retries = retries;
  const tags = parseTagsText(v.tagsText);
  if ('error' in tags) errors.tagsText = tags.error;
  if (v.title.length > MAX_TITLE) errors.title = `title: at most ${MAX_TITLE} characters`;
  if (v.description.length > MAX_DESCRIPTION) errors.description = `description: at most ${MAX_DESCRIPTION} characters`;
  const ok = Object.keys(errors).length === 0 && typeof retries === 'number' && !('error' in tags);
  return { errors, options: ok ? { maxConcurrent, order: v.order, retries: retries as number, tags: (tags as { tags: Record<string, string> }).tags } : null };
}

/** Exactly a LaunchFormValues (no extra or missing fields, bounded text), or the reason it is not. */
export function findLaunchFormProblem(raw: unknown, where: string): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `${where} must be an object`;
  const r = raw as Record<string, unknown>;
  const expected = [...STRING_FIELDS, 'includeDownstream', 'partitionMode', 'reprocess', 'order'].sort().join(',');
  if (Object.keys(r).sort().join(',') !== expected) return `${where} must have exactly the fields ${expected}`;
  for (const f of STRING_FIELDS) {
    const value = r[f];
    if (typeof value !== 'string' || value.length > MAX_TEXT) return `${where}.${f} must be a string of at most ${MAX_TEXT} characters`;
  }
  if (typeof r.includeDownstream !== 'boolean') return `${where}.includeDownstream must be a boolean`;
  if (!PARTITION_MODES.includes(r.partitionMode as string)) return `${where}.partitionMode must be one of ${PARTITION_MODES.join(', ')}`;
  if (!REPROCESS_MODES.includes(r.reprocess as string)) return `${where}.reprocess must be one of ${REPROCESS_MODES.join(', ')}`;
  if (!ORDERS.includes(r.order as string)) return `${where}.order must be one of ${ORDERS.join(', ')}`;
  return null;
}
