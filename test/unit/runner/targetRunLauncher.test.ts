// The router sends command targets to the command launcher and Dagster definitions to the Dagster launcher.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunLauncher, RunRequest } from '../../../src/core/coordinator/runLauncher';
import { TargetRunLauncher } from '../../../src/core/coordinator/targetRunLauncher';
import type { Definition } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
const defs: Record<string, Definition> = {
  cmd: { kind: 'command', name: 'cmd', location: { file: 'backfills.yaml', line: 2 }, partitions: daily, command: ['true'], cwd: '', env: {}, deps: [], backfillPolicy: null },
  'a/b': { kind: 'asset', key: ['a', 'b'], group: 'default', location: { file: 'x.py', line: 1 }, partitions: daily, deps: [], backfillPolicy: null },
  job: { kind: 'job', name: 'job', location: { file: 'x.py', line: 9 }, partitions: daily },
};

function recorder(name: string, seen: string[]): RunLauncher {
  return { launch: async (run) => (seen.push(`${name}:${run.target}`), { status: 'SUCCESS', exitCode: 0, error: null }) };
}

const run = (targets: string[]): RunRequest => ({ runId: 'r', backfillId: 'b', target: targets.join(','), targets, partitionKey: '2024-01-01', tags: {}, attempt: 1 });

test('each run goes to the launcher of its targets; unknown or mixed targets fail with a message', async () => {
  const seen: string[] = [];
  const router = new TargetRunLauncher({ definition: (n) => defs[n], command: recorder('command', seen), dagster: recorder('dagster', seen) });
  const io = { signal: new AbortController().signal, onLog: () => undefined };
  for (const targets of [['cmd'], ['a/b'], ['job']]) assert.equal((await router.launch(run(targets), io)).status, 'SUCCESS');
  assert.deepEqual(seen, ['command:cmd', 'dagster:a/b', 'dagster:job']);
  assert.deepEqual(await router.launch(run(['zzz']), io), { status: 'FAILURE', exitCode: null, error: 'no asset, job or command target named "zzz"' });
  assert.match((await router.launch(run(['cmd', 'a/b']), io)).error!, /cannot mix command targets and Dagster definitions/);
});
