// The CLI in a pseudo-terminal, as a user at a shell sees it: the proceed prompt, the live progress line, Ctrl-C then resume.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');
const driver = path.join(root, 'test', 'fixtures', 'pty', 'ptyDriver.py');

interface Step {
  expect: string;
  send?: string;
  timeout?: number;
}

interface TerminalResult {
  exitCode: number | null;
  output: string;
  failedStep: number | null;
}

function quickstartCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-pty-'));
  fs.cpSync(path.join(root, 'examples', 'quickstart'), dir, { recursive: true, filter: (src) => !/[/\\](\.backfills|output)$/.test(src) });
  return dir;
}

/** Runs the CLI in a pseudo-terminal (Python's pty module), playing `steps` against its output. */
function inTerminal(args: string[], steps: Step[]): TerminalResult {
  const r = spawnSync('python3', [driver, JSON.stringify(steps), '--', process.execPath, cli, ...args], { encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as TerminalResult;
}

function backfill(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('on a terminal the CLI asks before launching; "n" launches nothing', () => {
  const ws = quickstartCopy();
  const r = inTerminal(['asset', '--select', 'daily_counts', '--from', '2024-01-01', '--to', '2024-01-03', '-w', ws], [
    { expect: 'Do you want to proceed with the backfill \\(3 partitions\\)\\? \\[y/N\\] ', send: 'n\r' },
  ]);
  assert.equal(r.failedStep, null, r.output);
  assert.equal(r.exitCode, 0, r.output);
  assert.match(r.output, /Backfill not launched/);
  assert.equal(fs.existsSync(path.join(ws, 'output')), false, 'nothing ran');
  assert.match(backfill(['list', '-w', ws]).stdout, /No backfills/);
});

test('on a terminal "y" launches, a live progress line is redrawn in place, and a summary table ends it', () => {
  const ws = quickstartCopy();
  const r = inTerminal(['asset', '--select', 'daily_counts', '--from', '2024-01-01', '--to', '2024-01-04', '-w', ws], [
    { expect: '\\[y/N\\] ', send: 'y\r' },
    { expect: 'Backfill [a-z]{8}: Success in', timeout: 120 },
  ]);
  assert.equal(r.failedStep, null, r.output);
  assert.equal(r.exitCode, 0, r.output);
  // The progress line is rewritten with carriage return + erase-line, never printed as one line per run.
  assert.match(r.output, /\r\x1b\[2Kruns \d+\/4 done · \d+ failed · \d+ running · [\d.]+ runs\/s · ETA /);
  assert.doesNotMatch(r.output, /^ok {4}daily_counts/m);
  assert.match(r.output, /target\s+runs\s+succeeded\s+failed\s+canceled/);
  assert.match(r.output, /daily_counts\s+4\s+4\s+0\s+0/);
});

test('Ctrl-C cancels the backfill (exit 130); resume completes it with every partition materialized exactly once', () => {
  const ws = quickstartCopy();
  // Slow runs, so the interrupt lands while some are running and most are still queued.
  const yaml = path.join(ws, 'backfills.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('"{partition_key}"]', '"{partition_key}", "--delay", "0.5"]'));
  const r = inTerminal(['asset', '--select', 'daily_counts', '--from', '2024-01-01', '--to', '2024-01-12', '--max-concurrent', '2', '--noprompt', '-w', ws], [
    { expect: 'runs [1-9]\\d*/12 done', send: '\u0003', timeout: 120 },
    { expect: 'Interrupted: canceling backfill', timeout: 30 },
  ]);
  assert.equal(r.failedStep, null, r.output);
  assert.equal(r.exitCode, 130, r.output);
  const id = /Launched backfill ([a-z]{8})/.exec(r.output)?.[1];
  assert.ok(id, r.output);
  const afterInterrupt = JSON.parse(backfill(['show', id, '--json', '-w', ws]).stdout) as { backfill: { status: string }; runs: { status: string }[] };
  assert.equal(afterInterrupt.backfill.status, 'CANCELED');
  assert.ok(afterInterrupt.runs.some((x) => x.status !== 'SUCCESS'), 'the interrupt left work undone');

  const resumed = backfill(['resume', id, '-w', ws]);
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  const final = JSON.parse(backfill(['show', id, '--json', '-w', ws]).stdout) as { backfill: { status: string }; runs: { partitionKey: string; status: string }[] };
  assert.equal(final.backfill.status, 'COMPLETED_SUCCESS');
  const succeeded = final.runs.filter((x) => x.status === 'SUCCESS').map((x) => x.partitionKey).sort();
  assert.deepEqual(succeeded, Array.from({ length: 12 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`));
  assert.equal(fs.readdirSync(path.join(ws, 'output', 'daily_counts')).filter((f) => f.endsWith('.json')).length, 12);
});
