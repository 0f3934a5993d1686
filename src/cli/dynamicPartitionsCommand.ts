// `backfill partitions add|delete|list NAME [KEY…]`: the keys of a dynamic partitions definition, changed where they
// live: on the Dagster instance when the interpreter can import dagster, else in the project's state store.
import { DagsterStatusError } from '../core/coordinator/dagsterStatusReader';
import { dynamicPartitionsNames } from '../core/partitions/dynamicPartitionsNames';
import { PartitionsError } from '../core/partitions/partitionsDefinition';
import type { DynamicPartitionsChange } from '../core/status/partitionStatusCache';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';

export const DYNAMIC_PARTITIONS_USAGE = 'usage: backfill partitions add NAME KEY [KEY…]\n       backfill partitions delete NAME KEY [KEY…]\n       backfill partitions list NAME';

export async function runDynamicPartitions(ws: BackfillWorkspace, out: CliOutput, action: 'add' | 'delete' | 'list', args: readonly string[]): Promise<number> {
  const [name, ...keys] = args;
  if (!name) throw new CliError(`name the dynamic partitions definition\n${DYNAMIC_PARTITIONS_USAGE}`);
  if (action !== 'list' && keys.length === 0) throw new CliError(`give the keys to ${action}: backfill partitions ${action} ${name} KEY [KEY…]`);
  if (action === 'list' && keys.length > 0) throw new CliError(`partitions list takes one name, not keys: backfill partitions list ${name}`);
  const snapshot = await ws.refreshDefinitions();
  const known = [...new Set([...snapshot.assets, ...snapshot.jobs, ...snapshot.commandTargets].flatMap((d) => dynamicPartitionsNames(d.partitions)))];
  if (!known.includes(name)) {
    const names = known.length ? known.map((n) => JSON.stringify(n)).join(', ') : 'none';
    throw new CliError(`no DynamicPartitionsDefinition named ${JSON.stringify(name)} in ${ws.root} (known: ${names})`);
  }
  let change: DynamicPartitionsChange;
  try {
    if (action === 'list') change = await ws.dynamicPartitionKeys(name);
    else change = action === 'add' ? await ws.addDynamicPartitions(name, keys) : await ws.deleteDynamicPartitions(name, keys);
  } catch (e) {
    if (e instanceof PartitionsError) throw new CliError(`${name}: ${e.message}`);
    if (e instanceof DagsterStatusError) throw new CliError(e.message, 2, 'DagsterInstanceError');
    throw e;
  }
  if (out.json) {
    out.document({ ...change, count: change.keys.length });
    return 0;
  }
  const where = change.source === 'instance'
    ? `on the Dagster instance at ${change.instance ?? '(unnamed)'}`
    : `in the project's state (${ws.statePath}; ${(change.reason ?? 'dagster is not available').replace(/\.$/, '')})`;
  if (action === 'list') {
    out.error(`${change.keys.length} keys of "${name}" ${where}`);
    for (const key of change.keys) out.line(key);
    return 0;
  }
  const list = (k: readonly string[]) => k.slice(0, 10).join(', ') + (k.length > 10 ? `, … (${k.length})` : '');
  out.line(`${action === 'add' ? 'Added' : 'Deleted'} ${list(keys)} ${action === 'add' ? 'to' : 'from'} "${name}" ${where}: now ${change.keys.length} key${change.keys.length === 1 ? '' : 's'}${change.keys.length ? ` (${list(change.keys)})` : ''}`);
  return 0;
}
