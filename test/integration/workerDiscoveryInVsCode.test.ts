// Discovery in VS Code runs in the discovery worker thread, and an edit to a Python file reaches the code lenses and
// the Definitions view through that same worker (an incremental update, not a new worker or an in-host parse).
// Named to run last of the trusted pass: quickstart.test checks first that nothing has loaded the engine yet.
import * as assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { DefinitionsNode, DefinitionsTreeProvider } from '../../src/extension/definitionsTreeProvider';
import { api, lensesOf, poll, workspaceUri } from './extensionUnderTest';

/** Every label of the Definitions view, depth first. */
async function labels(tree: DefinitionsTreeProvider, node?: DefinitionsNode): Promise<string[]> {
  const out: string[] = [];
  for (const child of await tree.getChildren(node)) out.push(String(tree.getTreeItem(child).label), ...(await labels(tree, child)));
  return out;
}

/** The launch lenses' targets on a file. */
async function lensTargets(rel: string): Promise<string[]> {
  return (await lensesOf(rel))
    .filter((l) => l.command?.command === 'backfillStudio.launchBackfill')
    .map((l) => (l.command!.arguments![0] as { target: string }).target);
}

suite('discovery worker', () => {
  test('definitions come from the worker thread, and an edit updates the lenses and the Definitions view through it', async function () {
    this.timeout(90_000);
    const session = (await api()).session()!;
    const tree = (await api()).definitionsTree!;
    const discovered = await session.definitions();
    assert.ok(discovered.assets.some((a) => a.key.join('/') === 'events'));
    const worker = session.discoveryThreadId;
    assert.equal(typeof worker, 'number', 'no discovery worker answered');
    assert.notEqual(worker, threadId, 'definitions were discovered on the extension host thread');

    const file = workspaceUri('definitions.py');
    const original = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    const withProbe = (name: string) => original
      .replace('defs = Definitions(assets=[raw_events, events]', `@asset(partitions_def=daily)\ndef ${name}(context):\n    return 1\n\n\ndefs = Definitions(assets=[raw_events, events, ${name}]`);
    assert.notEqual(withProbe('x'), original, 'the quickstart changed: the probe has nowhere to go');
    try {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(withProbe('worker_probe_one')));
      await poll('a lens on the added asset', async () => ((await lensTargets('definitions.py')).includes('worker_probe_one') ? true : undefined));
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(withProbe('worker_probe_two')));
      const targets = await poll('the lens to follow the rename', async () => {
        const t = await lensTargets('definitions.py');
        return t.includes('worker_probe_two') ? t : undefined;
      });
      assert.ok(!targets.includes('worker_probe_one'), targets.join(', '));
      assert.ok((await labels(tree)).includes('worker_probe_two'), 'the Definitions view does not show the renamed asset');
      // The same worker answered: the watcher's changed path went to the worker holding the index.
      assert.equal(session.discoveryThreadId, worker);
    } finally {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(original));
      await poll('the probe to be gone', async () => ((await session.definitions()).assets.some((a) => a.key[0]!.startsWith('worker_probe')) ? undefined : true));
    }
  });
});
