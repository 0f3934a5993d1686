// Every `backfill` command run as a user runs the built CLI: help pages, --json documents, bad flags and values.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');

function quickstartCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-cmd-'));
  fs.cpSync(path.join(root, 'examples', 'quickstart'), dir, { recursive: true, filter: (src) => !/[/\\](\.backfills|output)$/.test(src) });
  return dir;
}

function backfill(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('every command has its own -h page, printed with exit 0', () => {
  const commands = ['asset', 'job', 'plan', 'list', 'show', 'cancel', 'pause', 'resume', 'reexecute', 'defs', 'partitions'];
  for (const c of commands) {
    const r = backfill([c, '-h']);
    assert.equal(r.code, 0, c);
    assert.match(r.stdout, new RegExp(`^usage: backfill ${c}\\b`), c);
    assert.match(r.stdout, /exit codes: 0 ok, 1 a backfill failed, 2 bad input, 130 interrupted/, c);
  }
  assert.match(backfill(['help', 'job']).stdout, /^usage: backfill job -j\|-p JOB/);
  const overview = backfill(['--help']);
  for (const c of commands) assert.match(overview.stdout, new RegExp(`^  ${c}\\s`, 'm'), `overview lists ${c}`);
  assert.equal(backfill([]).code, 2, 'no command is bad input');
});

test('malformed --tags exit 2 with a message naming the problem, before anything runs', () => {
  const ws = quickstartCopy();
  const base = ['asset', '--select', 'daily_counts', '--partitions', '2024-01-01', '--noprompt', '-w', ws];
  const cases: [string, RegExp][] = [
    ['{team: data}', /--tags "\{team: data\}" is not JSON/],
    ['["a"]', /must be a JSON object .* got an array/],
    ['"x"', /must be a JSON object .* got a string/],
    ['{"priority": 5}', /the value of "priority" must be a string/],
    ['{"": "x"}', /empty tag name/],
  ];
  for (const [tags, message] of cases) {
    const r = backfill([...base, '--tags', tags]);
    assert.equal(r.code, 2, `${tags}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, tags);
    const json = backfill([...base, '--tags', tags, '--json']);
    assert.equal((JSON.parse(json.stdout) as { error: { type: string } }).error.type, 'BadInput');
  }
  assert.equal(fs.existsSync(path.join(ws, '.backfills')), false, 'no state store was even opened');
});

test('list, show, resume and reexecute speak --json; reexecute --from-failure runs only what failed', () => {
  const ws = quickstartCopy();
  const data = path.join(ws, 'data', 'events.csv');
  const good = fs.readFileSync(data, 'utf8');
  // A run fails while the data file is broken; it is fixed before the re-execution.
  fs.writeFileSync(data, 'not,the,right,header\n');
  const failed = backfill(['asset', '--select', 'daily_counts', '--partitions', '2024-01-01,2024-01-02', '--noprompt', '--json', '-w', ws]);
  assert.equal(failed.code, 1, failed.stderr);
  const doc = JSON.parse(failed.stdout) as { backfillId: string; status: string; counts: { failed: number } };
  assert.equal(doc.status, 'COMPLETED_FAILED');
  assert.equal(doc.counts.failed, 2);
  fs.writeFileSync(data, good);

  const list = JSON.parse(backfill(['list', '--json', '-w', ws]).stdout) as { backfills: { id: string; status: string }[] };
  assert.deepEqual(list.backfills.map((b) => [b.id, b.status]), [[doc.backfillId, 'COMPLETED_FAILED']]);

  const resume = backfill(['resume', doc.backfillId, '--json', '-w', ws]);
  assert.equal(resume.code, 2, 'a completed backfill is re-executed, not resumed');
  assert.match((JSON.parse(resume.stdout) as { error: { message: string } }).error.message, /completed \(Failed\); re-execute it/);

  const again = backfill(['reexecute', doc.backfillId, '--from-failure', '--json', '-w', ws]);
  assert.equal(again.code, 0, again.stderr);
  const child = JSON.parse(again.stdout.slice(again.stdout.indexOf('{'))) as { backfillId: string; status: string; counts: { succeeded: number; total: number } };
  assert.equal(child.status, 'COMPLETED_SUCCESS');
  assert.equal(child.counts.total, 2);
  const shown = JSON.parse(backfill(['show', child.backfillId, '--json', '-w', ws]).stdout) as { backfill: { parentId: string }; runs: { partitionKey: string; status: string }[] };
  assert.equal(shown.backfill.parentId, doc.backfillId);
  assert.deepEqual(shown.runs.map((r) => [r.partitionKey, r.status]), [['2024-01-01', 'SUCCESS'], ['2024-01-02', 'SUCCESS']]);
});

test('backfill cancel stops a backfill another process runs: that process terminates its runs and exits', async () => {
  const ws = quickstartCopy();
  const yaml = path.join(ws, 'backfills.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('"{partition_key}"]', '"{partition_key}", "--delay", "1"]'));
  const owner = spawn(process.execPath, [cli, 'asset', '--select', 'daily_counts', '--from', '2024-01-01', '--to', '2024-01-20', '--max-concurrent', '2', '--noprompt', '-w', ws], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  owner.stdout.on('data', (d: Buffer) => (output += d.toString()));
  owner.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => owner.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!/\(1\/20\)/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const id = /Launched backfill ([a-z]{8})/.exec(output)?.[1];
  assert.ok(id, output);

  const cancel = backfill(['cancel', id, '--json', '-w', ws]);
  assert.equal(cancel.code, 0, cancel.stdout + cancel.stderr);
  assert.deepEqual(JSON.parse(cancel.stdout), { backfillId: id, canceled: 'owner' });
  assert.equal(await exited, 1, output);
  const shown = JSON.parse(backfill(['show', id, '--json', '-w', ws]).stdout) as { backfill: { status: string }; runs: { status: string }[] };
  assert.equal(shown.backfill.status, 'CANCELED');
  assert.ok(shown.runs.filter((r) => r.status === 'SUCCESS').length < 20, 'the cancel stopped the backfill part-way');
  assert.equal(shown.runs.filter((r) => r.status === 'QUEUED' || r.status === 'STARTED').length, 0);

  const again = backfill(['cancel', id, '-w', ws]);
  assert.equal(again.code, 2, again.stdout + again.stderr);
  assert.match(again.stderr, /already ended \(Canceled\)/);
  assert.match(backfill(['cancel', 'zzzzzzzz', '-w', ws]).stderr, /no backfill with id zzzzzzzz/);
});

test('backfill pause and resume reach a backfill another process runs; list and show mark it paused while it stays REQUESTED', async () => {
  const ws = quickstartCopy();
  const yaml = path.join(ws, 'backfills.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('"{partition_key}"]', '"{partition_key}", "--delay", "1"]'));
  const owner = spawn(process.execPath, [cli, 'asset', '--select', 'daily_counts', '--from', '2024-01-01', '--to', '2024-01-06', '--max-concurrent', '1', '--noprompt', '-w', ws], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  owner.stdout.on('data', (d: Buffer) => (output += d.toString()));
  owner.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => owner.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!/Launched backfill/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const id = /Launched backfill ([a-z]{8})/.exec(output)?.[1];
  assert.ok(id, output);

  const pause = backfill(['pause', id, '--json', '-w', ws]);
  assert.equal(pause.code, 0, pause.stdout + pause.stderr);
  assert.deepEqual(JSON.parse(pause.stdout), { backfillId: id, paused: 'owner' });
  const listed = JSON.parse(backfill(['list', '--json', '-w', ws]).stdout) as { backfills: { id: string; status: string; paused: boolean; pausedAt: number }[] };
  assert.deepEqual(listed.backfills.map((b) => [b.id, b.status, b.paused]), [[id, 'REQUESTED', true]]);
  assert.equal(typeof listed.backfills[0]!.pausedAt, 'number');
  assert.match(backfill(['list', '-w', ws]).stdout, new RegExp(`^${id}\\s+Paused\\s.*\\spaused$`, 'm'));
  assert.match(backfill(['show', id, '-w', ws]).stdout, new RegExp(`^Backfill ${id}  Paused since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\(backfill resume ${id} continues it\\)$`, 'm'));
  assert.equal((JSON.parse(backfill(['show', id, '--json', '-w', ws]).stdout) as { paused: boolean }).paused, true);

  const resume = backfill(['resume', id, '--json', '-w', ws]);
  assert.equal(resume.code, 0, resume.stdout + resume.stderr);
  assert.deepEqual(JSON.parse(resume.stdout), { backfillId: id, resumed: 'owner' });
  assert.equal(await exited, 0, output);
  const shown = JSON.parse(backfill(['show', id, '--json', '-w', ws]).stdout) as { backfill: { status: string; pausedAt?: number }; paused: boolean; runs: { status: string; attempt: number }[] };
  assert.equal(shown.backfill.status, 'COMPLETED_SUCCESS');
  assert.equal(shown.paused, false);
  assert.equal(shown.backfill.pausedAt, undefined);
  assert.deepEqual(shown.runs.map((r) => `${r.status} ${r.attempt}`), Array(6).fill('SUCCESS 1'), 'every partition ran once');
  assert.match(backfill(['pause', id, '-w', ws]).stderr, /already ended \(Success\); there is nothing to pause/);
  assert.equal(backfill(['pause', '-w', ws]).code, 2);
});

test('backfill show lists runs waiting for a retry with their attempt and due time', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-cmd-retry-'));
  const store = await openStateStore({ path: path.join(ws, '.backfills', 'state.sqlite') });
  const run = { backfillId: 'retryaaa', target: 't', createdAt: 0, startedAt: null, endedAt: null, exitCode: 1, error: 'attempt 1 failed', pid: null };
  store.createBackfill({ id: 'retryaaa', status: 'REQUESTED', targets: ['t'], partitionCount: 2, origin: 'cli', createdAt: 0, endedAt: null, selection: 'k1,k2' }, [
    { ...run, id: 'r1', partitionKey: 'k1', status: 'QUEUED', attempt: 2, retryDueAt: Date.UTC(2024, 2, 1, 0, 1) },
    { ...run, id: 'r2', partitionKey: 'k2', status: 'QUEUED', attempt: 1 },
  ]);
  await store.close();
  const shown = backfill(['show', 'retryaaa', '-w', ws]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^Backfill retryaaa  In progress$/m);
  assert.deepEqual(shown.stdout.split('\n').filter((l) => l.includes('Retry')), ['  Retry  t k1: attempt 2 due 2024-03-01 00:01:00 UTC']);
});

test('defs names the code location of a key two locations define; plan --select of it asks for --location, which picks one', () => {
  // The folder keeps its name: its modules import each other as the package docs_snippets.
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bf-defs-')), 'docs_snippets');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'discovery', 'docs_snippets'), dir, { recursive: true });
  const defs = spawnSync(process.execPath, [cli, 'defs'], { cwd: dir, encoding: 'utf8', input: '', timeout: 120_000 });
  assert.equal(defs.status, 0, defs.stderr);
  // Each under its code location's heading (the name --location takes), then its asset group's.
  const lines = defs.stdout.split('\n');
  const block = (label: string) => {
    const from = lines.indexOf(`code location ${label}`);
    const next = lines.findIndex((l, i) => i > from && !l.startsWith(' '));
    return lines.slice(from, next).map((l) => l.split('  [')[0]);
  };
  assert.deepEqual(block('static_partitioned_asset.py'), ['code location static_partitioned_asset.py', '  group default', '    asset   regional_sales', '    asset   regional_summary']);
  assert.deepEqual(block('legacy_repository.py/regions_repository'), [
    'code location legacy_repository.py/regions_repository', '  group default', '    asset   regional_sales', '    asset   regional_summary', '  jobs', '    job     regions_job',
  ]);
  assert.match(defs.stdout, /^code location __init__\.py\n  group reporting\n    asset   monthly_revenue  \[monthly/m);
  const json = spawnSync(process.execPath, [cli, 'defs', '--json'], { cwd: dir, encoding: 'utf8', input: '', timeout: 120_000 });
  const doc = JSON.parse(json.stdout) as { codeLocations: { label: string; name: string; repository: string | null; groups: { name: string; assets: string[] }[]; jobs: string[] }[]; assets: { key: string[]; group: string; codeLocation: string }[] };
  assert.deepEqual(doc.codeLocations.find((l) => l.label === 'legacy_repository.py/regions_repository'),
    { label: 'legacy_repository.py/regions_repository', name: 'legacy_repository.py', repository: 'regions_repository', root: '',
      groups: [{ name: 'default', assets: ['regional_sales', 'regional_summary'] }], jobs: ['regions_job'] });
  assert.deepEqual(doc.assets.filter((a) => a.key.join('/') === 'monthly_revenue').map((a) => [a.group, a.codeLocation]), [['reporting', '__init__.py']]);
  const plan = (extra: string[]) => spawnSync(process.execPath, [cli, 'plan', '--select', 'regional_sales', '--partitions', 'us_east', ...extra], { cwd: dir, encoding: 'utf8', input: '', timeout: 120_000 });
  const ambiguous = plan([]);
  assert.equal(ambiguous.status, 2);
  assert.match(ambiguous.stderr, /"regional_sales" is defined 2 times: static_partitioned_asset\.py \(.*\), legacy_repository\.py \(.*\); choose one code location with --location NAME/);
  const chosen = plan(['--location', 'static_partitioned_asset.py']);
  assert.equal(chosen.status, 0, chosen.stderr);
  assert.match(chosen.stdout, /^Plan: 1 runs over 1 partitions of regional_sales/m);
});
