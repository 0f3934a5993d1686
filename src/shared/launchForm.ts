// The launch panel's form as plain data, its schema, and the checks both sides run on it (the webview as the user types, the host again on receipt).
import * as v from 'valibot';
import { exact, flag, oneOf, text } from './messageSchema';

/** 'none': nothing chosen yet, as the panel opens, so no launch can happen before the user picks partitions. */
export const LAUNCH_PARTITION_MODES = ['none', 'all', 'range', 'latest', 'selection'] as const;
export type LaunchPartitionMode = (typeof LAUNCH_PARTITION_MODES)[number];
const REPROCESS_MODES = ['all', 'missing', 'failed-and-missing'] as const;
export type LaunchReprocessMode = (typeof REPROCESS_MODES)[number];
const ORDERS = ['oldest-first', 'newest-first'] as const;
export type LaunchRunOrder = (typeof ORDERS)[number];
const MAX_TEXT = 100_000;
const formText = v.pipe(text, v.maxLength(MAX_TEXT, `must be a string of at most ${MAX_TEXT} characters`));

const launchFormEntries = {
  target: formText,
  includeDownstream: flag,
  partitionMode: oneOf(LAUNCH_PARTITION_MODES),
  rangeFrom: formText,
  rangeTo: formText,
  latestCount: formText,
  /** Dagster's selection syntax: keys, `a...b` or `[a...b]` ranges and "quoted, keys", comma-separated. */
  selectionText: formText,
  reprocess: oneOf(REPROCESS_MODES),
  /** Empty means the workspace setting backfillStudio.maxConcurrentRuns. */
  concurrency: formText,
  order: oneOf(ORDERS),
  retries: formText,
  /** `key=value` pairs separated by commas or new lines. */
  tagsText: formText,
  /** Where the backfill runs: '' for this machine, else the name of a configured Dagster deployment (backfillStudio.deployments). */
  runOn: formText,
  /** The backfill's title and description on a deployment (Dagster sends them where its version has the fields). */
  title: formText,
  description: formText,
};
/** What the user typed, kept as text so a bad value can be reported next to its field instead of being coerced. */
export const launchForm = exact(launchFormEntries, `must have exactly the fields ${Object.keys(launchFormEntries).sort().join(',')}`);
export type LaunchFormValues = v.InferOutput<typeof launchForm>;

const LAUNCH_FIELD_NAMES = ['partitions', 'latestCount', 'rangeFrom', 'rangeTo', 'selectionText', 'concurrency', 'retries', 'tagsText', 'target', 'runOn', 'title', 'description'] as const;
export type LaunchFieldName = (typeof LAUNCH_FIELD_NAMES)[number];
/** A message per form field that is wrong. */
export const launchFieldErrors = v.record(oneOf(LAUNCH_FIELD_NAMES), text, 'must map fields to messages');
export type LaunchFieldErrors = v.InferOutput<typeof launchFieldErrors>;

/** The run-time options beside the plan: checked, typed, ready for BackfillWorkspace.launch. */
export interface LaunchRunOptions {
  /** null: the workspace default. */
  maxConcurrent: number | null;
  order: LaunchRunOrder;
  retries: number;
  tags: Record<string, string>;
}

/** What the partitions field says (and the host refuses with) while no partitions are chosen. */
export const NO_PARTITIONS_CHOSEN = 'Choose the partitions to launch: a range, the latest N, keys, all, or drag across the strip.';
export const MAX_CONCURRENCY = 64;
export const MAX_RETRIES = 10;
/** Dagster tag keys: optional prefix/ then name; letters, digits, `_ - .` (its own check is similar). */
const TAG_KEY = /^(?:[A-Za-z0-9_.-]{1,63}\/)?[A-Za-z0-9_.-]{1,63}$/;
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
export function checkLaunchForm(form: LaunchFormValues): { errors: LaunchFieldErrors; options: LaunchRunOptions | null } {
  const errors: LaunchFieldErrors = {};
  if (form.partitionMode === 'none') {
    errors.partitions = NO_PARTITIONS_CHOSEN;
  } else if (form.partitionMode === 'latest') {
    const n = wholeNumber(form.latestCount, 1, 10_000_000, 'latest N');
    if (typeof n === 'string') errors.latestCount = n;
  } else if (form.partitionMode === 'range') {
    if (form.rangeFrom.trim() === '') errors.rangeFrom = 'give the first partition of the range';
    if (form.rangeTo.trim() === '') errors.rangeTo = 'give the last partition of the range';
  } else if (form.partitionMode === 'selection' && form.selectionText.trim() === '') {
    errors.selectionText = 'give partition keys or ranges, e.g. [2024-01-01...2024-01-07], 2024-02-01';
  }
  let maxConcurrent: number | null = null;
  // On a deployment its daemon and run queue decide concurrency and retries: those fields are hidden and not checked.
  const local = form.runOn === '';
  if (local && form.concurrency.trim() !== '') {
    const n = wholeNumber(form.concurrency, 1, MAX_CONCURRENCY, 'concurrency');
    if (typeof n === 'string') errors.concurrency = n;
    else maxConcurrent = n;
  }
  const retries = local ? wholeNumber(form.retries.trim() === '' ? '0' : form.retries, 0, MAX_RETRIES, 'retries') : 0;
  if (typeof retries === 'string') errors.retries = retries;
  const tags = parseTagsText(form.tagsText);
  if ('error' in tags) errors.tagsText = tags.error;
  if (form.title.length > MAX_TITLE) errors.title = `title: at most ${MAX_TITLE} characters`;
  if (form.description.length > MAX_DESCRIPTION) errors.description = `description: at most ${MAX_DESCRIPTION} characters`;
  const ok = Object.keys(errors).length === 0 && typeof retries === 'number' && !('error' in tags);
  return { errors, options: ok ? { maxConcurrent, order: form.order, retries: retries as number, tags: (tags as { tags: Record<string, string> }).tags } : null };
}
