// `backfill defs`: what the workspace defines, its partitions and diagnostics.
import { codeLocationLabel } from '../core/definitions/ambiguousDefinitionNames';
import type { AssetDefinition, JobDefinition } from '../core/definitions/definition';
import { dynamicPartitionsNames } from '../core/partitions/dynamicPartitionsNames';
import type { PartitionsDefinition } from '../core/partitions/partitionsDefinition';
import type { DynamicPartitionsChange } from '../core/status/partitionStatusCache';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
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
