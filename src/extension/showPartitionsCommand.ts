// Show Partitions: a definition's partition keys with their latest status, newest first, in a quick pick.
import * as vscode from 'vscode';
import type { PartitionStatus } from '../core/backfill/backfill';
import { definitionName } from '../core/definitions/definition';
import { DefinitionsTreeProvider } from './definitionsTreeProvider';
import type { WorkspaceSession } from './workspaceSession';

const ICON: Record<PartitionStatus, string> = {
  MATERIALIZED: '$(pass-filled)',
  FAILED: '$(error)',
  IN_PROGRESS: '$(sync~spin)',
  MISSING: '$(circle-outline)',
};

export async function showPartitions(session: WorkspaceSession, arg: unknown): Promise<Record<PartitionStatus, number> | undefined> {
  await session.definitions();
  const fromTree = DefinitionsTreeProvider.definitionOf(arg);
  const name = fromTree ? definitionName(fromTree) : typeof arg === 'object' && arg !== null && typeof (arg as { target?: unknown }).target === 'string' ? (arg as { target: string }).target : undefined;
  if (!name) {
    void vscode.window.showInformationMessage('Show Partitions works on a definition: use its code lens or the Definitions view.');
    return undefined;
  }
  const d = session.workspace.findTargets([name])[0]!;
  if (!d.partitions) {
    void vscode.window.showInformationMessage(`${name} is not partitioned.`);
    return undefined;
  }
  const { store } = await session.engine();
  const statuses = store.partitionStatuses(name);
  const keys = d.partitions.keys(session.workspace.clock.now());
  const counts: Record<PartitionStatus, number> = { MATERIALIZED: 0, FAILED: 0, IN_PROGRESS: 0, MISSING: 0 };
  const items = keys.map((key) => {
    const status = statuses.get(key) ?? 'MISSING';
    counts[status]++;
    return { label: `${ICON[status]} ${key}`, description: status.toLowerCase().replace('_', ' ') };
  });
  items.reverse();
  void vscode.window.showQuickPick(items, {
    title: `${name}: ${keys.length.toLocaleString('en-US')} partitions · ${counts.MATERIALIZED} materialized · ${counts.FAILED} failed · ${counts.IN_PROGRESS} in progress`,
    matchOnDescription: true,
  });
  return counts;
}
