// The Backfills overview panel: every stored backfill, filtered in the webview, opening details on demand.
import { CoalescedUpdate } from './coalescedUpdate';
import * as vscode from 'vscode';
import { BACKFILLS_OVERVIEW_VIEW_TYPE } from '../commandIds';
import type { WorkspaceSession } from '../workspaceSession';
import { BackfillDetailsPanel } from './backfillDetailsPanel';
import { backfillsOverviewModel } from './backfillsOverviewModel';
import { WebviewPanelHost } from './webviewPanelHost';

/** Run transitions of running backfills arrive many times a second; the list follows twice a second at most. */
const UPDATE_INTERVAL_MS = 500;

export class BackfillsOverviewPanel implements vscode.Disposable {
  private static current: BackfillsOverviewPanel | undefined;
  private readonly host: WebviewPanelHost;
  private readonly subscription: vscode.Disposable;
  private readonly updates = new CoalescedUpdate(() => this.update(), UPDATE_INTERVAL_MS);

  static show(session: WorkspaceSession, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): BackfillsOverviewPanel {
    if (BackfillsOverviewPanel.current) BackfillsOverviewPanel.current.host.panel.reveal();
    else BackfillsOverviewPanel.current = new BackfillsOverviewPanel(session, extensionUri, log);
    return BackfillsOverviewPanel.current;
  }

  static disposeAll(): void {
    BackfillsOverviewPanel.current?.dispose();
  }

  private constructor(
    private readonly session: WorkspaceSession,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.host = new WebviewPanelHost({
      viewType: BACKFILLS_OVERVIEW_VIEW_TYPE,
      title: 'Backfills',
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
    this.subscription = session.onDidChangeBackfills(() => this.updates.schedule());
  }

  private async update(): Promise<void> {
    try {
      const { store } = await this.session.engine();
      this.host.post({ type: 'backfillsListed', model: backfillsOverviewModel(store.listBackfills(), (id) => store.listRuns(id), Date.now()) });
    } catch (e) {
      this.log.error('could not list backfills', e);
      this.host.post({ type: 'errorShown', message: `Could not read the backfills: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  dispose(): void {
    if (BackfillsOverviewPanel.current !== this) return;
    BackfillsOverviewPanel.current = undefined;
    this.updates.dispose();
    this.subscription.dispose();
    this.host.dispose();
  }
}
