// The CLI and the extension share one state file: each sees the backfills the other launched.
import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, poll } from './extensionUnderTest';

const run = promisify(execFile);

function cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  // The CLI shipped beside the extension, run by Node as a user's terminal would (no shell).
  return run(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), ...args, '-w', folder], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    timeout: 120_000,
  });
}

suite('one state file for the CLI and the extension', () => {
  test('a backfill launched from the CLI appears in the Backfills view, with its partitions in the status lens', async function () {
    this.timeout(180_000);
    const a = await api();
    const tree = a.backfillsTree!;
    // The view is open in the sidebar: the engine is running and watching the state file.
    await a.session()!.engine();
    const { stdout } = await cli(['asset', '--select', 'daily_counts', '--from', '2024-02-01', '--to', '2024-02-03', '--noprompt', '--json']);
    const launched = JSON.parse(stdout) as { backfillId: string; status: string };
    assert.equal(launched.status, 'COMPLETED_SUCCESS');
    // The view follows the file while the CLI writes it, so it may show the backfill part-way first.
    const item = await poll('the finished CLI backfill in the Backfills view', async () => {
      const node = (await tree.getChildren()).find((n) => n.backfill?.id === launched.backfillId);
      const shown = node ? await tree.getTreeItem(node) : undefined;
      return shown && /^Success · 3\/3 runs · 2024-02-01\.\.\.2024-02-03/.test(String(shown.description)) ? shown : undefined;
    }, 60_000);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    const { store } = await a.session()!.engine();
    assert.equal(store.getBackfill(launched.backfillId)?.origin, 'cli');
    assert.equal(store.partitionStatuses('daily_counts').get('2024-02-02'), 'MATERIALIZED');
  });

  test('a backfill launched in VS Code is listed by `backfill list` and shown by `backfill show`', async function () {
    this.timeout(180_000);
    const a = await api();
    const id = await vscode.commands.executeCommand<string>('backfillStudio.launchBackfill', {
      target: 'daily_counts',
      selection: { kind: 'range', from: '2024-02-10', to: '2024-02-11' },
      confirm: false,
    });
    const { daemon, store } = await a.session()!.engine();
    assert.equal((await daemon.whenDone(id!)).status, 'COMPLETED_SUCCESS');
    await store.flush();
    const list = JSON.parse((await cli(['list', '--json'])).stdout) as { backfills: { id: string; origin: string; status: string }[] };
    const listed = list.backfills.find((b) => b.id === id);
    assert.deepEqual(listed && [listed.origin, listed.status], ['extension', 'COMPLETED_SUCCESS']);
    const shown = JSON.parse((await cli(['show', id!, '--json'])).stdout) as { runs: { partitionKey: string; status: string }[] };
    assert.deepEqual(shown.runs.map((r) => [r.partitionKey, r.status]), [['2024-02-10', 'SUCCESS'], ['2024-02-11', 'SUCCESS']]);
  });

  test('a backfill the CLI runs is paused, resumed and canceled from the Backfills view', async function () {
    this.timeout(240_000);
    const a = await api();
    const tree = a.backfillsTree!;
    const { store } = await a.session()!.engine();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    // One run at a time over 60 days, so the backfill is still going while the view acts on it.
    const child = spawn(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), 'asset', '--select', 'daily_counts', '--from', '2024-04-01', '--to', '2024-05-30',
      '--max-concurrent', '1', '--noprompt', '--json', '-w', folder], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const itemOf = async (id: string) => {
        const node = (await tree.getChildren()).find((n) => n.backfill?.id === id);
        return node ? tree.getTreeItem(node) : undefined;
      };
      const id = await poll('the CLI backfill running in the Backfills view', async () => {
        await store.reloadIfChanged();
        const b = store.listBackfills().find((x) => x.origin === 'cli' && x.selection.startsWith('2024-04-01') && x.status === 'REQUESTED');
        const item = b && (await itemOf(b.id));
        return item?.contextValue === 'backfill.active' ? b!.id : undefined;
      }, 60_000);
      assert.equal(await vscode.commands.executeCommand('backfillStudio.pauseBackfill', id), 'owner');
      const paused = await poll('the paused backfill in the view', async () => {
        const item = await itemOf(id);
        return item?.contextValue === 'backfill.paused' ? item : undefined;
      }, 30_000);
      assert.match(String(paused.description), /^Paused · \d+\/60 runs/);
      assert.equal((paused.iconPath as vscode.ThemeIcon).id, 'debug-pause');
      // Paused in the CLI's process: the run it had going may end, nothing new starts.
      await poll('the owner to act on the pause', async () => (store.listRuns(id).filter((r) => r.status === 'STARTED').length === 0 ? true : undefined), 30_000);
      const settled = store.listRuns(id).filter((r) => r.status === 'SUCCESS').length;
      await new Promise((r) => setTimeout(r, 3000));
      await store.reloadIfChanged();
      assert.equal(store.listRuns(id).filter((r) => r.status !== 'QUEUED').length, settled, 'a run started while the backfill was paused');
      await vscode.commands.executeCommand('backfillStudio.resumeBackfill', id);
      await poll('runs starting again after resume', async () => {
        await store.reloadIfChanged();
        return store.listRuns(id).filter((r) => r.status === 'SUCCESS').length > settled ? true : undefined;
      }, 60_000);
      assert.equal(await vscode.commands.executeCommand('backfillStudio.cancelBackfill', id), 'owner');
      // The CLI exits 1 for a backfill that did not complete successfully.
      assert.equal(await exited, 1);
      assert.equal((JSON.parse(stdout) as { status: string }).status, 'CANCELED');
      const done = await poll('the canceled backfill in the view', async () => {
        const item = await itemOf(id);
        // Canceled with runs never launched: Resume and Re-execute are offered (backfillContextValue).
        return item?.contextValue === 'backfill.resumable' ? item : undefined;
      }, 30_000);
      assert.equal((done.iconPath as vscode.ThemeIcon).id, 'circle-slash');
      assert.match(String(done.description), /^Canceled · /);
    } finally {
      child.kill();
    }
  });
});
