// Jobs partitioned through partitioned configs: every helper decorator, PartitionedConfig, and Dagster's errors when a config's partitions do not match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverDefinitions } from '../../../src/core/definitions/discoverDefinitions';
import { NodeSourceFiles } from '../../../src/core/workspace/nodeSourceFiles';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/discovery/configs');
const now = new Date('2024-01-03T00:00:00Z');

test('partitioned config decorators give jobs their partitions; the unknowable and the contradictory become diagnostics', async () => {
  const defs = await discoverDefinitions(new NodeSourceFiles(fixtures));
  const job = (name: string) => {
    const found = defs.jobs.find((j) => j.name === name);
    assert.ok(found, `job ${name} not found among ${defs.jobs.map((j) => j.name).join(', ')}`);
    return found;
  };
  const json = (name: string) => job(name).partitions?.toJSON() ?? null;
  assert.deepEqual(json('hourly_job'), {
    kind: 'time_window', cron: '0 * * * *', start: '2024-01-01T00:00:00+01:00', end: null, timezone: 'Europe/Berlin', fmt: '%Y-%m-%d-%H:%M', endOffset: 0,
  });
  // Positional arguments follow the decorator's own order: start_date, minute_offset, hour_offset.
  assert.equal((json('daily_job') as { cron: string }).cron, '30 2 * * *');
  assert.equal((json('weekly_job') as { cron: string }).cron, '0 0 * * 1');
  assert.deepEqual(job('monthly_job').partitions?.keys(now), ['2024-01-01']);
  assert.deepEqual(json('region_job'), { kind: 'static', keys: ['us', 'eu'] });
  assert.deepEqual(json('customer_job'), { kind: 'dynamic', name: 'customers' });
  assert.equal(job('computed_job').partitions, null);
  assert.deepEqual(job('explicit_job').partitions?.keys(now), ['2024-01-01', '2024-01-02']);
  assert.deepEqual(job('fixed_config_job').partitions?.keys(now), ['2024-01-01', '2024-01-02']);
  assert.deepEqual(json('agreeing_job'), { kind: 'static', keys: ['us', 'eu'] });
  assert.deepEqual(job('mismatched_job').partitions?.keys(now), ['2024-01-01', '2024-01-02']);

  // No Definitions object: Dagster's `-f` refuses a module of several jobs, which is said once (at its second job).
  const messages = defs.diagnostics.map((d) => `${d.location.line} ${d.severity} ${d.message}`)
    .filter((m) => !/^\d+ warning `dagster dev -f jobs\.py` refuses this module: No repository and more than one job found in "jobs" \(12 jobs/.test(m));
  assert.equal(defs.diagnostics.length, 4, messages.join('\n'));
  assert.equal(messages.length, 3, messages.join('\n'));
  assert.match(messages[0]!, /^51 error dynamic_partitioned_config gets its partition keys by running partition_fn, which cannot be known statically/);
  assert.match(messages[1]!, /^109 error Can't supply a PartitionedConfig for 'config' with a different PartitionsDefinition than supplied for 'partitions_def'\.$/);
  assert.match(messages[2]!, /^114 error Can't supply a ConfigMapping for 'config' when 'partitions_def' is supplied\.$/);
});
