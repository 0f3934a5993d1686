// The Partitions panel: one per folder and target, its status grid refreshed (batched) as runs change, launching from a brush selection;
// its statuses are this machine's, or those of the deployment backfillStudio.statusDeployment names (saying which).
import { CoalescedUpdate } from './coalescedUpdate';
import * as vscode from 'vscode';
import { definitionName, type Definition } from '../../core/definitions/definition';
import type { PartitionsPanelModel } from '../../shared/partitionsPanelProtocol';
import type { WebviewToHostMessage } from '../../shared/protocol';
import { COMMAND_IDS, PARTITIONS_VIEW_TYPE } from '../commandIds';
import { engineModule } from '../engineModule';
import type { WorkspaceSession } from '../workspaceSession';
import { partitionsGeometry, partitionsPanelModel, partitionStatusesUpdate, type PartitionsGeometry } from './partitionsPanelModel';
import { addDynamicPartitionsPrompt } from './addDynamicPartitionsPrompt';
import { WebviewPanelHost } from './webviewPanelHost';

/** At most four pushes a second, however fast runs change. */
const UPDATE_INTERVAL_MS = 250;

export class PartitionsPanel implements vscode.Disposable {
  private static readonly open = new Map<string, PartitionsPanel>();
  private readonly host: WebviewPanelHost;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly updates = new CoalescedUpdate(() => this.update(), UPDATE_INTERVAL_MS);
  private geometry: PartitionsGeometry | undefined;
  /** The last model the webview holds, so updates can carry only statuses; undefined means send it whole. */
  private shown: PartitionsPanelModel | undefined;
  private backfillFilter: string | null = null;

  /** `location`: the code location of a name several locations define (their panels are two panels). */
  static show(session: WorkspaceSession, target: string, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, location?: string): PartitionsPanel {
    // The same target in two workspace folders is two panels, each of its folder's session.
    const id = panelIdOf(session, target, location);
    const existing = PartitionsPanel.open.get(id);
    if (existing) {
      existing.host.panel.reveal();
      return existing;
    }
    const panel = new PartitionsPanel(session, target, location, id, extensionUri, log);
    PartitionsPanel.open.set(id, panel);
    return panel;
  }

  /** Takes over a panel VS Code restored after a window reload; an open panel of the same target wins. */
  static restore(restored: vscode.WebviewPanel, session: WorkspaceSession, target: string, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, location?: string): PartitionsPanel {
    const id = panelIdOf(session, target, location);
    const existing = PartitionsPanel.open.get(id);
    if (existing) {
      restored.dispose();
      return existing;
    }
    const panel = new PartitionsPanel(session, target, location, id, extensionUri, log, restored);
    PartitionsPanel.open.set(id, panel);
    return panel;
  }

  static disposeAll(): void {
    for (const p of [...PartitionsPanel.open.values()]) p.dispose();
  }

  private constructor(
    private readonly session: WorkspaceSession,
    private readonly target: string,
    private readonly location: string | undefined,
    private readonly id: string,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    restored?: vscode.WebviewPanel,
  ) {
    this.host = new WebviewPanelHost({
      viewType: PARTITIONS_VIEW_TYPE,
      identity: { folder: session.folder.uri.toString(), target, ...(location === undefined ? {} : { location }) },
      ...(restored ? { restored } : {}),
      title: session.titled(location === undefined ? `Partitions: ${target}` : `Partitions: ${target} (${location})`),
      view: 'partitions',
      extensionUri,
      log,
      onReady: () => {
        this.shown = undefined;
        void this.update();
      },
      onMessage: (m) => this.receive(m),
    });
    this.host.onDidDispose(() => this.dispose());
    this.subscriptions.push(
      session.onDidDispose(() => this.dispose()),
      session.onDidChangeBackfills(() => this.scheduleUpdate()),
      session.onDidChangeDefinitions(() => {
        this.geometry = undefined;
        this.shown = undefined;
        this.scheduleUpdate();
      }),
      // A hidden webview misses posts; when it shows again it gets the whole model, not a delta.
      this.host.panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.shown = undefined;
      }),
      session.statusViews.follow(`partitions:${target}`, this.host.panel.visible, (listener) =>
        this.host.panel.onDidChangeViewState((e) => listener(e.webviewPanel.visible))),
      session.onDidChangeStatusSource(() => this.scheduleUpdate()),
      session.deploymentStatuses.onDidChange(() => this.scheduleUpdate()),
    );
  }

  private async receive(m: Exclude<WebviewToHostMessage, { type: 'ready' }>): Promise<void> {
    if (m.type === 'openRunLog') {
      const { store } = await this.session.engine();
      // The webview may only open logs of runs of its own target.
      if (store.getRun(m.runId)?.target === this.target) await vscode.commands.executeCommand(COMMAND_IDS.openRunLog, m.runId);
      else this.log.warn(`partitions panel of ${this.target}: ignored openRunLog of run ${m.runId}, not a run of this target`);
    } else if (m.type === 'filterPartitionsByBackfill' && m.target === this.target) {
      this.backfillFilter = m.backfillId;
      this.shown = undefined;
      await this.update();
    } else if (m.type === 'addDynamicPartitions' && m.target === this.target) {
      if (await addDynamicPartitionsPrompt(this.session, this.target, this.log)) await this.update();
    } else if (m.type === 'launchPartitionRange' && m.target === this.target) {
      const reason = this.rangeProblem(m.from, m.to);
      if (reason) {
        this.log.warn(`partitions panel of ${this.target}: ignored launch of ${m.from}...${m.to}: ${reason}`);
        return;
      }
      // The Launch panel owns planning, confirmation and the announcement; the calendar only prefills target and range
      // (no `selection`, which would launch straight away).
      await vscode.commands.executeCommand(COMMAND_IDS.launchBackfill, {
        target: this.target,
        ...(this.location !== undefined ? { location: this.location } : {}),
        // This panel's folder: with several, the target's name alone does not say which.
        folder: this.session.folder.uri.toString(),
        partitions: `${m.from}...${m.to}`,
      });
    } else {
      this.log.warn(`partitions panel of ${this.target}: ignored ${m.type} (not for this panel)`);
    }
  }

  /** Both ends must be keys shown here, in order (for multi-partitions: each dimension in order). */
  private rangeProblem(from: string, to: string): string | null {
    const g = this.geometry;
    if (!g) return 'the panel has not loaded its partitions';
    const a = g.indexOf.get(from);
    const b = g.indexOf.get(to);
    if (a === undefined || b === undefined) return `${a === undefined ? from : to} is not a partition of ${this.target}`;
    return a <= b ? null : 'the range ends before it starts';
  }

  private scheduleUpdate(): void {
    this.updates.schedule();
  }

  private async definition(): Promise<Definition | undefined> {
    const s = await this.session.definitions();
    return [...s.assets, ...s.jobs, ...s.commandTargets].find((d) => definitionName(d) === this.target
      && (this.location === undefined || (d.kind !== 'command' && d.codeLocation?.name === this.location)));
  }

  private async update(): Promise<void> {
    try {
      const d = await this.definition();
      if (!d || !d.partitions) {
        this.shown = undefined;
        this.host.post({ type: 'partitionsNotFound', target: this.target, reason: d ? `${this.target} is not partitioned.` : `${this.target} is no longer defined in this workspace.` });
        return;
      }
      const { store, statuses } = await this.session.engine();
      const geometry = partitionsGeometry(d, this.session.workspace.clock.now(), this.geometry);
      this.geometry = geometry;
      const fromDeployment = this.session.deploymentStatuses.lookup(d, () => geometry.keys);
      const model = partitionsPanelModel({
        definition: d,
        geometry,
        store,
        statuses: fromDeployment ? { partitionStatuses: () => fromDeployment.statuses } : statuses,
        backfillFilter: this.backfillFilter,
        canLaunch: vscode.workspace.isTrusted,
        now: Date.now(),
        statusSource: fromDeployment ? engineModule().deploymentStatusSourceText(fromDeployment.state) : this.session.statusSourceText(),
      });
      const update = this.shown && this.host.panel.visible ? partitionStatusesUpdate(this.shown, model) : null;
      this.shown = model;
      if (update) this.host.post({ type: 'partitionStatusesChanged', update });
      else this.host.post({ type: 'partitionsLoaded', model });
    } catch (e) {
      this.log.error(`could not build the partitions of ${this.target}`, e);
      this.shown = undefined;
      this.host.post({ type: 'partitionsNotFound', target: this.target, reason: `Could not read the partitions of ${this.target}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  dispose(): void {
    if (PartitionsPanel.open.get(this.id) !== this) return;
    PartitionsPanel.open.delete(this.id);
    this.updates.dispose();
    vscode.Disposable.from(...this.subscriptions.splice(0)).dispose();
    this.host.dispose();
  }
}

function panelIdOf(session: WorkspaceSession, target: string, location: string | undefined): string {
  return `${session.folder.uri.toString()}\0${target}${location === undefined ? '' : `\0${location}`}`;
}
