// Browser tests of the details panel for a backfill on a Dagster deployment: the deployment and Dagster's id, runs
// and failures opening in the Dagster UI, a failed look at the deployment beside the last answer, counts per asset.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backfillDetailsModel, REMOTE_BASE, remoteBackfillDetailsModel } from './backfillDetailsFixture.mjs';

const resultsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-results/webview');
const visible = (panel, selector) => panel.page.isVisible(selector);

export const backfillDetailsRemoteTests = [
  ['details (remote): the deployment, Dagster\'s id and when it answered; runs and failures open in the Dagster UI, never a log', async (panel) => {
    await panel.sendModel(remoteBackfillDetailsModel());
    assert.deepEqual([await panel.text('#backfill-deployment'), await panel.text('#backfill-dagster-id'), await panel.text('#backfill-checked')], ['prod', 'nwjobbkf', '09:17:42']);
    assert.equal(await panel.page.getAttribute('#backfill-deployment', 'title'), `${REMOTE_BASE}/`);
    assert.equal(await panel.text('#backfill-status'), 'In progress');
    assert.equal(await visible(panel, '#follow-error'), false);
    assert.deepEqual(await panel.page.$$eval('#target-counts tbody tr td', (c) => c.map((x) => x.textContent)), ['orders_job', '10', '2', '6', '1', '0', '1', '0']);
    const row = panel.page.locator('#runs-table tr[data-run-id="b2000000-0000-4000-8000-000000000006"]');
    assert.equal(await row.locator('button').innerText(), 'Open in Dagster');
    await row.locator('button').click();
    await panel.page.locator('.failure-group button').click();
    assert.equal(await panel.page.locator('.failure-group button').innerText(), 'Open a run in Dagster');
    assert.deepEqual((await panel.posted()).slice(1), [
      { type: 'openDagsterRun', url: `${REMOTE_BASE}/runs/b2000000-0000-4000-8000-000000000006` },
      { type: 'openDagsterRun', url: `${REMOTE_BASE}/runs/b2000000-0000-4000-8000-000000000006` },
    ]);
    await panel.page.click('#cancel-backfill');
    assert.deepEqual((await panel.posted()).at(-1), { type: 'cancelBackfill', backfillId: 'qwertyui' });
    // The same panel showing a local backfill next: no deployment facts, and its runs open their logs again.
    await panel.sendModel(backfillDetailsModel());
    assert.deepEqual(await Promise.all(['#backfill-deployment', '#backfill-dagster-id', '#backfill-checked'].map((s) => visible(panel, s))), [false, false, false]);
    assert.equal(await panel.page.locator('#runs-table tr[data-run-id="run_0014"] button').innerText(), 'Open log');
    await panel.page.locator('#runs-table tr[data-run-id="run_0014"] button').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'openRunLog', runId: 'run_0014' });
  }],

  ['details (remote): a failed look at the deployment is said beside the last answer, which stays, and goes once it answers', async (panel) => {
    const error = 'Dagster deployment "prod" (https://acme.dagster.cloud/prod/graphql) refused the token (HTTP 401). Replace it with "Backfill Studio: Replace or Forget Dagster+ Token".';
    await panel.sendModel(remoteBackfillDetailsModel({ followError: error }));
    assert.equal(await panel.text('#follow-error'), error);
    assert.equal(await panel.page.locator('#runs-table tbody tr.run-row').count(), 9, 'the last answer stays shown');
    assert.equal(await panel.text('#backfill-progress'), '6/10 runs succeeded · 1 failed · 2 running · 1 queued');
    fs.mkdirSync(resultsDir, { recursive: true });
    await panel.page.screenshot({ path: path.join(resultsDir, 'details-remote-follow-error.png'), fullPage: true });
    await panel.sendModel(remoteBackfillDetailsModel());
    assert.equal(await visible(panel, '#follow-error'), false);
  }],

  ['details (remote): an asset backfill launched by ranges shows counts per asset and says why there are no strips', async (panel) => {
    const model = remoteBackfillDetailsModel();
    model.targets = [
      { target: 'orders', targeted: 3, inProgress: 0, materialized: 2, failed: 1, canceled: 0, queued: 0, skipped: 0 },
      { target: 'order_items', targeted: 3, inProgress: 0, materialized: 2, failed: 1, canceled: 0, queued: 0, skipped: 0 },
    ];
    model.partitions = [];
    model.remote.partitionsNote = "prod reports this backfill's partitions as counts per asset (see Targets), not one by one.";
    await panel.sendModel(model);
    assert.equal(await panel.text('#partitions-note'), model.remote.partitionsNote);
    assert.equal(await panel.page.locator('.partition-strip').count(), 0);
    assert.equal(await panel.page.locator('#target-counts tbody tr').count(), 2);
  }],

  ['details (remote): screenshot, dark theme (test-results/webview/details-remote.png)', async (panel) => {
    await panel.sendModel(remoteBackfillDetailsModel());
    fs.mkdirSync(resultsDir, { recursive: true });
    await panel.page.screenshot({ path: path.join(resultsDir, 'details-remote.png'), fullPage: true });
    assert.deepEqual(await panel.cspViolations(), []);
  }],
];
