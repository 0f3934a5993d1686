// The Backfills view: every backfill in the state store, newest first, with live status and progress; with several
// workspace folders, under a node per folder. Backfills on a Dagster deployment are marked with its name and followed
// while the view is visible and they have not settled.
import * as vscode from 'vscode';
import { countRuns, isPausedBackfill, TERMINAL_BACKFILL_STATUSES, type BackfillRecord } from '../core/backfill/backfill';
import { backfillContextValue } from './backfillContextValue';
import { backfillStatusLabel, type StatusTone } from '../core/backfill/backfillStatusLabel';
import { runCountsSummary } from '../core/backfill/runCountsSummary';
import { COMMAND_IDS } from './commandIds';
import { engineModule } from './engineModule';
import type { WorkspaceSession } from './workspaceSession';
import type { WorkspaceSessions } from './workspaceSessions';

/** A backfill names its folder's session: cancel, pause and resume on it act on that folder's engine. */
export type BackfillNode =
  | { kind: 'backfill'; backfill: BackfillRecord; session: WorkspaceSession }
  | { kind: 'folder'; session: WorkspaceSession; backfill?: undefined };

/** Icon and theme colour per status colour (backfillStatusLabel), so the tree shows what the panels show. */
const ICONS: Record<StatusTone, [string, string | undefined]> = {
  queued: ['clock', 'disabledForeground'],
  inProgress: ['sync~spin', 'charts.blue'],
  success: ['pass', 'charts.green'],
  failed: ['error', 'charts.red'],
  canceled: ['circle-slash', 'disabledForeground'],
  canceling: ['loading~spin', 'charts.yellow'],
  paused: ['debug-pause', 'charts.yellow'],
};

/** Status filters offered by Filter Backfills by Status; each keeps the backfills whose status it lists. */
export const BACKFILL_FILTERS: { label: string; statuses: BackfillRecord['status'][] | null }[] = [
  { label: 'All backfills', statuses: null },
  { label: 'In progress', statuses: ['REQUESTED', 'CANCELING'] },
  { label: 'Success', statuses: ['COMPLETED_SUCCESS'] },
  { label: 'Failed', statuses: ['COMPLETED_FAILED', 'FAILED'] },
  { label: 'Canceled', statuses: ['CANCELED'] },
];

/** A remote backfill the view shows unsettled, to be followed while the view is visible. */
export interface ShownRemoteBackfill {
  session: WorkspaceSession;
  localId: string;
  backfillId: string;
}

/** Follows the given backfills (polling their deployments) until disposed; from the on-demand bundle. */
export type FollowRemoteBackfills = (shown: ShownRemoteBackfill[]) => vscode.Disposable;

export class BackfillsTreeProvider implements vscode.TreeDataProvider<BackfillNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private pending: NodeJS.Timeout | undefined;
  private filter: (typeof BACKFILL_FILTERS)[number] = BACKFILL_FILTERS[0]!;
  private visible = false;
  /** Per folder, the unsettled remote backfills last listed. */
  private readonly unsettledRemote = new Map<WorkspaceSession, ShownRemoteBackfill[]>();
  private followed: { key: string; hold: vscode.Disposable } | undefined;

  constructor(private readonly sessions: WorkspaceSessions, private readonly followRemote?: FollowRemoteBackfills) {
    this.subscriptions = [
      // Runs finish many times a second in a large backfill; the tree needs at most a few repaints.
      sessions.onDidChangeBackfills(() => {
        this.pending ??= setTimeout(() => {
          this.pending = undefined;
          this.changed.fire();
        }, 250);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.followShown()),
      sessions.onDidChangeFolders(() => {
        for (const s of [...this.unsettledRemote.keys()]) if (!sessions.all.includes(s)) this.unsettledRemote.delete(s);
        this.followShown();
        this.changed.fire();
      }),
    ];
  }

  /** The view was shown or hidden: unsettled remote backfills are followed only while it is visible. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.followShown();
  }

  /** Holds the follows of what is shown now, taking the new holds before releasing the old (a kept one does not restart). */
  private followShown(): void {
    // An untrusted folder's state file names the URLs: nothing is sent to them until the workspace is trusted.
    const shown = this.visible && vscode.workspace.isTrusted ? [...this.unsettledRemote.values()].flat() : [];
    const key = shown.map((r) => `${r.session.folder.uri.toString()}|${r.localId}`).join('\n');
    if (key === (this.followed?.key ?? '')) return;
    const previous = this.followed;
    this.followed = shown.length > 0 && this.followRemote ? { key, hold: this.followRemote(shown) } : undefined;
    previous?.hold.dispose();
  }

  async getChildren(node?: BackfillNode): Promise<BackfillNode[]> {
    if (node?.kind === 'backfill') return [];
    if (!node && this.sessions.several) return this.sessions.all.map((session) => ({ kind: 'folder', session }));
    const session = node?.session ?? this.sessions.all[0];
    if (!session) return [];
    try {
      const { store } = await session.engine();
      const keep = this.filter.statuses;
      const listed = store.listBackfills().filter((b) => !keep || keep.includes(b.status));
      this.unsettledRemote.set(session, listed.filter((b) => b.remote && !TERMINAL_BACKFILL_STATUSES.has(b.status)).map((b) => ({ session, localId: b.id, backfillId: b.remote!.backfillId })));
      this.followShown();
      return listed.map((backfill) => ({ kind: 'backfill', backfill, session }));
    } catch (e) {
      // A damaged state file must not take the view down silently: say what is wrong and where.
      const where = this.sessions.several ? ` of ${session.folder.name}` : '';
      void vscode.window.showErrorMessage(`Backfill Studio cannot read the state store${where}: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  /** Applies a filter by label; returns the view description to show (empty for all backfills). */
  setFilter(label: string): string {
    this.filter = BACKFILL_FILTERS.find((f) => f.label === label) ?? BACKFILL_FILTERS[0]!;
    this.changed.fire();
    return this.filter.statuses ? this.filter.label : '';
  }

  async getTreeItem(node: BackfillNode): Promise<vscode.TreeItem> {
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.session.folder.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `folder:${node.session.folder.uri.toString()}`;
      item.iconPath = new vscode.ThemeIcon('root-folder');
      item.contextValue = 'workspaceFolder';
      item.tooltip = `Backfills of ${node.session.folder.name} (${node.session.folder.uri.fsPath})`;
      return item;
    }
    const b = node.backfill;
    const { store } = await node.session.engine();
    const c = countRuns(store.listRuns(b.id));
    const item = new vscode.TreeItem(b.targets.join(', '), vscode.TreeItemCollapsibleState.None);
    // Ids are unique per tree: two folders' stores draw their ids independently.
    item.id = this.sessions.several ? `${node.session.folder.uri.toString()}|${b.id}` : b.id;
    const paused = isPausedBackfill(b);
    // A paused backfill's time stops at its pause, as the details panel's duration does.
    const seconds = Math.round(((b.endedAt ?? (paused ? b.pausedAt! : Date.now())) - b.createdAt) / 1000);
    // A remote backfill reads Dagster's status (FAILING is "Failing"); its runs are on the deployment, not counted here.
    const status = b.remote ? backfillStatusLabel(engineModule().recordBulkActionStatus(b)) : backfillStatusLabel(b.status, paused);
    const progress = b.remote ? `on ${b.remote.deployment}` : runCountsSummary(c, { inFlight: false });
    // The icon carries the status's colour; the description leads with the word, then progress, which is what changes.
    item.description = `${status.label} · ${progress} · ${b.selection} · ${seconds}s`;
    const [icon, color] = ICONS[status.tone];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = backfillContextValue(b, c);
    const where = b.remote ? `\nRuns on Dagster deployment ${b.remote.deployment} (${b.remote.url}) as backfill ${b.remote.backfillId}` : '';
    item.tooltip = `Backfill ${b.id}: ${status.label} (${status.detail})${paused ? ` since ${new Date(b.pausedAt!).toLocaleString()}` : ''}\n${b.targets.join(', ')} · ${b.selection}${where}\nLaunched from the ${b.origin} ${new Date(b.createdAt).toLocaleString()}`;
    item.accessibilityInformation = { label: b.remote
      ? `Backfill ${b.id} of ${b.targets.join(', ')} on deployment ${b.remote.deployment}, ${status.label}`
      : `Backfill ${b.id} of ${b.targets.join(', ')}, ${status.label}, ${c.succeeded} of ${c.total} runs succeeded` };
    item.command = { command: COMMAND_IDS.showBackfillDetails, title: 'Show Backfill Details', arguments: [this.sessions.several ? { backfillId: b.id, folder: node.session.folder.uri.toString() } : b.id] };
    return item;
  }

  dispose(): void {
    this.followed?.hold.dispose();
    this.followed = undefined;
    if (this.pending) clearTimeout(this.pending);
    this.subscriptions.forEach((x) => x.dispose());
    this.changed.dispose();
  }
}
