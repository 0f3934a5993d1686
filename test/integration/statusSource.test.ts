// Where statuses come from, in a real extension host: without dagster in the interpreter (python3 here), every view
// says once that Dagster's statuses are not shown and why, and the counts are the project's runs alone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, lensesOf, poll } from './extensionUnderTest';

suite('status source', () => {
  test('without dagster the statuses are the project\'s runs, and the reason names the interpreter', async function () {
    this.timeout(60_000);
    const session = (await api()).session()!;
    // Nothing chosen: the default python3, which has no dagster on these machines.
    assert.equal(vscode.workspace.getConfiguration('backfillStudio', session.folder.uri).get('pythonPath') ?? '', '');
    await session.definitions();
    await session.engine();
    const refresh = await session.workspace.refreshDagsterStatuses();
    assert.match(refresh.dagsterMissing ?? '', /cannot import dagster/);
    const text = await poll('the status source to name the missing dagster', () => {
      const t = session.statusSourceText();
      return /cannot import dagster/.test(t) ? t : undefined;
    });
    assert.match(text, /^Statuses: this project's runs only\. Dagster's statuses are not shown because the python interpreter \S+ \(python [\d.]+\) cannot import dagster/i);
    // The counts still come from the project's records: the lens is there and counts what the store holds.
    const titles = (await lensesOf('definitions.py')).filter((l) => l.command?.command === 'backfillStudio.showPartitions').map((l) => l.command!.title);
    assert.ok(titles.length >= 2 && titles.every((t) => /^[\d,]+\/[\d,]+ materialized/.test(t)), titles.join(' | '));
  });
});
