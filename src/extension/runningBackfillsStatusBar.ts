// A status bar item while backfills run (paused ones do not count): how many, across every folder, and the progress of the newest; click for its details.
import * as vscode from 'vscode';
import { countRuns, endedRuns, isRunningBackfill, type BackfillRecord } from '../core/backfill/backfill';
import { runCountsPhrases } from '../core/backfill/runCountsSummary';
import type { StateStore } from '../core/storage/stateStore';
import { COMMAND_IDS } from './commandIds';
import type { WorkspaceSession } from './workspaceSession';
import type { WorkspaceSessions } from './workspaceSessions';

export class RunningBackfillsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('backfillStudio.running', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sessions: WorkspaceSessions) {
    this.item.name = 'Backfill Studio: running backfills';
    // Backfill events only exist once an engine runs, so the item costs nothing until then.
    const schedule = () => {
      this.timer ??= setTimeout(() => void this.update().catch(() => this.item.hide()), 250);
    };
    this.subscriptions = [sessions.onDidChangeBackfills(schedule), sessions.onDidChangeFolders(schedule)];
  }

  private async update(): Promise<void> {
    this.timer = undefined;
    // Only folders whose engine is open can have a backfill running in this window; the others are not opened for it.
    const running: { session: WorkspaceSession; store: StateStore; backfill: BackfillRecord }[] = [];
    for (const session of this.sessions.all.filter((s) => s.engineStarted)) {
      const { store } = await session.engine();
      // A paused backfill is not running: nothing of it moves until it is resumed (the Backfills view shows it Paused).
      for (const backfill of store.listBackfills()) if (isRunningBackfill(backfill)) running.push({ session, store, backfill });
    }
    const newest = running.sort((a, b) => b.backfill.createdAt - a.backfill.createdAt)[0];
    if (!newest) {
      this.item.hide();
      return;
    }
    const { backfill, store, session } = newest;
    const c = countRuns(store.listRuns(backfill.id));
    const done = endedRuns(c);
    const outcomes = runCountsPhrases(c, { inFlight: false });
    const where = this.sessions.several ? ` in ${session.folder.name}` : '';
    this.item.text = `$(sync~spin) ${running.length === 1 ? 'Backfill' : `${running.length} backfills`} ${done}/${c.total}${outcomes.map((p) => ` · ${p}`).join('')}`;
    this.item.tooltip = `Backfill ${backfill.id} of ${backfill.targets.join(', ')} (${backfill.selection})${where}: ${done} of ${c.total} runs ended. Click for details.`;
    const argument = this.sessions.several ? { backfillId: backfill.id, folder: session.folder.uri.toString() } : backfill.id;
    this.item.command = { command: COMMAND_IDS.showBackfillDetails, title: 'Show Backfill Details', arguments: [argument] };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
