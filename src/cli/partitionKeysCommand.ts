// `backfill partitions keys` and `partitions map`: a definition's keys, and how keys map between two definitions.
import { evaluatePartitionsExpression, PartitionsExpressionError } from '../core/definitions/evaluatePartitionsExpression';
import { evaluatePartitionMappingExpression } from '../core/definitions/evaluatePartitionMappingExpression';
import { PartitionsError } from '../core/partitions/partitionsDefinition';
import { mapPartitionKeys, type MappingDirection } from '../core/partitions/mappings/mapPartitionKeys';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';
import type { CliValues } from './cliOptions';

export function runPartitionKeys(out: CliOutput, o: { def: string; now: Date; range?: string | undefined; windows: boolean }): number {
  let keys: string[];
  let def;
  try {
    def = evaluatePartitionsExpression(o.def);
    if (o.range !== undefined) {
      const parts = o.range.split('...');
      if (parts.length !== 2) throw new CliError(`--range ${JSON.stringify(o.range)} must look like A...B`);
      keys = def.keysInRange(parts[0]!, parts[1]!, o.now);
    } else keys = def.keys(o.now);
  } catch (e) {
    if (e instanceof PartitionsExpressionError || e instanceof PartitionsError) throw new CliError(e.message);
    throw e;
  }
  if (out.json) {
    const doc: { count: number; keys: string[]; windows?: ([string, string] | null)[] } = { count: keys.length, keys };
    // One entry per key, null where a key has no time window (static, dynamic), so windows stay aligned with keys.
    if (o.windows) doc.windows = keys.map((k) => { const w = def.timeWindow(k); return w ? [w.start, w.end] : null; });
    out.document(doc);
  } else {
    for (const k of keys) {
      const w = o.windows ? def.timeWindow(k) : null;
      out.line(w ? `${k}\t${w.start}\t${w.end}` : k);
    }
  }
  return 0;
}

interface PartitionMapOptions {
  upstream: string | undefined;
  downstream: string | undefined;
  mapping: string | undefined;
  keys: string | undefined;
  direction: string | undefined;
  now: Date;
}

/** A constructor expression given with `flag`, its error prefixed with the flag. */
function evaluated<T>(flag: string, text: string, evaluate: (expr: string) => T): T {
  try {
    return evaluate(text);
  } catch (e) {
    if (e instanceof PartitionsExpressionError) throw new CliError(`${flag}: ${e.message}`);
    throw e;
  }
}

/** `partitions map`: for each given key (or A...B range), the keys it maps to; the default mapping when none is given. */
export function runPartitionMap(out: CliOutput, o: PartitionMapOptions): number {
  if (!o.upstream || !o.downstream || o.keys === undefined) {
    throw new CliError('partitions map needs --upstream EXPR --downstream EXPR --keys K1,K2, e.g. --upstream \'DailyPartitionsDefinition(start_date="2024-01-01")\'');
  }
  const direction = (o.direction ?? 'upstream') as MappingDirection;
  if (direction !== 'upstream' && direction !== 'downstream') throw new CliError(`--direction ${JSON.stringify(o.direction)} must be upstream or downstream`);
  const items = o.keys.split(',').map((k) => k.trim());
  if (items.some((k) => k === '')) throw new CliError(`--keys ${JSON.stringify(o.keys)} has an empty key`);
  const upstream = evaluated('--upstream', o.upstream, evaluatePartitionsExpression);
  const downstream = evaluated('--downstream', o.downstream, evaluatePartitionsExpression);
  const mapping = o.mapping === undefined ? null : evaluated('--mapping', o.mapping, evaluatePartitionMappingExpression);
  let mapped;
  try {
    mapped = mapPartitionKeys({ upstream, downstream, mapping, keys: items, direction, now: o.now });
  } catch (e) {
    if (e instanceof PartitionsError) throw new CliError(e.message);
    throw e;
  }
  const remedy = mapped.mapping.kind === 'TimeWindowPartitionMapping' ? '; allow_nonexistent_upstream_partitions=True drops them' : '';
  for (const [item, missing] of mapped.nonexistentByItem) {
    out.error(`backfill: warning: ${item} depends on upstream partitions that do not exist at ${o.now.toISOString()}: ${missing.join(', ')}` +
      ` (Dagster fails such a run: "depends on invalid partition keys"${remedy})`);
  }
  if (out.json) out.document(Object.fromEntries(mapped.keysByItem));
  else {
    const [from, to] = direction === 'upstream' ? ['downstream', 'upstream'] : ['upstream', 'downstream'];
    out.line(`mapping: ${mapped.mapping.toString()}${mapping === null ? ' (the default for these definitions)' : ''}`);
    out.line(`${from} key\t${to} keys`);
    for (const [item, keys] of mapped.keysByItem) out.line(`${item}\t${keys.length > 0 ? keys.join(', ') : '(none)'}`);
  }
  return 0;
}

/** `partitions keys` or `partitions map` with the flags given: needs no workspace, so dist/cliPartitions.js runs it alone. */
export function runPartitionsExpression(sub: 'keys' | 'map', v: CliValues, out: CliOutput, now: Date): Promise<number> {
  if (sub === 'map') return Promise.resolve(runPartitionMap(out, { upstream: v.upstream, downstream: v.downstream, mapping: v.mapping, keys: v.keys, direction: v.direction, now }));
  if (!v.def) throw new CliError('partitions keys needs --def EXPR, e.g. --def \'DailyPartitionsDefinition(start_date="2024-01-01")\'');
  return Promise.resolve(runPartitionKeys(out, { def: v.def, now, range: v.range, windows: Boolean(v.windows) }));
}
