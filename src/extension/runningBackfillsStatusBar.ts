// A status bar item while backfills run: how many, and the progress of the newest; click for its details.
import * as vscode from 'vscode';
import { countRuns, endedRuns, TERMINAL_BACKFILL_STATUSES } from '../core/backfill/backfill';
import { runCountsPhrases } from '../core/backfill/runCountsSummary';
import { COMMAND_IDS } from './commandIds';
import type { WorkspaceSession } from './workspaceSession';

export class RunningBackfillsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('backfillStudio.running', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly session: WorkspaceSession) {
    this.item.name = 'Backfill Studio: running backfills';
    // Backfill events only exist once the engine runs, so the item costs nothing until then.
    this.subscription = session.onDidChangeBackfills(() => {
      this.timer ??= setTimeout(() => void this.update(), 250);
    });
  }

  private async update(): Promise<void> {
    this.timer = undefined;
    const { store } = await this.session.engine();
    const running = store.listBackfills().filter((b) => !TERMINAL_BACKFILL_STATUSES.has(b.status));
    const newest = running[0];
    if (!newest) {
      this.item.hide();
      return;
    }
    const c = countRuns(store.listRuns(newest.id));
    const done = endedRuns(c);
    const outcomes = runCountsPhrases(c, { inFlight: false });
    this.item.text = `$(sync~spin) ${running.length === 1 ? 'Backfill' : `${running.length} backfills`} ${done}/${c.total}${outcomes.map((p) => ` · ${p}`).join('')}`;
    this.item.tooltip = `Backfill ${newest.id} of ${newest.targets.join(', ')} (${newest.selection}): ${done} of ${c.total} runs ended. Click for details.`;
    this.item.command = { command: COMMAND_IDS.showBackfillDetails, title: 'Show Backfill Details', arguments: [newest.id] };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
