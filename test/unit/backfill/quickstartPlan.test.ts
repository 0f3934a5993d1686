// The quickstart plan printed by `backfill plan --json` is what `backfill asset` then runs, run for run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');
const backfill = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', input: '', timeout: 120_000 });

test('backfill plan matches the runs of the backfill launched from its saved file', () => {
  assert.ok(fs.existsSync(cli), 'dist/cli.js is missing: build first (node esbuild.mjs)');
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-plan-'));
  fs.cpSync(path.join(root, 'examples', 'quickstart'), ws, { recursive: true, filter: (src) => !/[/\\](\.backfills|output)$/.test(src) });
  const file = path.join(ws, 'plan.json');
  const shown = backfill(['plan', '--select', 'daily_counts', '--partitions', '[2024-01-01...2024-01-03],2024-01-05', '--json', '--save', file, '-w', ws]);
  assert.equal(shown.status, 0, shown.stderr);
  const plan = JSON.parse(shown.stdout) as { runs: Array<{ targets: string[]; partitionKey: string }> };
  const launched = backfill(['asset', '--plan', file, '--noprompt', '--json', '-w', ws]);
  assert.equal(launched.status, 0, launched.stderr + launched.stdout);
  const { backfillId } = JSON.parse(launched.stdout) as { backfillId: string };
  const shownRuns = JSON.parse(backfill(['show', backfillId, '--json', '-w', ws]).stdout) as { runs: Array<{ target: string; partitionKey: string }> };
  assert.deepEqual(shownRuns.runs.map((r) => `${r.target}@${r.partitionKey}`), plan.runs.map((r) => `${r.targets.join(',')}@${r.partitionKey}`));
  const again = backfill(['asset', '--plan', file, '--noprompt', '-w', ws]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /out of date/);
});
