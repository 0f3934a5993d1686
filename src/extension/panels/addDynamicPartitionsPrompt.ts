// addDynamicPartitionsPrompt: the "Add partitions…" action of the partitions and launch panels: asks for keys, writes them through Dagster.
import * as vscode from 'vscode';
import { definitionName } from '../../core/definitions/definition';
import { dynamicPartitionsNames } from '../../core/partitions/dynamicPartitionsNames';
import type { WorkspaceSession } from '../workspaceSession';
import { parseDynamicPartitionKeys } from './parseDynamicPartitionKeys';

/**
 * Asks for keys and adds them to the target's dynamic partitions (on the Dagster instance when the interpreter has
 * dagster, else in the project's store). Returns the keys added, or undefined when nothing was added. Adding runs the
 * workspace's Python, so an untrusted workspace gets a message instead.
 */
export async function addDynamicPartitionsPrompt(session: WorkspaceSession, target: string, log: vscode.LogOutputChannel): Promise<string[] | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('Backfill Studio adds partitions only in a trusted workspace: adding them runs the workspace\'s Python interpreter.');
    return undefined;
  }
  const s = await session.definitions();
  const d = [...s.assets, ...s.jobs, ...s.commandTargets].find((x) => definitionName(x) === target);
  const names = dynamicPartitionsNames(d?.partitions ?? null);
  if (names.length === 0) {
    log.warn(`add partitions: ${target} has no dynamic partitions`);
    return undefined;
  }
  let name = names[0]!;
  if (names.length > 1) {
    const picked = await vscode.window.showQuickPick(names, { title: `Add partitions to which dimension of ${target}?` });
    if (!picked) return undefined;
    name = picked;
  }
  const text = await vscode.window.showInputBox({
    title: `Add partitions to "${name}"`,
    prompt: 'Partition keys, separated by commas. They are added to the Dagster instance (add_dynamic_partitions); existing keys are kept.',
    placeHolder: 'customer_a, customer_b',
    ignoreFocusOut: true,
    validateInput: (v) => (parseDynamicPartitionKeys(v).length === 0 ? 'Type at least one key.' : null),
  });
  const keys = text === undefined ? [] : parseDynamicPartitionKeys(text);
  if (keys.length === 0) return undefined;
  try {
    const after = await session.addDynamicPartitions(name, keys);
    log.info(`added ${keys.length} key(s) to dynamic partitions "${name}" (${after.where}): ${keys.join(', ')}`);
    return keys;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`could not add partitions to "${name}": ${message}`);
    void vscode.window.showErrorMessage(`Backfill Studio: could not add partitions to "${name}": ${message}`);
    return undefined;
  }
}
