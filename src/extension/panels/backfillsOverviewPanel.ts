// The Backfills overview panel, one per workspace folder: every stored backfill, filtered in the webview, opening details on demand.
import { CoalescedUpdate } from './coalescedUpdate';
import * as vscode from 'vscode';
import { BACKFILLS_OVERVIEW_VIEW_TYPE } from '../commandIds';
import { engineModule } from '../engineModule';
import type { WorkspaceSession } from '../workspaceSession';
import { BackfillDetailsPanel } from './backfillDetailsPanel';
import { buildBackfillsOverviewModel } from './buildBackfillsOverviewModel';
import { WebviewPanelHost } from './webviewPanelHost';

/** Run transitions of running backfills arrive many times a second; the list follows twice a second at most. */
const UPDATE_INTERVAL_MS = 500;

export class BackfillsOverviewPanel implements vscode.Disposable {
  private static readonly open = new Map<string, BackfillsOverviewPanel>();
  private readonly host: WebviewPanelHost;
  private readonly subscription: vscode.Disposable;
  private readonly updates = new CoalescedUpdate(() => this.update(), UPDATE_INTERVAL_MS);

  static show(session: WorkspaceSession, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): BackfillsOverviewPanel {
    const existing = BackfillsOverviewPanel.open.get(session.folder.uri.toString());
    if (existing) {
      existing.host.panel.reveal();
      return existing;
    }
    const panel = new BackfillsOverviewPanel(session, extensionUri, log);
    BackfillsOverviewPanel.open.set(session.folder.uri.toString(), panel);
    return panel;
  }

  /** Takes over a panel VS Code restored after a window reload; an open overview of the folder wins. */
  static restore(restored: vscode.WebviewPanel, session: WorkspaceSession, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): BackfillsOverviewPanel {
    const existing = BackfillsOverviewPanel.open.get(session.folder.uri.toString());
    if (existing) {
      restored.dispose();
      return existing;
    }
    const panel = new BackfillsOverviewPanel(session, extensionUri, log, restored);
    BackfillsOverviewPanel.open.set(session.folder.uri.toString(), panel);
    return panel;
  }

  static disposeAll(): void {
    for (const p of [...BackfillsOverviewPanel.open.values()]) p.dispose();
  }

  private constructor(
    private readonly session: WorkspaceSession,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    restored?: vscode.WebviewPanel,
  ) {
    this.host = new WebviewPanelHost({
      viewType: BACKFILLS_OVERVIEW_VIEW_TYPE,
      identity: { folder: session.folder.uri.toString() },
      ...(restored ? { restored } : {}),
      title: session.titled('Backfills'),
      view: 'backfills',
      extensionUri,
      log,
      onReady: () => void this.update(),
      onMessage: async (m) => {
        if (m.type !== 'openBackfill') {
          log.warn(`the backfills overview does not handle ${m.type}`);
          return;
        }
        const { store } = await this.session.engine();
        // Only ids the store knows: the webview cannot make the host open arbitrary panels.
        if (store.getBackfill(m.backfillId)) BackfillDetailsPanel.show(this.session, m.backfillId, extensionUri, log);
        else log.warn(`the backfills overview asked for unknown backfill ${m.backfillId}`);
      },
    });
    this.host.onDidDispose(() => this.dispose());
    this.subscription = vscode.Disposable.from(session.onDidChangeBackfills(() => this.updates.schedule()), session.onDidDispose(() => this.dispose()));
  }

  private async update(): Promise<void> {
    try {
      const { store } = await this.session.engine();
      this.host.post({ type: 'backfillsListed', model: buildBackfillsOverviewModel(store.listBackfills(), (id) => store.listRuns(id), Date.now(), engineModule().recordBulkActionStatus) });
    } catch (e) {
      this.log.error('could not list backfills', e);
      this.host.post({ type: 'errorShown', message: `Could not read the backfills: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  dispose(): void {
    const key = this.session.folder.uri.toString();
    if (BackfillsOverviewPanel.open.get(key) !== this) return;
    BackfillsOverviewPanel.open.delete(key);
    this.updates.dispose();
    this.subscription.dispose();
    this.host.dispose();
  }
}
