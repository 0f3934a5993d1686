// Show Partitions: opens the Partitions panel of a definition (from its code lens, the Definitions view or picked).
import { ambiguousDefinitionNames } from '../core/definitions/ambiguousDefinitionNames';
import * as vscode from 'vscode';
import type { PartitionStatus } from '../core/backfill/backfill';
import { partitionStatusCounts } from '../core/backfill/partitionStatusCounts';
import { definitionName, type Definition } from '../core/definitions/definition';
import { DefinitionsTreeProvider, partitionsSummary } from './definitionsTreeProvider';
import { PartitionsPanel } from './panels/partitionsPanel';
import type { WorkspaceSession } from './workspaceSession';

async function pickDefinition(session: WorkspaceSession): Promise<Definition | undefined> {
  const s = await session.definitions();
  const now = session.workspace.clock.now();
  const all = [...s.commandTargets, ...s.assets, ...s.jobs].filter((d) => d.partitions);
  if (all.length === 0) {
    void vscode.window.showInformationMessage('Backfill Studio found no partitioned assets, jobs or command targets in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((d) => ({ label: definitionName(d), description: d.kind, detail: partitionsSummary(d, now), d })),
    { title: 'Show Partitions', matchOnDetail: true },
  );
  return picked?.d;
}

/** Opens the panel and returns the definition's status counts (what the panel's summary shows), or undefined. */
export async function showPartitions(
  session: WorkspaceSession,
  arg: unknown,
  extensionUri: vscode.Uri,
  log: vscode.LogOutputChannel,
): Promise<Record<PartitionStatus, number> | undefined> {
  await session.definitions();
  const fromTree = DefinitionsTreeProvider.definitionOf(arg);
  const named = typeof arg === 'object' && arg !== null && typeof (arg as { target?: unknown }).target === 'string' ? (arg as { target: string }).target : undefined;
  const asked = typeof arg === 'object' && arg !== null && typeof (arg as { location?: unknown }).location === 'string' ? (arg as { location: string }).location : undefined;
  const d = fromTree ?? (named !== undefined ? session.workspace.findTargets([named], asked)[0] : await pickDefinition(session));
  if (!d) return undefined;
  const name = definitionName(d);
  if (!d.partitions) {
    void vscode.window.showInformationMessage(`${name} is not partitioned.`);
    return undefined;
  }
  // A name several code locations define opens the panel of this one's location.
  const s = session.workspace.definitions;
  const location = d.kind !== 'command' && s && ambiguousDefinitionNames(s).has(name) ? d.codeLocation?.name : undefined;
  PartitionsPanel.show(session, name, extensionUri, log, location);
  const { statuses } = await session.engine();
  const c = partitionStatusCounts(d.partitions, statuses.partitionStatuses(name), session.workspace.clock.now());
  return { MATERIALIZED: c.materialized, FAILED: c.failed, CANCELED: c.canceled, IN_PROGRESS: c.inProgress, MISSING: c.missing };
}
