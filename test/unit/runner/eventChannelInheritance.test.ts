// The runner's event channel (fd 3) is not inherited by what a run starts: a process an asset spawns without closing
// descriptors (close_fds=False, as os.system and posix_spawn do) finds fd 3 closed, so it can neither write into the
// event stream nor hold the pipe open after the runner ends. Both the one-run process and a warm worker.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { dagsterDefinition, quickstartWorkspace, recordingIo, runRequest } from './dagsterTestDouble';

const source = [
  'import os, subprocess, sys',
  'from dagster import DailyPartitionsDefinition, Definitions, asset',
  'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
  'PROBE = "import os, sys\\ntry:\\n    seen = os.readlink(\'/proc/self/fd/3\')\\nexcept OSError:\\n    seen = \'closed\'\\nopen(sys.argv[1], \'w\').write(seen)"',
  '@asset(partitions_def=daily)',
  'def probe_fds(context):',
  '    out = os.path.join(os.environ["FD_PROBE_DIR"], context.partition_key)',
  '    subprocess.run([sys.executable, "-c", PROBE, out], close_fds=False, check=True)',
  'defs = Definitions(assets=[probe_fds])',
].join('\n');

for (const warm of [false, true]) {
  test(`a process an asset starts does not inherit the event channel (${warm ? 'warm worker' : 'one-run process'})`, { skip: process.platform !== 'linux' ? 'reads /proc' : false }, async () => {
    const ws = quickstartWorkspace(source, [dagsterDefinition('asset', 'probe_fds')]);
    const probes = path.join(ws.root, 'probes');
    fs.mkdirSync(probes);
    const launcher = ws.launcher({ warm }, { FD_PROBE_DIR: probes });
    const r = recordingIo();
    const outcome = await launcher.launch(runRequest(['probe_fds'], '2024-01-05'), r.io);
    await launcher.retireAll();
    assert.equal(outcome.status, 'SUCCESS', `${outcome.error ?? ''}\n${r.log()}`);
    assert.equal(fs.readFileSync(path.join(probes, '2024-01-05'), 'utf8'), 'closed', 'the child had fd 3 open');
    assert.ok(r.events.some((e) => e.kind === 'run_finished'), 'the runner itself still writes its events');
  });
}
