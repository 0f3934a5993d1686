// `backfill defs` and `backfill partitions keys`: what the workspace defines and which keys a definition has.
import { evaluatePartitionsExpression, PartitionsExpressionError } from '../core/definitions/evaluatePartitionsExpression';
import { PartitionsError } from '../core/partitions/partitionsDefinition';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';

export async function runDefs(ws: BackfillWorkspace, out: CliOutput): Promise<number> {
  const s = ws.definitions ?? (await ws.refreshDefinitions());
  const now = ws.clock.now();
  if (out.json) {
    out.document({
      assets: s.assets.map((a) => ({ key: a.key, group: a.group, file: a.location.file, line: a.location.line,
        partitions: a.partitions?.toJSON() ?? null, deps: a.deps, backfillPolicy: a.backfillPolicy })),
      jobs: s.jobs.map((j) => ({ name: j.name, file: j.location.file, line: j.location.line, partitions: j.partitions?.toJSON() ?? null })),
      commandTargets: s.commandTargets.map((t) => ({ name: t.name, file: t.location.file, line: t.location.line,
        partitions: t.partitions.toJSON(), command: t.command, deps: t.deps })),
      diagnostics: s.diagnostics.map((d) => ({ file: d.location.file, line: d.location.line, severity: d.severity, message: d.message })),
    });
    return 0;
  }
  const describe = (p: { describe(): string; count(now: Date): number } | null) => (p ? `${p.describe()}, ${p.count(now)} partitions` : 'unpartitioned');
  for (const a of s.assets) out.line(`asset   ${a.key.join('/')}  [${describe(a.partitions)}]  ${a.location.file}:${a.location.line}`);
  for (const j of s.jobs) out.line(`job     ${j.name}  [${describe(j.partitions)}]  ${j.location.file}:${j.location.line}`);
  for (const t of s.commandTargets) out.line(`command ${t.name}  [${describe(t.partitions)}]  ${t.location.file}:${t.location.line}`);
  for (const d of s.diagnostics) out.error(`${d.location.file}:${d.location.line}: ${d.severity}: ${d.message}`);
  return 0;
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
    const doc: { count: number; keys: string[]; windows?: [string, string][] } = { count: keys.length, keys };
    if (o.windows) doc.windows = keys.map((k) => { const w = def.timeWindow(k); return w ? [w.start, w.end] : ['', '']; });
    out.document(doc);
  } else {
    for (const k of keys) {
      const w = o.windows ? def.timeWindow(k) : null;
      out.line(w ? `${k}\t${w.start}\t${w.end}` : k);
    }
  }
  return 0;
}
