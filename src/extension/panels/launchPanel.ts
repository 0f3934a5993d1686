// The Launch Backfill panel host: one per folder and target; answers plan previews and launches exactly the plan previewed.
import type { PlanRequest } from '../../core/backfill/savedPlanFile';
import { CoalescedUpdate } from './coalescedUpdate';
import * as vscode from 'vscode';
import type { BackfillPlan } from '../../core/backfill/backfillPlan';
import { describePolicy, parseBackfillPolicy } from '../../core/backfill/backfillPolicy';
import { selectTargets } from '../../core/backfill/targetSelection';
import { UNTRUSTED_WORKSPACE_EXPLANATION } from '../../core/backfill/workspaceTrust';
import { dynamicPartitionsNames } from '../../core/partitions/dynamicPartitionsNames';
import { definitionName, type Definition } from '../../core/definitions/definition';
import type { LaunchFormValues } from '../../shared/launchForm';
import type { LaunchTargetModel } from '../../shared/launchPanelModel';
import { encodePartitionKeyList } from '../../shared/partitionKeyList';
import { encodeStatusRuns, type PartitionStatusName } from '../../shared/protocol';
import { LAUNCH_PANEL_VIEW_TYPE } from '../commandIds';
import { isBackfillPlanError } from '../engineModule';
import type { WorkspaceSession } from '../workspaceSession';
import { BackfillDetailsPanel } from './backfillDetailsPanel';
import { launchOptionsFromForm, launchWithOptions } from './launchOptions';
import { fieldOfPlanError, LaunchFormError, planPreviewModel, planRequestOf } from './launchPlanPreview';
import { addDynamicPartitionsPrompt } from './addDynamicPartitionsPrompt';
import { WebviewPanelHost } from './webviewPanelHost';

/** Partition statuses change with every run; the strip and preview follow at most once a second. */
const STATUS_REFRESH_MS = 1000;

export function defaultLaunchForm(target: string): LaunchFormValues {
  return {
    target, includeDownstream: false, partitionMode: 'all', rangeFrom: '', rangeTo: '', latestCount: '7', selectionText: '',
    reprocess: 'failed-and-missing', concurrency: '', order: 'oldest-first', retries: '0', tagsText: '',
  };
}

interface Previewed {
  requestId: number;
  form: string;
  plan: BackfillPlan;
  launchable: boolean;
}

export class LaunchPanel implements vscode.Disposable {
  private static readonly open = new Map<string, LaunchPanel>();
  private readonly host: WebviewPanelHost;
  private readonly subscription: vscode.Disposable;
  private readonly statusRefresh = new CoalescedUpdate(() => this.postTarget(), STATUS_REFRESH_MS);
  private prefillId = 0;
  private form: LaunchFormValues;
  private previewed: Previewed | undefined;
  private latestRequest = -1;

  /** Opens (or reveals) the target's panel; a `form` prefill replaces what the panel shows. */
  static show(session: WorkspaceSession, target: string, prefill: Partial<LaunchFormValues> | undefined, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, location?: string): LaunchPanel {
    const id = panelId(session, target, location);
    let panel = LaunchPanel.open.get(id);
    if (panel) {
      panel.host.panel.reveal();
      if (prefill) panel.prefill(prefill);
    } else {
      panel = new LaunchPanel(session, target, location, { ...defaultLaunchForm(target), ...prefill, target }, extensionUri, log);
      LaunchPanel.open.set(id, panel);
    }
    return panel;
  }

  /** Takes over a panel VS Code restored after a window reload (the page restores its own form); an open one wins. */
  static restore(restored: vscode.WebviewPanel, session: WorkspaceSession, target: string, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, location?: string): LaunchPanel {
    const id = panelId(session, target, location);
    const existing = LaunchPanel.open.get(id);
    if (existing) {
      restored.dispose();
      return existing;
    }
    const panel = new LaunchPanel(session, target, location, defaultLaunchForm(target), extensionUri, log, restored);
    LaunchPanel.open.set(id, panel);
    return panel;
  }

  static disposeAll(): void {
    for (const p of [...LaunchPanel.open.values()]) p.dispose();
  }

  private constructor(
    private readonly session: WorkspaceSession,
    private readonly target: string,
    /** The code location chosen for a name several locations define (a code lens of one of them); else undefined. */
    private readonly location: string | undefined,
    form: LaunchFormValues,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    restored?: vscode.WebviewPanel,
  ) {
    this.form = form;
    this.host = new WebviewPanelHost({
      viewType: LAUNCH_PANEL_VIEW_TYPE,
      identity: { folder: session.folder.uri.toString(), target, ...(location === undefined ? {} : { location }) },
      ...(restored ? { restored } : {}),
      title: session.titled(location === undefined ? `Launch ${target}` : `Launch ${target} (${location})`),
      view: 'launch',
      extensionUri,
      log,
      onReady: () => void this.postTarget(),
      onMessage: async (m) => {
        if ((m.type === 'previewPlan' || m.type === 'launchPlan') && m.form.target !== this.target) {
          log.warn(`ignored ${m.type} for ${m.form.target} in the launch panel of ${this.target}`);
          return;
        }
        if (m.type === 'previewPlan') await this.preview(m.requestId, m.form);
        else if (m.type === 'launchPlan') await this.launch(m.requestId, m.form);
        else if (m.type === 'addDynamicPartitions' && m.target === this.target) {
          if (await addDynamicPartitionsPrompt(session, this.target, log)) await this.postTarget();
        }
        else log.warn(`the launch panel does not handle ${m.type}`);
      },
    });
    this.host.onDidDispose(() => this.dispose());
    this.subscription = vscode.Disposable.from(
      session.onDidChangeBackfills(() => this.statusRefresh.schedule()),
      session.onDidDispose(() => this.dispose()),
      session.statusViews.follow(`launch:${panelId(session, target, location)}`, this.host.panel.visible, (listener) => this.host.panel.onDidChangeViewState((e) => listener(e.webviewPanel.visible))),
    );
  }

  private prefill(values: Partial<LaunchFormValues>): void {
    this.form = { ...defaultLaunchForm(this.target), ...values, target: this.target };
    this.prefillId++;
    void this.postTarget();
  }

  private async definition(): Promise<{ d: Definition; all: Definition[] }> {
    const s = await this.session.definitions();
    const all: Definition[] = [...s.commandTargets, ...s.assets, ...s.jobs];
    return { d: this.session.workspace.findTargets([this.target], this.location)[0]!, all };
  }

  private async postTarget(): Promise<void> {
    try {
      const { d, all } = await this.definition();
      const { statuses: merged } = await this.session.engine();
      const now = this.session.workspace.clock.now();
      const keys = d.partitions ? d.partitions.keys(now) : [];
      const stored = merged.partitionStatuses(this.target);
      const statuses = keys.map((k): PartitionStatusName => stored.get(k) ?? 'MISSING');
      let policy: string;
      try {
        policy = describePolicy(parseBackfillPolicy('backfillPolicy' in d ? d.backfillPolicy : null, this.target));
      } catch (e) {
        policy = e instanceof Error ? e.message : String(e);
      }
      let notLaunchable: string | null = null;
      try {
        this.session.workspace.assertLaunchable({ targets: [this.target] });
      } catch (e) {
        notLaunchable = e instanceof Error ? e.message : String(e);
      }
      const model: LaunchTargetModel = {
        target: this.target,
        kind: d.kind,
        partitionsDescription: d.partitions ? d.partitions.describe() : 'unpartitioned',
        keys: encodePartitionKeyList(keys),
        statusRuns: encodeStatusRuns(statuses),
        policy,
        downstream: selectTargets(all, [`${this.target}*`], this.session.workspace.root, this.location).map(definitionName).filter((n) => n !== this.target),
        notLaunchable,
        dynamicPartitionsName: vscode.workspace.isTrusted ? (dynamicPartitionsNames(d.partitions)[0] ?? null) : null,
        statusSource: this.session.statusSourceText(),
        defaultConcurrency: vscode.workspace.getConfiguration('backfillStudio', this.session.folder.uri).get<number>('maxConcurrentRuns', 4),
        form: this.form,
        prefillId: this.prefillId,
      };
      this.host.post({ type: 'launchTargetLoaded', model });
    } catch (e) {
      this.log.error(`could not load ${this.target} for the launch panel`, e);
      this.host.post({ type: 'errorShown', message: `Could not load ${this.target}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Plans the form; only the answer to the newest request is posted (planning is async and may overlap). */
  private async preview(requestId: number, form: LaunchFormValues): Promise<void> {
    // Messages from a webview arrive in order, so the last one received is the newest (a reloaded page counts afresh).
    this.latestRequest = requestId;
    this.form = form;
    const checked = launchOptionsFromForm(form);
    if ('errors' in checked) {
      this.host.post({ type: 'planPreviewed', preview: { ok: false, requestId, fieldErrors: checked.errors, message: 'Fix the fields marked above.' } });
      return;
    }
    try {
      // Dagster's statuses are read (running the workspace's code) only in a trusted workspace.
      const plan = await this.session.workspace.planRequest(this.planRequest(form), undefined, { refreshStatuses: vscode.workspace.isTrusted });
      if (requestId !== this.latestRequest) return;
      let notLaunchable: string | null = null;
      try {
        this.session.workspace.assertLaunchable(plan);
      } catch (e) {
        notLaunchable = e instanceof Error ? e.message : String(e);
      }
      const preview = planPreviewModel(requestId, plan, notLaunchable);
      this.previewed = { requestId, form: JSON.stringify(form), plan, launchable: preview.ok && preview.launchBlockedBy === null };
      this.host.post({ type: 'planPreviewed', preview });
    } catch (e) {
      if (requestId !== this.latestRequest) return;
      this.previewed = undefined;
      if (!(e instanceof LaunchFormError) && !isBackfillPlanError(e)) this.log.error('planning for the launch panel failed', e);
      const message = e instanceof Error ? e.message : String(e);
      const field = e instanceof LaunchFormError ? e.field : fieldOfPlanError(form, message);
      this.host.post({ type: 'planPreviewed', preview: { ok: false, requestId, fieldErrors: { [field]: message }, message: 'No plan: fix the field marked above.' } });
    }
  }

  /** Launches the plan the user saw, refusing when the form or the stored statuses changed since the preview. */
  private async launch(requestId: number, form: LaunchFormValues): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.host.post({ type: 'errorShown', message: UNTRUSTED_WORKSPACE_EXPLANATION });
      return;
    }
    const shown = this.previewed;
    const checked = launchOptionsFromForm(form);
    if (!shown || shown.requestId !== requestId || shown.form !== JSON.stringify(form) || !shown.launchable || 'errors' in checked) {
      this.host.post({ type: 'errorShown', message: 'Not launched: the preview is not the plan of the form as it stands. Wait for the preview to update, then launch.' });
      return;
    }
    try {
      const again = await this.session.workspace.planRequest(this.planRequest(form), new Date(shown.plan.plannedAt), { refreshStatuses: false });
      if (again.inputsHash !== shown.plan.inputsHash) {
        this.host.post({ type: 'errorShown', message: 'Not launched: partition statuses or definitions changed since the preview. The preview is updated; review it and launch again.' });
        // A fresh target model makes the webview ask for a new preview.
        await this.postTarget();
        return;
      }
      const record = await launchWithOptions(this.session.workspace, shown.plan, checked.options);
      this.previewed = undefined;
      BackfillDetailsPanel.show(this.session, record.id, this.extensionUri, this.log);
    } catch (e) {
      if (!isBackfillPlanError(e)) this.log.error('launch from the launch panel failed', e);
      this.host.post({ type: 'errorShown', message: `Not launched: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** The form's plan request, in the panel's code location when it has one. */
  private planRequest(form: LaunchFormValues): PlanRequest {
    const request = planRequestOf(form);
    return this.location === undefined ? request : { ...request, location: this.location };
  }

  dispose(): void {
    const id = panelId(this.session, this.target, this.location);
    if (LaunchPanel.open.get(id) !== this) return;
    LaunchPanel.open.delete(id);
    this.statusRefresh.dispose();
    this.subscription.dispose();
    this.host.dispose();
  }
}

/** One panel per folder, target and code location: the same key in two locations (or folders) is two definitions. */
function panelId(session: WorkspaceSession, target: string, location: string | undefined): string {
  return `${session.folder.uri.toString()}\0${location === undefined ? target : `${target}\0${location}`}`;
}
