// Dagster's tag_concurrency_limits: at most `limit` in-progress runs carry a tag (one value, any value, or each value apart).

/** As Dagster's run coordinator config: `value` omitted limits all values together; applyLimitPerUniqueValue limits each value apart. */
export interface TagConcurrencyLimit {
  key: string;
  value?: string | { applyLimitPerUniqueValue: boolean };
  limit: number;
}

export type RunTags = Readonly<Record<string, string>>;

/** Validates limits given as JSON-like data; `where` names their origin in the error (e.g. "backfills.yaml"). */
export function parseTagConcurrencyLimits(value: unknown, where: string): TagConcurrencyLimit[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: tag concurrency limits must be a list of {key, value?, limit}`);
  return value.map((item: unknown, i) => {
    const at = `${where}: tag concurrency limit ${i + 1}`;
    if (!item || typeof item !== 'object') throw new TypeError(`${at} must be an object with key and limit`);
    const { key, value: v, limit } = item as Record<string, unknown>;
    if (typeof key !== 'string' || key === '') throw new TypeError(`${at} needs a non-empty string key`);
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw new TypeError(`${at} (${key}) needs a whole-number limit of at least 0, got ${JSON.stringify(limit)}`);
    if (v === undefined || v === null) return { key, limit };
    if (typeof v === 'string') return { key, value: v, limit };
    if (typeof v === 'object' && typeof (v as Record<string, unknown>)['applyLimitPerUniqueValue'] === 'boolean') {
      return { key, value: { applyLimitPerUniqueValue: (v as { applyLimitPerUniqueValue: boolean }).applyLimitPerUniqueValue }, limit };
    }
    throw new TypeError(`${at} (${key}): value must be a string or {applyLimitPerUniqueValue: true}, got ${JSON.stringify(v)}`);
  });
}

function matches(rule: TagConcurrencyLimit, tags: RunTags): boolean {
  if (!(rule.key in tags)) return false;
  return typeof rule.value !== 'string' || tags[rule.key] === rule.value;
}

/**
 * Whether a run with `tags` may start beside runs in progress with `running` tags. A rule with
 * applyLimitPerUniqueValue false counts every value together, as one without a value (Dagster's reading).
 */
export function withinTagLimits(limits: readonly TagConcurrencyLimit[], tags: RunTags, running: Iterable<RunTags>): boolean {
  const rules = limits.filter((rule) => matches(rule, tags));
  if (rules.length === 0) return true;
  const counts = new Array<number>(rules.length).fill(0);
  for (const other of running) {
    rules.forEach((rule, i) => {
      if (!matches(rule, other)) return;
      const perValue = typeof rule.value === 'object' && rule.value.applyLimitPerUniqueValue;
      if (!perValue || other[rule.key] === tags[rule.key]) counts[i]!++;
    });
  }
  return rules.every((rule, i) => counts[i]! < rule.limit);
}
