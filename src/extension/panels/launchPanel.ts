// The Launch Backfill panel host: one per folder and target; answers plan previews and launches exactly the plan
// the user saw, after the shared confirmation rule, or says in the panel why not.
import type { PlanRequest } from '../../core/backfill/savedPlanFile';
import { CoalescedUpdate } from './coalescedUpdate';
import * as vscode from 'vscode';
import { planChangeReason } from '../../core/backfill/planIdentity';
import { describePolicy, parseBackfillPolicy } from '../../core/backfill/backfillPolicy';
import { selectTargets } from '../../core/backfill/targetSelection';
import { UNTRUSTED_WORKSPACE_EXPLANATION } from '../../core/backfill/workspaceTrust';
import { dynamicPartitionsNames } from '../../core/partitions/dynamicPartitionsNames';
import { definitionName, type Definition } from '../../core/definitions/definition';
import type { LaunchFormValues, LaunchRunOptions } from '../../shared/launchForm';
import type { LaunchTargetModel } from '../../shared/launchPanelModel';
import { encodePartitionKeyList } from '../../shared/partitionKeyList';
import { encodeStatusRuns, type HostToWebviewMessage, type PartitionStatusName, type WebviewToHostMessage } from '../../shared/protocol';
import { LAUNCH_PANEL_VIEW_TYPE } from '../commandIds';
import { isBackfillPlanError } from '../engineModule';
import type { WorkspaceSession } from '../workspaceSession';
import { announceLaunch, confirmLaunch } from '../launchConfirmation';
import { followOutcome } from '../launchBackfillCommand';
import { launchOptionsFromForm, launchWithOptions } from './launchOptionsFromForm';
import { defaultLaunchForm } from './launchPrefill';
import { ShownPlans, type ShownRemotePlan } from './shownPlans';
import { fieldOfPlanError, LaunchFormError, planPreviewModel, planRequestOf } from './launchPlanPreview';
import { addDynamicPartitionsPrompt } from './addDynamicPartitionsPrompt';
import { announceRemoteLaunch, DeploymentLaunch } from '../deploymentLaunch';
import { RemoteLaunchRefusal } from '../deploymentLaunchPlan';
import { WebviewPanelHost } from './webviewPanelHost';

/** Partition statuses change with every run; the strip and preview follow at most once a second. */
const STATUS_REFRESH_MS = 1000;


export class LaunchPanel implements vscode.Disposable {
  private static readonly open = new Map<string, LaunchPanel>();
  private readonly host: WebviewPanelHost;
  private readonly subscription: vscode.Disposable;
  private readonly statusRefresh = new CoalescedUpdate(() => this.postTarget(), STATUS_REFRESH_MS);
  private prefillId = 0;
  private form: LaunchFormValues;
  private readonly shownPlans = new ShownPlans();
  private latestRequest = -1;
  /** A launch waiting for its confirmation or its launch: a second click is refused, not queued. */
  private launching = false;
  private readonly deploymentLaunch: DeploymentLaunch;
  /** The posts of each message being handled (see handle). */
  private readonly answering = new Set<HostToWebviewMessage[]>();

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
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    restored?: vscode.WebviewPanel,
  ) {
    this.form = form;
    this.deploymentLaunch = new DeploymentLaunch(session, location);
    this.host = new WebviewPanelHost({
      viewType: LAUNCH_PANEL_VIEW_TYPE,
      identity: { folder: session.folder.uri.toString(), target, ...(location === undefined ? {} : { location }) },
      ...(restored ? { restored } : {}),
      title: session.titled(location === undefined ? `Launch ${target}` : `Launch ${target} (${location})`),
      view: 'launch',
      extensionUri,
      log,
      onReady: () => void this.postTarget(),
      onMessage: (m) => this.handle(m).then(() => undefined),
    });
    this.host.onDidDispose(() => this.dispose());
    this.subscription = vscode.Disposable.from(
      session.onDidChangeBackfills(() => this.statusRefresh.schedule()),
      session.onDidDispose(() => this.dispose()),
      session.statusViews.follow(`launch:${panelId(session, target, location)}`, this.host.panel.visible, (listener) => this.host.panel.onDidChangeViewState((e) => listener(e.webviewPanel.visible))),
    );
  }

  /**
   * Handles one (validated) message of the page and returns what was posted to it meanwhile: the webview's messages
   * arrive here, and the integration tests drive the host path (preview, launch) through it.
   */
  async handle(m: Exclude<WebviewToHostMessage, { type: 'ready' }>): Promise<HostToWebviewMessage[]> {
    const answered: HostToWebviewMessage[] = [];
    this.answering.add(answered);
    try {
      if ((m.type === 'previewPlan' || m.type === 'launchPlan') && m.form.target !== this.target) {
        this.log.warn(`ignored ${m.type} for ${m.form.target} in the launch panel of ${this.target}`);
      } else if (m.type === 'previewPlan') await this.preview(m.requestId, m.form);
      else if (m.type === 'launchPlan') await this.launch(m.requestId, m.form, m.planId);
      else if (m.type === 'addDynamicPartitions' && m.target === this.target) {
        if (await addDynamicPartitionsPrompt(this.session, this.target, this.log)) await this.postTarget();
      } else this.log.warn(`the launch panel does not handle ${m.type}`);
    } finally {
      this.answering.delete(answered);
    }
    return answered;
  }

  private post(message: HostToWebviewMessage): void {
    for (const answered of this.answering) answered.push(message);
    this.host.post(message);
  }

  private prefill(values: Partial<LaunchFormValues>): void {
    // Where the user chose to run stays chosen: a prefill says which partitions, not where.
    this.form = { ...defaultLaunchForm(this.target), runOn: this.form.runOn, ...values, target: this.target };
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
        deployments: this.session.deployments().map(({ name, url, kind }) => ({ name, url, kind })),
        form: this.form,
        prefillId: this.prefillId,
      };
      this.post({ type: 'launchTargetLoaded', model });
    } catch (e) {
      this.log.error(`could not load ${this.target} for the launch panel`, e);
      this.post({ type: 'errorShown', message: `Could not load ${this.target}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Plans the form; only the answer to the newest request is posted (planning is async and may overlap). */
  private async preview(requestId: number, form: LaunchFormValues): Promise<void> {
    // Messages from a webview arrive in order, so the last one received is the newest (a reloaded page counts afresh).
    this.latestRequest = requestId;
    this.form = form;
    const checked = launchOptionsFromForm(form);
    if ('errors' in checked) {
      this.post({ type: 'planPreviewed', preview: { ok: false, requestId, fieldErrors: checked.errors, message: 'Fix the fields marked above.' } });
      return;
    }
    if (form.runOn !== '') return this.previewOnDeployment(requestId, form, checked.options);
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
      this.shownPlans.remember(requestId, form, plan, preview.ok && preview.launchBlockedBy === null);
      this.post({ type: 'planPreviewed', preview });
    } catch (e) {
      if (requestId !== this.latestRequest) return;
      this.shownPlans.clear();
      if (!(e instanceof LaunchFormError) && !isBackfillPlanError(e)) this.log.error('planning for the launch panel failed', e);
      const message = e instanceof Error ? e.message : String(e);
      const field = e instanceof LaunchFormError ? e.field : fieldOfPlanError(form, message);
      this.post({ type: 'planPreviewed', preview: { ok: false, requestId, fieldErrors: { [field]: message }, message: 'No plan: fix the field marked above.' } });
    }
  }

  /** The preview of a launch on a deployment: what it will be asked for, or why not (the deployment's own words). */
  private async previewOnDeployment(requestId: number, form: LaunchFormValues, options: LaunchRunOptions): Promise<void> {
    try {
      const planned = await this.deploymentLaunch.preview(requestId, form, options, () => requestId === this.latestRequest);
      if (!planned || requestId !== this.latestRequest) return;
      this.shownPlans.remember(requestId, form, planned.local, planned.launchable, planned.shown);
      this.post({ type: 'planPreviewed', preview: planned.preview });
    } catch (e) {
      if (requestId !== this.latestRequest) return;
      this.shownPlans.clear();
      const message = e instanceof Error ? e.message : String(e);
      const field = e instanceof LaunchFormError ? e.field : e instanceof RemoteLaunchRefusal ? 'runOn' : isBackfillPlanError(e) ? fieldOfPlanError(form, message) : undefined;
      if (field === undefined && !isDeploymentError(e)) this.log.error('planning on a deployment for the launch panel failed', e);
      this.post({ type: 'planPreviewed', preview: { ok: false, requestId, fieldErrors: field ? { [field]: message } : {}, message: field ? 'No plan: fix the field marked above.' : `No plan: ${message}` } });
    }
  }

  /**
   * Launches the plan the user saw (the click names it by request and plan id, so a re-plan in between from a status
   * refresh or a file change does not lose the click): after the confirmation above the run threshold, it plans
   * again and launches when the runs are the same; otherwise it says in the panel what changed.
   */
  private async launch(requestId: number, form: LaunchFormValues, planId: string): Promise<void> {
    const settle = (launched: boolean, message: string) => this.post({ type: 'launchSettled', launched, message });
    if (!vscode.workspace.isTrusted) return settle(false, UNTRUSTED_WORKSPACE_EXPLANATION);
    if (this.launching) return settle(false, 'Not launched again: the launch clicked before is still waiting for its confirmation or starting.');
    const checked = launchOptionsFromForm(form);
    if ('errors' in checked) return settle(false, 'Not launched: fix the fields marked above first.');
    const found = this.shownPlans.find(requestId, form, planId);
    if ('refusal' in found) return settle(false, found.refusal);
    const { shown } = found;
    this.launching = true;
    if (shown.remote) return this.launchOnDeployment(shown.remote, settle).finally(() => (this.launching = false));
    try {
      if (!(await confirmLaunch(this.session, shown.plan))) {
        return settle(false, `Not launched: the launch of ${runsText(shown.plan.runs.length)} was not confirmed.`);
      }
      // Statuses may have moved on while the plan was on screen (and while the dialog was open): the runs must not have.
      const again = await this.session.workspace.planRequest(this.planRequest(form), new Date(shown.plan.plannedAt), { refreshStatuses: false });
      const changed = planChangeReason(shown.plan, again);
      if (changed) {
        settle(false, `Not launched: ${changed}. The plan shown is updated; review it and launch again.`);
        // A fresh target model makes the webview ask for a new preview.
        await this.postTarget();
        return;
      }
      this.session.workspace.assertLaunchable(again);
      const record = await launchWithOptions(this.session.workspace, again, checked.options);
      settle(true, `Launched backfill ${record.id}: ${runsText(again.runs.length)}.`);
      announceLaunch(this.session, record, again);
      void followOutcome(this.session, record.id);
    } catch (e) {
      if (!isBackfillPlanError(e)) this.log.error('launch from the launch panel failed', e);
      settle(false, `Not launched: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.launching = false;
    }
  }

  /** Sends the plan shown to its deployment; its errors are said in the panel, and nothing is recorded then. */
  private async launchOnDeployment(remote: ShownRemotePlan, settle: (launched: boolean, message: string) => void): Promise<void> {
    try {
      const record = await this.deploymentLaunch.launch(remote);
      if (!record) return settle(false, `Not launched: the backfill of ${remote.record.partitionCount.toLocaleString('en-US')} partitions on ${remote.deployment.name} was not confirmed.`);
      settle(true, `Launched backfill ${record.id} on ${remote.deployment.name} (Dagster backfill ${record.remote?.backfillId ?? '?'}): ${remote.record.partitionCount.toLocaleString('en-US')} partitions of ${record.targets.join(', ')}.`);
      announceRemoteLaunch(this.session, record, remote.deployment);
    } catch (e) {
      if (!isDeploymentError(e)) this.log.error('launch on a deployment from the launch panel failed', e);
      settle(false, `Not launched: ${e instanceof Error ? e.message : String(e)}`);
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

/** Errors of a deployment (from the engine bundle, so recognised by name) are the user's to read, not the log's. */
function isDeploymentError(e: unknown): boolean {
  return e instanceof Error && e.name === 'DagsterDeploymentError';
}

function runsText(n: number): string {
  return `${n.toLocaleString('en-US')} run${n === 1 ? '' : 's'}`;
}

/** One panel per folder, target and code location: the same key in two locations (or folders) is two definitions. */
function panelId(session: WorkspaceSession, target: string, location: string | undefined): string {
  return `${session.folder.uri.toString()}\0${location === undefined ? target : `${target}\0${location}`}`;
}
