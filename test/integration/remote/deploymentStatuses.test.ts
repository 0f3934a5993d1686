// Statuses from a deployment, in a real extension host: with backfillStudio.statusDeployment naming a deployment (the
// fake Dagster 1.2 webserver on loopback), the lenses count that deployment's assetPartitionStatuses and say so; an
// unreachable or 401 deployment gets one clear message naming it, and no statuses (not this machine's in their place).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closedLoopbackPort, startFakeDagsterWebserver, type FakeDagsterWebserver } from '../../harness/fakeDagsterWebserver';
import { api, lensesOf, poll } from '../extensionUnderTest';

const folder = (): vscode.WorkspaceFolder => vscode.workspace.workspaceFolders![0]!;
const settingsFile = (): string => path.join(folder().uri.fsPath, '.vscode', 'settings.json');

/** backfillStudio.deployments is written to the file (as a user would), so the test does not depend on its schema. */
function writeSettings(before: string | null, changes: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
  fs.writeFileSync(settingsFile(), JSON.stringify({ ...(before ? JSON.parse(before) : {}), ...changes }, null, 2));
}

/** The status lens titles of definitions.py, by the asset they stand above (raw_events first, then events). */
async function statusLenses(): Promise<vscode.Command[]> {
  return (await lensesOf('definitions.py')).filter((l) => l.command?.command === 'backfillStudio.showPartitions' && !/failed/.test(l.command.title)).map((l) => l.command!);
}

suite('statuses from a deployment', () => {
  let server: FakeDagsterWebserver | undefined;
  let before: string | null = null;

  suiteSetup(async () => {
    before = fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : null;
    await (await api()).session()!.definitions();
  });

  suiteTeardown(async () => {
    if (before === null) fs.rmSync(settingsFile(), { force: true });
    else fs.writeFileSync(settingsFile(), before);
    await poll('statusDeployment cleared', () => (vscode.workspace.getConfiguration('backfillStudio', folder().uri).get('statusDeployment') ? undefined : true));
    await server?.close();
  });

  test('the lenses count the deployment\'s materializations and name it', async function () {
    this.timeout(60_000);
    server = await startFakeDagsterWebserver({ fixtures: '1.2', only: ['01_', '96_', '97_'] });
    writeSettings(before, { 'backfillStudio.deployments': [{ name: 'prod', url: server.url, kind: 'oss' }], 'backfillStudio.statusDeployment': 'prod' });
    // The recorded server materialized raw_events 2026-11-01..06 and events 2026-11-01..03; the quickstart runs nothing here.
    const titles = await poll('lenses with the deployment\'s statuses', async () => {
      // raw_events and events; the job below them has no statuses on a deployment.
      const t = (await statusLenses()).map((c) => c.title).slice(0, 2);
      return t.length === 2 && t.every((x) => / · statuses from prod$/.test(x)) ? t : undefined;
    });
    assert.match(titles[0]!, /^6\/[\d,]+ materialized · statuses from prod$/);
    assert.match(titles[1]!, /^3\/[\d,]+ materialized · statuses from prod$/);
    const asked = server.requests.filter((r) => r.operationName === 'BackfillStudioAssetPartitionStatuses').map((r) => (r.variables.assetKey as { path: string[] }).path.join('/'));
    // Each lens was provided several times while the test polled: one read per asset, the answer kept.
    assert.deepEqual(asked.sort(), ['events', 'raw_events']);
    assert.deepEqual(server.requests.flatMap((r) => r.unmatched), []);
  });

  test('an unreachable deployment is named, and no statuses are shown', async function () {
    this.timeout(60_000);
    const port = await closedLoopbackPort();
    writeSettings(before, { 'backfillStudio.deployments': [{ name: 'prod', url: `http://127.0.0.1:${port}`, kind: 'oss' }], 'backfillStudio.statusDeployment': 'prod' });
    const lens = await poll('the unreachable lens', async () => (await statusLenses()).find((c) => /unreachable/.test(c.title)));
    assert.equal(lens.title, '$(warning) No statuses: "prod" is unreachable');
    assert.match(String(lens.tooltip), new RegExp(`^Dagster deployment "prod" \\(http://127\\.0\\.0\\.1:${port}\\): connection refused`));
    const session = (await api()).session()!;
    const raw = (await session.definitions()).assets.find((a) => a.key.join('/') === 'raw_events')!;
    assert.equal(session.deploymentStatuses.lookup(raw, () => [])?.statuses.size, 0);
  });

  test('a deployment that answers 401 says so, naming it', async function () {
    this.timeout(60_000);
    await server?.close();
    server = await startFakeDagsterWebserver({ fixtures: '1.2', only: ['01_', '96_', '97_'], requireToken: 'a-token-this-test-never-sends' });
    writeSettings(before, { 'backfillStudio.deployments': [{ name: 'prod', url: server.url, kind: 'dagster-plus' }], 'backfillStudio.statusDeployment': 'prod' });
    const lens = await poll('the 401 lens', async () => (await statusLenses()).find((c) => /401/.test(c.title)));
    assert.equal(lens.title, '$(warning) No statuses: "prod" refused access (401)');
    assert.match(String(lens.tooltip), /^Dagster deployment "prod" \(http:\/\/127\.0\.0\.1:\d+\): Dagster\+ asks for a user token \(HTTP 401\)/);
  });
});
