// package.json and the code agree: every contributed command is registered in code and the reverse.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { COMMAND_IDS, VIEW_IDS } from '../../../src/extension/commandIds';
import { repoRoot } from './repoRoot';

const root = repoRoot();
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function extensionSources(): string {
  const dir = path.join(root, 'src', 'extension');
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

test('the manifest names the extension and pins a VS Code no newer than 1.139 with matching types', () => {
  assert.equal(manifest.name, 'backfill-studio');
  assert.equal(manifest.displayName, 'Backfill Studio');
  const engine = /^\^?(\d+)\.(\d+)\./.exec(manifest.engines.vscode);
  assert.ok(engine, manifest.engines.vscode);
  assert.ok(Number(engine[1]) === 1 && Number(engine[2]) <= 139);
  const types = /(\d+)\.(\d+)/.exec(manifest.devDependencies['@types/vscode'])!;
  assert.equal(`${types[1]}.${types[2]}`, `${engine[1]}.${engine[2]}`);
  assert.equal(manifest.bin.backfill, './dist/cli.js');
});

test('every command in the manifest is registered in code, and every registered command is in the manifest', () => {
  const contributed = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
  const ids = new Set<string>(Object.values(COMMAND_IDS));
  assert.deepEqual([...contributed].sort(), [...ids].sort());
  const src = extensionSources();
  const registered = new Set<string>();
  for (const m of src.matchAll(/(?:registerCommand|command)\(\s*COMMAND_IDS\.(\w+)/g)) registered.add((COMMAND_IDS as Record<string, string>)[m[1]!]!);
  assert.deepEqual([...registered].sort(), [...ids].sort());
  for (const id of ids) assert.match(id, /^backfillStudio\.[a-z][A-Za-z]+$/);
});

test('the extension contributes exactly its views, commands and settings', () => {
  const views = manifest.contributes.views.backfillStudio.map((v: { id: string; name: string }) => `${v.id}=${v.name}`);
  assert.deepEqual(views, [`${VIEW_IDS.definitions}=Definitions`, `${VIEW_IDS.backfills}=Backfills`]);
  const titles = manifest.contributes.commands.map((c: { title: string }) => c.title).sort();
  assert.deepEqual(titles, ['Add Dagster Deployment…', 'Cancel Backfill', 'Filter Backfills by Status', 'Go to Definition', 'Launch Backfill', 'Open Launch Panel', 'Open Run Log', 'Pause Backfill', 'Re-execute Backfill', 'Re-execute Backfill from Failure', 'Refresh Definitions', 'Replace or Forget Dagster+ Token…', 'Resume Backfill', 'Select Python Interpreter', 'Show Backfill Details', 'Show Backfills Overview', 'Show Partitions']);
  const props = Object.keys(manifest.contributes.configuration.properties).sort();
  assert.deepEqual(props, ['backfillStudio.deployments', 'backfillStudio.launch.confirmAboveRuns', 'backfillStudio.maxConcurrentRuns', 'backfillStudio.pythonPath', 'backfillStudio.retention.maxAgeDays', 'backfillStudio.retention.maxLogMegabytes', 'backfillStudio.stateFolder', 'backfillStudio.statusDeployment']);
  const commandsInMenus = Object.values(manifest.contributes.menus).flat().map((m) => (m as { command: string }).command);
  for (const c of commandsInMenus) assert.ok(Object.values(COMMAND_IDS).includes(c as never), `menu names unknown command ${c}`);
});

test('every command that starts or signals a process is disabled and hidden in an untrusted workspace', () => {
  const gated = [COMMAND_IDS.launchBackfill, COMMAND_IDS.openLaunchPanel, COMMAND_IDS.cancelBackfill, COMMAND_IDS.pauseBackfill,
    COMMAND_IDS.resumeBackfill, COMMAND_IDS.reexecuteBackfill, COMMAND_IDS.reexecuteBackfillFromFailure];
  for (const id of gated) {
    const command = manifest.contributes.commands.find((c: { command: string }) => c.command === id);
    assert.equal(command.enablement, 'isWorkspaceTrusted', id);
  }
  const backfillMenu = (manifest.contributes.menus['view/item/context'] as { command: string; when: string }[]).filter((m) => m.when.includes('view == backfillStudio.backfills'));
  for (const m of backfillMenu.filter((e) => (gated as string[]).includes(e.command))) assert.match(m.when, /&& isWorkspaceTrusted$/, m.command);
});
