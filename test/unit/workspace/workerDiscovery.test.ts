// WorkerDiscovery: discovery in a worker thread gives what discovery in this thread gives, updates incrementally, and
// survives its worker crashing or exiting (against the real dist/discoveryWorker.js, and a double that fails on demand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { dailyAssetsModule } from './dailyAssetsModule';
import { TimeWindowPartitionsDefinition } from '../../../src/core/partitions/timeWindowPartitionsDefinition';
import { BackfillWorkspace } from '../../../src/core/workspace/backfillWorkspace';
import { InProcessDiscovery } from '../../../src/core/workspace/inProcessDiscovery';
import { NodeSourceFiles } from '../../../src/core/workspace/nodeSourceFiles';
import { WorkerDiscovery } from '../../../src/core/workspace/workerDiscovery';
import { repoRoot } from '../project/repoRoot';

const workerScript = path.join(repoRoot(), 'dist', 'discoveryWorker.js');
const fixture = path.join(repoRoot(), 'test', 'fixtures', 'discovery', 'multi_package');

function tempCopy(from?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-discovery-'));
  if (from) fs.cpSync(from, dir, { recursive: true });
  return dir;
}

/**
 * The discovery worker, except that a request arriving while `marker` exists makes it fail as the marker says
 * ("throw": an uncaught error; "exit": process.exit(7)); the marker is removed first, so it fails once.
 */
function failingWorkerDouble(dir: string): { script: string; failNext: (how: 'throw' | 'exit') => void } {
  const marker = path.join(dir, 'fail-next');
  const script = path.join(dir, 'failingDiscoveryWorker.js');
  fs.writeFileSync(script, `
const fs = require('node:fs');
const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => {
  if (!fs.existsSync(${JSON.stringify(marker)})) return;
  const how = fs.readFileSync(${JSON.stringify(marker)}, 'utf8');
  fs.rmSync(${JSON.stringify(marker)});
  if (how === 'exit') process.exit(7);
  throw new Error('the discovery double failed as asked');
});
require(${JSON.stringify(workerScript)});
`);
  return { script, failNext: (how) => fs.writeFileSync(marker, how) };
}

test('the worker discovers in another thread exactly what in-process discovery finds, partitions revived as definitions', async () => {
  const root = tempCopy(fixture);
  const worker = new WorkerDiscovery({ root, workerScript });
  try {
    const inThread = await new InProcessDiscovery(new NodeSourceFiles(root)).load();
    const got = await worker.load();
    assert.ok(got.assets.length >= 5, `only ${got.assets.length} assets`);
    // JSON.stringify writes partitions through toJSON(): the whole snapshot, field by field.
    assert.equal(JSON.stringify(got), JSON.stringify(inThread));
    const partitioned = got.assets.find((a) => a.key.join('/') === 'warehouse/raw_orders')!;
    assert.ok(partitioned.partitions instanceof TimeWindowPartitionsDefinition);
    assert.deepEqual(partitioned.partitions.keys(new Date('2024-01-04T00:00:00Z')), ['2024-01-01', '2024-01-02', '2024-01-03']);
    assert.notEqual(worker.lastThreadId, undefined);
    assert.notEqual(worker.lastThreadId, threadId);
  } finally {
    worker.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an update re-reads the changed files in the same worker', async () => {
  const root = tempCopy();
  const file = path.join(root, 'assets.py');
  fs.writeFileSync(file, dailyAssetsModule(['orders']));
  const worker = new WorkerDiscovery({ root, workerScript });
  try {
    assert.deepEqual((await worker.load()).assets.map((a) => a.key.join('/')), ['orders']);
    fs.writeFileSync(file, dailyAssetsModule(['orders', 'refunds']));
    fs.writeFileSync(path.join(root, 'more.py'), dailyAssetsModule(['clicks']));
    const updated = await worker.update(['assets.py', 'more.py']);
    assert.deepEqual(updated.assets.map((a) => a.key.join('/')).sort(), ['clicks', 'orders', 'refunds']);
    // Both assets share one partitions definition in the module: revived once, shared again.
    assert.equal(updated.assets[0]!.partitions, updated.assets[1]!.partitions);
    fs.rmSync(path.join(root, 'more.py'));
    assert.deepEqual((await worker.update(['more.py'])).assets.map((a) => a.key.join('/')), ['orders', 'refunds']);
    assert.equal(worker.workersStarted, 1);
  } finally {
    worker.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

for (const how of ['throw', 'exit'] as const) {
  test(`a worker that fails (${how}) rejects its request, is reported, and the next request starts a new one`, async () => {
    const root = tempCopy();
    fs.writeFileSync(path.join(root, 'assets.py'), dailyAssetsModule(['orders']));
    const double = failingWorkerDouble(root);
    const failures: string[] = [];
    const worker = new WorkerDiscovery({ root, workerScript: double.script, onWorkerFailure: (m) => failures.push(m) });
    try {
      assert.equal((await worker.load()).assets.length, 1);
      double.failNext(how);
      await assert.rejects(worker.update(['assets.py']), how === 'throw' ? /crashed: .*the discovery double failed as asked/s : /exited \(code 7\)/);
      assert.equal(failures.length, 1);
      fs.writeFileSync(path.join(root, 'assets.py'), dailyAssetsModule(['orders', 'refunds']));
      // The new worker has no index yet: the update is a full load.
      assert.deepEqual((await worker.update(['assets.py'])).assets.map((a) => a.key.join('/')), ['orders', 'refunds']);
      assert.equal(worker.workersStarted, 2);
    } finally {
      worker.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}

test('a workspace whose discovery fails keeps its last definitions and shows the failure as a diagnostic', async () => {
  const root = tempCopy();
  fs.writeFileSync(path.join(root, 'assets.py'), dailyAssetsModule(['orders']));
  const double = failingWorkerDouble(root);
  const discovery = new WorkerDiscovery({ root, workerScript: double.script });
  const workspace = new BackfillWorkspace({ root, origin: 'cli', discovery, adoptOrphansOnStart: false, commandSpawner: false });
  try {
    assert.deepEqual((await workspace.refreshDefinitions()).assets.map((a) => a.key.join('/')), ['orders']);
    double.failNext('throw');
    const failed = await workspace.refreshDefinitions(['assets.py']);
    assert.deepEqual(failed.assets.map((a) => a.key.join('/')), ['orders']);
    assert.equal(failed.diagnostics.length, 1);
    assert.match(failed.diagnostics[0]!.message, /^Discovery failed, so these are the definitions found before: the discovery worker crashed: .*The next refresh discovers again\.$/);
    const again = await workspace.refreshDefinitions(['assets.py']);
    assert.deepEqual(again.diagnostics, []);
  } finally {
    discovery.dispose();
    await workspace.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a disposed discovery ends its worker and refuses requests', async () => {
  const root = tempCopy();
  fs.writeFileSync(path.join(root, 'assets.py'), dailyAssetsModule(['orders']));
  const worker = new WorkerDiscovery({ root, workerScript });
  const pending = worker.load();
  worker.dispose();
  await assert.rejects(pending, /discovery was closed/);
  await assert.rejects(worker.load(), /discovery was closed/);
  fs.rmSync(root, { recursive: true, force: true });
});
