// The two steps every launch flow shares: the host's modal confirmation above the run threshold, and the
// announcement of a launched backfill (its details panel and one notification that links to it).
import * as vscode from 'vscode';
import type { BackfillRecord } from '../core/backfill/backfill';
import type { BackfillPlan } from '../core/backfill/backfillPlan';
import { confirmAboveRunsOf, launchConfirmationText, launchNeedsConfirmation } from '../core/backfill/launchConfirmationRule';
import { COMMAND_IDS } from './commandIds';
import type { WorkspaceSession } from './workspaceSession';

/**
 * Asks once, in a modal the extension host owns (a webview's own "are you sure" could be skipped by a message),
 * when the plan has more runs than backfillStudio.launch.confirmAboveRuns. True means launch.
 */
export async function confirmLaunch(session: WorkspaceSession, plan: BackfillPlan): Promise<boolean> {
  const threshold = confirmAboveRunsOf(vscode.workspace.getConfiguration('backfillStudio', session.folder.uri).get<unknown>('launch.confirmAboveRuns'));
  if (!launchNeedsConfirmation(plan.runs.length, threshold)) return true;
  const { message, detail } = launchConfirmationText(plan);
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Launch')) === 'Launch';
}

/** Opens the backfill's details and shows the one notification of the launch, whose button reopens the details. */
export function announceLaunch(session: WorkspaceSession, record: BackfillRecord, plan: BackfillPlan): void {
  const details = { backfillId: record.id, folder: session.folder.uri.toString() };
  void vscode.commands.executeCommand(COMMAND_IDS.showBackfillDetails, details);
  const runs = `${plan.runs.length.toLocaleString('en-US')} run${plan.runs.length === 1 ? '' : 's'}`;
  void vscode.window.showInformationMessage(`Backfill ${record.id} launched: ${runs} of ${plan.targets.join(', ')}, partitions ${plan.selection}.`, 'Show Details')
    .then((pick) => pick === 'Show Details' ? vscode.commands.executeCommand(COMMAND_IDS.showBackfillDetails, details) : undefined);
}
