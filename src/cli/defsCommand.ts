// `backfill defs`, `backfill partitions keys` and `partitions map`: what the workspace defines, a definition's keys, and mappings.
import { codeLocationLabel } from '../core/definitions/ambiguousDefinitionNames';
import type { AssetDefinition, JobDefinition } from '../core/definitions/definition';
import { evaluatePartitionsExpression, PartitionsExpressionError } from '../core/definitions/evaluatePartitionsExpression';
import { evaluatePartitionMappingExpression } from '../core/definitions/evaluatePartitionMappingExpression';
import { dynamicPartitionsNames } from '../core/partitions/dynamicPartitionsNames';
import { PartitionsError, type PartitionsDefinition } from '../core/partitions/partitionsDefinition';
import { mapPartitionKeys } from '../core/partitions/mappings/mapPartitionKeys';
import type { MappingDirection } from '../core/partitions/mappings/mapPartitionKeys';
import type { DynamicPartitionsChange } from '../core/status/partitionStatusCache';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';
import { definitionsOutline } from './definitionsOutline';

export async function runDefs(ws: BackfillWorkspace, out: CliOutput): Promise<number> {
  let s = ws.definitions ?? (await ws.refreshDefinitions());
  const now = ws.clock.now();
  if (out.json) {
    const location = (d: AssetDefinition | JobDefinition) => codeLocationLabel(d);
    out.document({
      codeLocations: definitionsOutline(s).map((l) => ({ name: l.name, repository: l.repository, label: l.label, root: l.root,
        groups: l.groups.map((g) => ({ name: g.name, assets: g.assets.map((a) => a.key.join('/')) })), jobs: l.jobs.map((j) => j.name) })),
      assets: s.assets.map((a) => ({ key: a.key, group: a.group, codeLocation: location(a), file: a.location.file, line: a.location.line,
        partitions: a.partitions?.toJSON() ?? null, deps: a.deps.map((d) => ({ key: d.key, mapping: d.mapping })), backfillPolicy: a.backfillPolicy })),
      jobs: s.jobs.map((j) => ({ name: j.name, codeLocation: location(j), file: j.location.file, line: j.location.line, partitions: j.partitions?.toJSON() ?? null })),
      commandTargets: s.commandTargets.map((t) => ({ name: t.name, file: t.location.file, line: t.location.line,
        partitions: t.partitions.toJSON(), command: t.command, deps: t.deps })),
      diagnostics: s.diagnostics.map((d) => ({ file: d.location.file, line: d.location.line, severity: d.severity, message: d.message })),
    });
    return 0;
  }
  // Dynamic partitions keep their keys where they live: on the Dagster instance when the interpreter can import
  // dagster, else in the project's state. Read once per name (the first read refreshes the instance's answer).
  const names = [...new Set([...s.assets, ...s.jobs, ...s.commandTargets].flatMap((d) => dynamicPartitionsNames(d.partitions)))];
  const dynamic = new Map<string, DynamicPartitionsChange>();
  for (const name of names) dynamic.set(name, await ws.dynamicPartitionKeys(name));
  // The definitions as bound after the reads (their dynamic keys are the ones just read).
  s = ws.definitions ?? s;
  const from = (name: string) => (dynamic.get(name)?.source === 'instance' ? 'the Dagster instance' : 'the project\'s state');
  const describe = (p: PartitionsDefinition | null) => {
    if (!p) return 'unpartitioned';
    try {
      const counted = `${p.describe()}, ${p.count(now)} partitions`;
      const used = dynamicPartitionsNames(p);
      if (used.length === 0) return counted;
      const sources = [...new Set(used.map(from))];
      return sources.length === 1 ? `${counted}, keys from ${sources[0]}` : `${counted}, keys from ${used.map((n) => `${from(n)} ("${n}")`).join(' and ')}`;
    } catch {
      // Keys no store could give (the project's state did not open).
      return `${p.describe()}, keys known at run time`;
    }
  };
  // Under the headings of their code location and asset group (the location's name is what --location takes).
  for (const location of definitionsOutline(s)) {
    out.line(`code location ${location.label}`);
    for (const group of location.groups) {
      out.line(`  group ${group.name}`);
      for (const a of group.assets) out.line(`    asset   ${a.key.join('/')}  [${describe(a.partitions)}]  ${a.location.file}:${a.location.line}`);
    }
    if (location.jobs.length > 0) out.line('  jobs');
    for (const j of location.jobs) out.line(`    job     ${j.name}  [${describe(j.partitions)}]  ${j.location.file}:${j.location.line}`);
  }
  if (s.commandTargets.length > 0) out.line('command targets (backfills.yaml)');
  for (const t of s.commandTargets) out.line(`    command ${t.name}  [${describe(t.partitions)}]  ${t.location.file}:${t.location.line}`);
  for (const [name, change] of dynamic) for (const line of dynamicPartitionsLines(ws, name, change)) out.line(line);
  for (const d of s.diagnostics) out.error(`${d.location.file}:${d.location.line}: ${d.severity}: ${d.message}`);
  return 0;
}

/** Where the keys of one dynamic partitions definition were read, how many, and why not from the instance. */
function dynamicPartitionsLines(ws: BackfillWorkspace, name: string, change: DynamicPartitionsChange): string[] {
  const source = ws.partitionStatusSource;
  // Keys added now would land where these were read (not so when the instance failed to answer: it refuses them too).
  const addable = change.source === 'instance' || (source.kind === 'project' && source.dagsterMissing === true);
  const n = change.keys.length;
  const count = n === 0 ? (addable ? 'no keys yet' : '0 keys') : `${n} key${n === 1 ? '' : 's'}`;
  const where = change.source === 'instance'
    ? `on the Dagster instance at ${change.instance ?? '(unnamed)'}`
    : `in the project's state (${ws.statePath}), because: ${(change.reason ?? 'the Dagster instance has not answered').replace(/\.$/, '')}.`;
  const lines = [`dynamic partitions "${name}": ${count} ${where}`];
  if (n === 0 && addable) lines.push(`  add some with \`backfill partitions add ${name} KEY…\``);
  return lines;
}

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
