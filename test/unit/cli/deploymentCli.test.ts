// `backfill … --deployment NAME|URL` as a user runs the built CLI, against the fake Dagster webserver started here
// (recorded 1.2 and authored newer exchanges): launch and follow to the end, cancel, resume, re-execute, the plan
// preview, list/show of remote records, and every error named with the deployment and exit code 2.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { closedLoopbackPort, startFakeDagsterWebserver, type FakeDagsterWebserver, type FakeDagsterWebserverOptions } from '../../harness/fakeDagsterWebserver';
import { repoRoot } from '../project/repoRoot';

const cliPath = path.join(repoRoot(), 'dist', 'cli.js');
const NOW = ['--now', '2026-11-24T00:00:00+00:00'];

/** Runs the CLI without blocking this process, whose event loop serves the fake webserver. */
function backfill(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DAGSTER_CLOUD_API_TOKEN: _ignored, ...base } = process.env;
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const DEFS_12 = `from dagster import DailyPartitionsDefinition, StaticPartitionsDefinition, Definitions, asset, job, op

daily = DailyPartitionsDefinition(start_date="2026-11-01")


@asset(partitions_def=daily)
def raw_events():
    return 1


@asset(partitions_def=daily)
def events(raw_events):
    return raw_events


@asset(partitions_def=StaticPartitionsDefinition(["us", "eu", "apac"]))
def regions():
    return 1


@op
def do_stuff():
    return 1


@job(partitions_def=daily)
def do_stuff_partitioned():
    do_stuff()


@job(partitions_def=daily)
def nightly():
    do_stuff()


defs = Definitions(assets=[raw_events, events, regions], jobs=[do_stuff_partitioned, nightly])
`;

const DEFS_NEWER = `from dagster import DailyPartitionsDefinition, Definitions, asset, job, op

daily = DailyPartitionsDefinition(start_date="2026-11-01")


@asset(partitions_def=daily)
def orders():
    return 1


@asset(partitions_def=daily)
def order_items(orders):
    return orders


@op
def load_orders():
    return 1


@job(partitions_def=daily)
def orders_job():
    load_orders()


defs = Definitions(assets=[orders, order_items], jobs=[orders_job])
`;

/** A workspace whose settings name the fake server "prod" (JSON with comments and trailing commas, as VS Code writes). */
function workspace(file: string, defs: string, url: string, kind = 'oss'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-deploy-cli-'));
  fs.writeFileSync(path.join(dir, file), defs);
  fs.mkdirSync(path.join(dir, '.vscode'));
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `{
  // where production backfills run
  "backfillStudio.deployments": [
    { "name": "prod", "url": "${url}", "kind": "${kind}", }, /* the fake webserver */
  ],
}
`);
  return dir;
}

async function withServer(options: FakeDagsterWebserverOptions, body: (server: FakeDagsterWebserver) => Promise<void>): Promise<void> {
  const server = await startFakeDagsterWebserver(options);
  try {
    await body(server);
    assert.deepEqual(server.requests.filter((r) => r.status === 400).map((r) => r.query), [], 'a request the schema rejects');
    assert.deepEqual(server.requests.flatMap((r) => r.unmatched), [], 'a request no exchange answers');
  } finally {
    await server.close();
  }
}

const sent = (server: FakeDagsterWebserver, operation: string): Record<string, unknown>[] =>
  server.requests.filter((r) => r.operationName === operation).map((r) => r.variables);
const launchedId = (stdout: string): string => /Launched backfill ([a-z]{8}) on deployment/.exec(stdout)?.[1] ?? assert.fail(`no launch in: ${stdout}`);

describe('backfill --deployment against the recorded Dagster 1.2 webserver', () => {
  test('asset: the preview, the launch with names (1.2 has no ranges), followed to Success; list and show mark it', () => withServer({ fixtures: '1.2', only: ['01_', '20_', '21_', '96_', '97_'] }, async (server) => {
    const ws = workspace('defs.py', DEFS_12, server.url);
    const r = await backfill(['asset', '--select', 'raw_events,events', '--from', '2026-11-01', '--to', '2026-11-03', '--deployment', 'prod', '--noprompt', '--poll', '0.01', '-w', ws, ...NOW]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^Deployment prod \\(${server.url.replace(/\./g, '\\.')}\\), Dagster 1!0\\+dev$`, 'm'));
    assert.match(r.stdout, /The deployment will be asked: launchPartitionBackfill with backfillParams/);
    assert.deepEqual(sent(server, 'BackfillStudioLaunchPartitionBackfill'), [{ backfillParams: { assetSelection: [{ path: ['raw_events'] }, { path: ['events'] }], partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'] } }]);
    const id = launchedId(r.stdout);
    assert.match(r.stdout, new RegExp(`Launched backfill ${id} on deployment prod as its backfill xizjnauj`));
    assert.match(r.stdout, /^In progress · 0 runs/m);
    assert.match(r.stdout, new RegExp(`^Backfill ${id} on deployment prod \\(its backfill xizjnauj\\): Success\\n  3 runs: 3 succeeded, 0 failed`, 'm'));
    assert.equal(sent(server, 'BackfillStudioPartitionBackfill').length, 5);
    const list = await backfill(['list', '-w', ws]);
    assert.match(list.stdout, new RegExp(`^${id}\\s+Success\\s+deployment prod\\s+raw_events,events\\s+6\\s+-\\s+-`, 'm'));
    const listed = JSON.parse((await backfill(['list', '--json', '-w', ws])).stdout) as { backfills: { id: string; remote: { backfillId: string; status: string } }[] };
    assert.deepEqual([listed.backfills[0]!.id, listed.backfills[0]!.remote.backfillId, listed.backfills[0]!.remote.status], [id, 'xizjnauj', 'COMPLETED']);
    const polls = sent(server, 'BackfillStudioPartitionBackfill').length;
    const show = await backfill(['show', id, '-w', ws]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /its backfill xizjnauj\): Success/);
    assert.equal(sent(server, 'BackfillStudioPartitionBackfill').length, polls + 1, 'show reads it from the deployment');
  }));

  test('job by URL without configuration: the partition set and location chosen are said; cancel goes to the deployment', () => withServer({ fixtures: '1.2', only: ['01_', '03_', '10_', '11_', '40_', '41_', '42_', '43_'] }, async (server) => {
    const ws = workspace('defs.py', DEFS_12, 'http://127.0.0.1:9');
    const r = await backfill(['job', '-j', 'do_stuff_partitioned', '--partitions', '2026-11-01...2026-11-03', '--deployment', server.url, '--noprompt', '--poll', '0.01', '-w', ws, ...NOW]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Runs in: job "do_stuff_partitioned" in location "defs\.py", repository "__repository__", partition set "do_stuff_partitioned_partition_set"$/m);
    assert.deepEqual(sent(server, 'BackfillStudioLaunchPartitionBackfill')[0], { backfillParams: { selector: { partitionSetName: 'do_stuff_partitioned_partition_set', repositorySelector: { repositoryName: '__repository__', repositoryLocationName: 'defs.py' } }, partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'] } });
    // 1.2 says COMPLETED while runs still run: followed until they end.
    assert.match(r.stdout, /Success\n  3 runs: 3 succeeded/);
    const host = new URL(server.url).host;
    const cancelable = await backfill(['job', '-j', 'do_stuff_partitioned', '--from', '2026-11-05', '--to', '2026-11-14', '--deployment', server.url, '--noprompt', '--no-follow', '-w', ws, ...NOW]);
    assert.equal(cancelable.code, 0, cancelable.stderr);
    const id = launchedId(cancelable.stdout);
    assert.match(cancelable.stdout, new RegExp(`on deployment ${host.replace(/\./g, '\\.')} as its backfill eltehngp`));
    const pause = await backfill(['pause', id, '-w', ws]);
    assert.equal(pause.code, 2);
    assert.match(pause.stderr, new RegExp(`backfill ${id} runs on deployment ${host.replace(/\./g, '\\.')} .*Dagster has no pause`));
    assert.equal((await backfill(['show', id, '-w', ws])).code, 0);
    const cancel = await backfill(['cancel', id, '-w', ws]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, new RegExp(`Asked deployment ${host.replace(/\./g, '\\.')} \\(${server.url.replace(/\./g, '\\.')}\\) to cancel backfill ${id} \\(its backfill eltehngp\\); Dagster says: Canceled`));
    assert.deepEqual(sent(server, 'BackfillStudioCancelPartitionBackfill'), [{ backfillId: 'eltehngp' }]);
  }));

  test('Ctrl-C stops following (exit 130) and leaves the backfill running on the deployment', () => withServer({ fixtures: '1.2', only: ['01_', '03_', '10_', '11_'] }, async (server) => {
    const ws = workspace('defs.py', DEFS_12, server.url);
    const child = spawn(process.execPath, [cliPath, 'job', '-j', 'do_stuff_partitioned', '--from', '2026-11-01', '--to', '2026-11-03', '--deployment', 'prod', '--noprompt', '--poll', '600', '-w', ws, ...NOW], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // The first read has answered; the next is 600 s away.
      if (/^In progress · /m.test(stdout)) resolve();
    }));
    child.kill('SIGINT');
    assert.equal(await code, 130, stdout + stderr);
    const id = launchedId(stdout);
    assert.ok(stderr.includes(`Stopped following: backfill ${id} goes on on deployment prod. \`backfill show ${id}\` reads it, \`backfill cancel ${id}\` cancels it there.`), stderr);
    assert.deepEqual(sent(server, 'BackfillStudioCancelPartitionBackfill'), []);
    assert.equal(sent(server, 'BackfillStudioPartitionBackfill').length, 1);
  }));

  test('errors name the deployment, exit 2 and record nothing', () => withServer({ fixtures: '1.2', only: ['01_', '03_', '96_'] }, async (server) => {
    const ws = workspace('defs.py', DEFS_12, server.url);
    const base = ['--deployment', 'prod', '--noprompt', '-w', ws, '--now', '2026-12-07T00:00:00+00:00'];
    const unknownKey = await backfill(['asset', '--select', 'raw_events', '--partitions', '2026-12-05', ...base]);
    assert.equal(unknownKey.code, 2);
    assert.match(unknownKey.stderr, /Dagster deployment "prod" \(http:\/\/127\.0\.0\.1:\d+\): asset "raw_events" has no partition "2026-12-05" on the deployment .*Nothing was launched\./);
    const unknownJob = await backfill(['job', '-j', 'nightly', '--partitions', '2026-11-05', ...base, '--json']);
    assert.equal(unknownJob.code, 2);
    assert.deepEqual(Object.keys(JSON.parse(unknownJob.stdout).error), ['type', 'message']);
    assert.equal(JSON.parse(unknownJob.stdout).error.type, 'DagsterDeploymentError');
    assert.match(JSON.parse(unknownJob.stdout).error.message, /Dagster deployment "prod" .*: no job "nightly" in any code location \("defs\.py"\)/);
    server.respondNext('python-error-500');
    const python = await backfill(['plan', '-j', 'do_stuff_partitioned', '--partitions', '2026-11-05', '--deployment', 'prod', '-w', ws, ...NOW]);
    assert.equal(python.code, 2);
    assert.match(python.stderr, /Dagster deployment "prod" .*: the server failed while answering \(HTTP 500, OperationalError\)/);
    server.respondNext('hang');
    const hang = await backfill(['job', '-j', 'do_stuff_partitioned', '--partitions', '2026-11-05', '--timeout', '0.3', ...base]);
    assert.equal(hang.code, 2);
    assert.match(hang.stderr, /Dagster deployment "prod" .*: no answer within 0\.3 s/);
    const unknownName = await backfill(['job', '-j', 'do_stuff_partitioned', '--partitions', '2026-11-05', '--deployment', 'staging', '--noprompt', '-w', ws, ...NOW]);
    assert.equal(unknownName.code, 2);
    assert.match(unknownName.stderr, /--deployment: no Dagster deployment "staging": give a webserver URL \(http:\/\/host:3000\) or one of the configured names \("prod"\)/);
    const closed = `http://127.0.0.1:${await closedLoopbackPort()}`;
    const refused = await backfill(['job', '-j', 'do_stuff_partitioned', '--partitions', '2026-11-05', '--deployment', closed, '--noprompt', '-w', ws, ...NOW]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /connection refused: nothing listens at this address/);
    const list = JSON.parse((await backfill(['list', '--json', '-w', ws])).stdout) as { backfills: unknown[] };
    assert.deepEqual(list.backfills, []);
    assert.equal(sent(server, 'BackfillStudioLaunchPartitionBackfill').length, 0);
    const local = await backfill(['asset', '--select', 'raw_events', '--partitions', '2026-11-05', '--no-follow', '--noprompt', '-w', ws, ...NOW]);
    assert.equal(local.code, 2);
    assert.match(local.stderr, /--no-follow goes with --deployment NAME\|URL/);
  }));
});

describe('backfill --deployment against a newer Dagster webserver', () => {
  test('plan --json shows the ranges, tags, title and description the deployment will be asked for, and launches nothing', () => withServer({ fixtures: 'newer', only: ['01_', '96_', '98_'] }, async (server) => {
    const ws = workspace('orders.py', DEFS_NEWER, server.url);
    const r = await backfill(['plan', '--select', 'orders,order_items', '--from', '2026-11-01', '--to', '2026-11-03', '--deployment', 'prod', '--tags', '{"team": "data"}', '--title', 'Orders November', '--description', 'Re-run after the upstream fix', '--json', '-w', ws, ...NOW]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual([doc.deployment, doc.serverVersion, doc.mutation, doc.notSent], [{ name: 'prod', url: server.url, kind: 'oss' }, '1.9.3', 'launchPartitionBackfill', []]);
    assert.deepEqual(doc.variables, { backfillParams: {
      partitionsByAssets: [{ assetKey: { path: ['orders'] }, partitions: { range: { start: '2026-11-01', end: '2026-11-03' } } }, { assetKey: { path: ['order_items'] }, partitions: { range: { start: '2026-11-01', end: '2026-11-03' } } }],
      tags: [{ key: 'team', value: 'data' }], title: 'Orders November', description: 'Re-run after the upstream fix',
    } });
    assert.equal(sent(server, 'BackfillStudioLaunchPartitionBackfill').length, 0);
    assert.equal(fs.existsSync(path.join(ws, '.backfills', 'state.sqlite')) && JSON.parse((await backfill(['list', '--json', '-w', ws])).stdout).backfills.length > 0, false);
  }));

  test('asset launch followed through Failing to Failed (exit 1, failed run linked), then reexecute --from-failure to Success', () => withServer({ fixtures: 'newer', only: ['01_', '10_', '11_', '12_', '13_', '96_', '98_'] }, async (server) => {
    const ws = workspace('orders.py', DEFS_NEWER, server.url);
    const r = await backfill(['asset', '--select', 'orders,order_items', '--from', '2026-11-01', '--to', '2026-11-03', '--deployment', 'prod', '--tags', '{"team": "data"}', '--title', 'Orders November', '--description', 'Re-run after the upstream fix', '--noprompt', '--poll', '0.01', '-w', ws, ...NOW]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const id = launchedId(r.stdout);
    assert.match(r.stdout, /^Failing · 3 runs: 1 succeeded, 1 failed, 1 running/m);
    assert.match(r.stdout, new RegExp(`^Backfill ${id} on deployment prod \\(its backfill nwasbkfl\\): Failed$`, 'm'));
    assert.match(r.stdout, new RegExp(`^  Failed 2026-11-02: ${server.url.replace(/\./g, '\\.')}/runs/[\\w-]+$`, 'm'));
    assert.match(r.stdout, /orders 2\/3 materialized, 1 failed/);
    const again = await backfill(['reexecute', id, '--from-failure', '--poll', '0.01', '-w', ws]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.deepEqual(sent(server, 'BackfillStudioReexecutePartitionBackfill'), [{ reexecutionParams: { parentRunId: 'nwasbkfl', strategy: 'FROM_FAILURE' } }]);
    const child = /Launched backfill ([a-z]{8}) on deployment prod \(.*\) as its backfill nwrexec1, a re-execution of (\w+)/.exec(again.stdout);
    assert.equal(child?.[2], id);
    assert.match(again.stdout, /\(its backfill nwrexec1\): Success/);
    const shown = JSON.parse((await backfill(['show', child![1]!, '--json', '-w', ws])).stdout) as { backfill: { parentId: string }; dagsterStatus: string };
    assert.deepEqual([shown.backfill.parentId, shown.dagsterStatus], [id, 'COMPLETED_SUCCESS']);
  }));

  test('job: the location chosen on the deployment is said; cancel then resume are routed by the record', () => withServer({ fixtures: 'newer', only: ['01_', '03_', '3'] }, async (server) => {
    const ws = workspace('orders.py', DEFS_NEWER, server.url);
    const r = await backfill(['job', '-j', 'orders_job', '--from', '2026-11-10', '--to', '2026-11-14', '--deployment', 'prod', '--noprompt', '--no-follow', '-w', ws, ...NOW]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Runs in: job "orders_job" in location "analytics", repository "__repository__", partition set "orders_job_partition_set" \(the workspace has it in "orders\.py"; the deployment has it only here\)/);
    const id = launchedId(r.stdout);
    // The record keeps the backfill's kind, so each fresh process reads it once: `show` takes the recorded poll
    // before the cancel, and the cancel's read-back the one after it.
    assert.match((await backfill(['show', id, '-w', ws])).stdout, /: In progress/);
    const cancel = JSON.parse((await backfill(['cancel', id, '--json', '-w', ws])).stdout) as Record<string, unknown>;
    assert.deepEqual([cancel.canceled, cancel.dagsterStatus, cancel.status], ['deployment', 'CANCELING', 'CANCELING']);
    assert.match((await backfill(['list', '-w', ws])).stdout, new RegExp(`^${id}\\s+Canceling\\s+deployment prod`, 'm'));
    const resume = await backfill(['resume', id, '--no-follow', '-w', ws]);
    assert.equal(resume.code, 0, resume.stderr);
    assert.match(resume.stdout, new RegExp(`Resumed backfill ${id} on deployment prod`));
    assert.match((await backfill(['show', id, '-w', ws])).stdout, /: In progress\n  1 run: 0 succeeded, 0 failed, 0 running, 0 queued, 1 canceled/);
    assert.deepEqual([sent(server, 'BackfillStudioCancelPartitionBackfill'), sent(server, 'BackfillStudioResumePartitionBackfill')], [[{ backfillId: 'nwcancel' }], [{ backfillId: 'nwcancel' }]]);
  }));

  test('Dagster+: 401 without a token, the token from DAGSTER_CLOUD_API_TOKEN is sent and never stored or printed', () => withServer({ fixtures: 'newer', only: ['01_', '03_', '20_', '21_'], requireToken: 'user:tok-9f8e7d', forbiddenToken: 'viewer:tok' }, async (server) => {
    const ws = workspace('orders.py', DEFS_NEWER, server.url, 'dagster-plus');
    const args = ['job', '-j', 'orders_job', '--partitions', '2026-11-01,2026-11-02', '--deployment', 'prod', '--tags', '{"team": "data"}', '--title', 'Orders job backfill', '--noprompt', '--poll', '0.01', '-w', ws, ...NOW];
    const none = await backfill(args);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Dagster deployment "prod" .*: Dagster\+ asks for a user token \(HTTP 401\)/);
    const forbidden = await backfill(args, { DAGSTER_CLOUD_API_TOKEN: 'viewer:tok' });
    assert.equal(forbidden.code, 2);
    assert.match(forbidden.stderr, /the token may not use this deployment \(HTTP 403\)/);
    const ok = await backfill(args, { DAGSTER_CLOUD_API_TOKEN: 'user:tok-9f8e7d' });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /its backfill nwjobbkf\): Success/);
    assert.equal(`${ok.stdout}${ok.stderr}`.includes('tok-9f8e7d'), false);
    for (const f of fs.readdirSync(path.join(ws, '.backfills'), { recursive: true }) as string[]) {
      const file = path.join(ws, '.backfills', f);
      if (fs.statSync(file).isFile()) assert.equal(fs.readFileSync(file).includes('tok-9f8e7d'), false, `${f} holds the token`);
    }
    assert.ok(server.requests.some((q) => q.token === 'user:tok-9f8e7d' && q.operationName === 'BackfillStudioLaunchPartitionBackfill'));
  }));
});
