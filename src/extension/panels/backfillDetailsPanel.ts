// The Backfill Details panel: one per backfill (of its folder's session), refreshed as its runs change (coalesced to a few updates a second),
// with Cancel, Resume and the two re-executions. A backfill on a Dagster deployment is followed while the panel is visible.
import { CoalescedUpdate } from './coalescedUpdate';
import * as vscode from 'vscode';
import { BACKFILL_DETAILS_VIEW_TYPE, COMMAND_IDS } from '../commandIds';
import type { WorkspaceSession } from '../workspaceSession';
import type { BackfillRecord } from '../../core/backfill/backfill';
import type { BackfillDetailsModel } from '../../shared/protocol';
import { engineModule } from '../engineModule';
import { RemoteBackfillFollows, type RemoteBackfillFollow } from '../remoteBackfillFollows';
import { backfillDetailsModel } from './backfillDetailsModel';
import { isDeploymentRunPage, remoteBackfillDetailsModel } from './remoteBackfillDetailsModel';
import { WebviewPanelHost } from './webviewPanelHost';

/** Daemon changes arrive per run transition; one redraw per interval carries all of them (at most 4 a second). */
const UPDATE_INTERVAL_MS = 250;

export class BackfillDetailsPanel implements vscode.Disposable {
  private static readonly open = new Map<string, BackfillDetailsPanel>();
  private readonly host: WebviewPanelHost;
  private readonly subscription: vscode.Disposable;
  private readonly updates = new CoalescedUpdate(() => this.update(), UPDATE_INTERVAL_MS);
  /** A remote backfill's follower hold, its change subscription and (while the panel is visible) its polling hold. */
  private remote: { follow: RemoteBackfillFollow; changes: vscode.Disposable; visible?: vscode.Disposable | undefined } | undefined;
  private disposed = false;
  private lastModel: BackfillDetailsModel | undefined;

  static show(session: WorkspaceSession, backfillId: string, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): BackfillDetailsPanel {
    const existing = BackfillDetailsPanel.open.get(panelId(session, backfillId));
    if (existing) {
      existing.host.panel.reveal();
      return existing;
    }
    const panel = new BackfillDetailsPanel(session, backfillId, extensionUri, log);
    BackfillDetailsPanel.open.set(panelId(session, backfillId), panel);
    return panel;
  }

  /** Takes over a panel VS Code restored after a window reload; an open panel of the same backfill wins. */
  static restore(restored: vscode.WebviewPanel, session: WorkspaceSession, backfillId: string, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): BackfillDetailsPanel {
    const existing = BackfillDetailsPanel.open.get(panelId(session, backfillId));
    if (existing) {
      restored.dispose();
      return existing;
    }
    const panel = new BackfillDetailsPanel(session, backfillId, extensionUri, log, restored);
    BackfillDetailsPanel.open.set(panelId(session, backfillId), panel);
    return panel;
  }

  /** What the panel of a backfill last showed (the integration tests read it; the page itself is out of their reach). */
  static shown(session: WorkspaceSession, backfillId: string): BackfillDetailsModel | undefined {
    return BackfillDetailsPanel.open.get(panelId(session, backfillId))?.lastModel;
  }

  static disposeAll(): void {
    for (const p of [...BackfillDetailsPanel.open.values()]) p.dispose();
  }

  private constructor(
    private readonly session: WorkspaceSession,
    private readonly backfillId: string,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    restored?: vscode.WebviewPanel,
  ) {
    this.host = new WebviewPanelHost({
      viewType: BACKFILL_DETAILS_VIEW_TYPE,
      identity: { folder: session.folder.uri.toString(), backfillId },
      ...(restored ? { restored } : {}),
      title: session.titled(`Backfill ${backfillId}`),
      view: 'backfillDetails',
      extensionUri,
      log,
      onReady: () => void this.update(),
      onMessage: async (m) => {
        if (m.type === 'cancelBackfill' && m.backfillId === this.backfillId) {
          // As the tree's Cancel: wherever the backfill runs (this window, another one, a terminal's CLI).
          const route = await vscode.commands.executeCommand<string | undefined>(COMMAND_IDS.cancelBackfill, m.backfillId);
          // The command said why in a notification (a deployment refusing, unreachable…): the button is offered again.
          if (route === undefined) this.host.post({ type: 'errorShown', message: `Backfill ${m.backfillId} was not canceled: see the notification for why.` });
          else this.host.forget('errorShown');
          this.scheduleUpdate();
        } else if (m.type === 'openRunLog') {
          await this.openRunLog(m.runId);
        } else if (m.type === 'openDagsterRun') {
          await this.openDagsterRun(m.url);
        } else if ((m.type === 'resumeBackfill' || m.type === 'reexecuteBackfill') && m.backfillId === this.backfillId) {
          const command = m.type === 'resumeBackfill' ? COMMAND_IDS.resumeBackfill : m.fromFailure ? COMMAND_IDS.reexecuteBackfillFromFailure : COMMAND_IDS.reexecuteBackfill;
          // The commands report their own errors; a re-execution is a new backfill, shown in its own panel.
          const id = await vscode.commands.executeCommand<string | undefined>(command, m.backfillId);
          if (id && id !== this.backfillId) BackfillDetailsPanel.show(this.session, id, extensionUri, log);
          else this.scheduleUpdate();
        }
      },
    });
    this.host.onDidDispose(() => this.dispose());
    this.subscription = vscode.Disposable.from(
      session.onDidChangeBackfills((e) => {
        if (e.backfillId === undefined || e.backfillId === backfillId) this.scheduleUpdate();
      }),
      session.onDidDispose(() => this.dispose()),
      // Trusted now: the buttons the untrusted workspace withheld appear.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleUpdate()),
      // A remote backfill is polled only while this panel is on screen.
      this.host.panel.onDidChangeViewState(() => this.followWhileVisible()),
    );
  }

  /** Starts following a remote backfill (once); polling holds only while the panel is visible. */
  private followRemote(b: BackfillRecord): RemoteBackfillFollow {
    if (!this.remote) {
      const follow = RemoteBackfillFollows.of(this.session, this.log).follow(b.id, b.remote!.backfillId);
      this.remote = { follow, changes: follow.onDidChange(() => this.scheduleUpdate()) };
      this.followWhileVisible();
    }
    return this.remote.follow;
  }

  private followWhileVisible(): void {
    const remote = this.remote;
    if (!remote || this.disposed) return;
    if (this.host.panel.visible) remote.visible ??= remote.follow.viewVisible();
    else {
      remote.visible?.dispose();
      remote.visible = undefined;
    }
  }

  private scheduleUpdate(): void {
    this.updates.schedule();
  }

  private async update(): Promise<void> {
    try {
      const { store } = await this.session.engine();
      // Closed while the engine opened: nothing is posted, and no follower is started for a panel that is gone.
      if (this.disposed) return;
      const b = store.getBackfill(this.backfillId);
      if (!b) {
        this.host.post({ type: 'backfillNotFound', backfillId: this.backfillId });
        return;
      }
      this.host.forget('backfillNotFound');
      const untrusted = !vscode.workspace.isTrusted;
      let model: BackfillDetailsModel;
      if (b.remote) {
        // An untrusted folder's state file names the URL: nothing is sent to it until the folder is trusted.
        const follow = untrusted ? undefined : this.followRemote(b);
        const state = !follow
          ? { error: `Not following it on ${b.remote.deployment} in an untrusted workspace: this is what was stored. Trust the folder to follow it.` }
          : { ...(follow.checkedAt !== undefined ? { checkedAt: follow.checkedAt } : {}), ...(follow.error !== undefined ? { error: follow.error } : {}) };
        model = remoteBackfillDetailsModel(b, engineModule().recordBulkActionStatus(b), follow?.latest, state, Date.now(), { untrusted });
      } else {
        model = backfillDetailsModel(b, store.listRuns(b.id), (t) => store.partitionStatuses(t), Date.now(), { untrusted });
      }
      this.lastModel = model;
      this.host.post({ type: 'backfillDetailsLoaded', model });
    } catch (e) {
      this.log.error('could not build the backfill details', e);
      this.host.post({ type: 'errorShown', message: `Could not read backfill ${this.backfillId}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private async openRunLog(runId: string): Promise<void> {
    const { store } = await this.session.engine();
    const run = store.getRun(runId);
    // The webview may only open logs of its own backfill.
    if (run && run.backfillId === this.backfillId) await vscode.commands.executeCommand(COMMAND_IDS.openRunLog, runId);
  }

  /** Opens a remote run's page, only if it is one of this backfill's deployment (the webview's word is not trusted). */
  private async openDagsterRun(url: string): Promise<void> {
    const { store } = await this.session.engine();
    const origin = store.getBackfill(this.backfillId)?.remote;
    if (!origin || !isDeploymentRunPage(origin, url)) {
      this.log.warn(`backfill ${this.backfillId}'s panel asked to open ${url}, which is not a run page of its deployment; ignored`);
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  dispose(): void {
    if (!BackfillDetailsPanel.open.delete(panelId(this.session, this.backfillId))) return;
    this.disposed = true;
    if (this.remote) {
      this.remote.visible?.dispose();
      this.remote.changes.dispose();
      this.remote.follow.dispose();
      this.remote = undefined;
    }
    this.updates.dispose();
    this.subscription.dispose();
    this.host.dispose();
  }
}

/** Two folders' stores draw backfill ids independently: a panel is one folder's backfill. */
function panelId(session: WorkspaceSession, backfillId: string): string {
  return `${session.folder.uri.toString()}\0${backfillId}`;
}
