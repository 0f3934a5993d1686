// The Backfills filter and the Problems view, in a real extension host (runs after quickstart.test, which launched a backfill).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, poll } from './extensionUnderTest';




suite('views and diagnostics', () => {
  test('Filter Backfills by Status keeps only backfills with that status', async () => {
    const tree = (await api()).backfillsTree!;
    const all = await tree.getChildren();
    assert.ok(all.length >= 1, 'quickstart.test launched a backfill');
    assert.equal(await vscode.commands.executeCommand('backfillStudio.filterBackfills', 'Failed'), 'Failed');
    assert.deepEqual(await tree.getChildren(), []);
    await vscode.commands.executeCommand('backfillStudio.filterBackfills', 'Succeeded');
    const succeeded = await tree.getChildren();
    assert.ok(succeeded.length >= 1 && succeeded.every((n) => n.backfill.status === 'COMPLETED_SUCCESS'));
    await vscode.commands.executeCommand('backfillStudio.filterBackfills', 'All backfills');
    assert.equal((await tree.getChildren()).length, all.length);
  });

  test('a discovery problem appears in the Problems view on its line and clears when fixed', async function () {
    this.timeout(60_000);
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'broken_assets.py');
    const bad = ['from dagster import asset, DailyPartitionsDefinition', '', '', '@asset(partitions_def=DailyPartitionsDefinition(start_date="2024-13-45"))', 'def broken():', '    pass', ''].join('\n');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(bad));
    try {
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
      const diags = await poll('a diagnostic on broken_assets.py', () => {
        const d = vscode.languages.getDiagnostics(uri);
        return d.length > 0 ? d : undefined;
      });
      assert.equal(diags[0]!.source, 'Backfill Studio');
      assert.ok(diags.some((d) => d.range.start.line === 3 || d.range.start.line === 4), `lines: ${diags.map((d) => d.range.start.line)}`);
      assert.match(diags.map((d) => d.message).join('\n'), /2024-13-45/);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(bad.replace('2024-13-45', '2024-01-01')));
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
      // The date error clears; what remains is discovery's true remark that the quickstart's Definitions does not list the asset.
      const after = await poll('the date error to clear', () => {
        const d = vscode.languages.getDiagnostics(uri);
        return d.some((x) => /2024-13-45/.test(x.message)) ? undefined : d;
      });
      assert.deepEqual(after.map((d) => d.message), ["asset 'broken' is not listed in Definitions (definitions.py:46), so Dagster does not load it"]);
    } finally {
      await vscode.workspace.fs.delete(uri);
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
    }
  });
});
