// The Launch panel's "Run on" a deployment: previews what the deployment will be asked for (its answers to the
// plan cached briefly, as status refreshes re-plan the form), and launches exactly that after the confirmation rule.
import * as vscode from 'vscode';
import type { BackfillRecord } from '../core/backfill/backfill';
import type { BackfillPlan } from '../core/backfill/backfillPlan';
import { confirmAboveRunsOf, launchNeedsConfirmation } from '../core/backfill/launchConfirmationRule';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';
import type { RemoteLaunchPlan } from '../core/deployment/remoteBackfillLaunch';
import type { LaunchFormValues, LaunchRunOptions } from '../shared/launchForm';
import type { PlanPreviewModel } from '../shared/launchPanelModel';
import { COMMAND_IDS } from './commandIds';
import { remoteBackfillRequest, remotePlanPreview, type RemoteBackfillRequest } from './deploymentLaunchPlan';
import { LaunchFormError, planRequestOf } from './panels/launchPlanPreview';
import { remotePlanId, type ShownRemotePlan } from './panels/shownPlans';
import type { WorkspaceSession } from './workspaceSession';

/** How long the deployment's answer for one request is reused while the form stays as it is (a status refresh re-plans it every second). */
const REMOTE_PLAN_REUSE_MS = 30_000;

export interface RemotePreview {
  preview: Extract<PlanPreviewModel, { ok: true }>;
  shown: ShownRemotePlan;
  /** The local plan over every selected partition that the request was made from. */
  local: BackfillPlan;
  launchable: boolean;
}

export class DeploymentLaunch {
  private cached: { key: string; at: number; plan: RemoteLaunchPlan } | undefined;

  constructor(private readonly session: WorkspaceSession, private readonly location: string | undefined) {}

  /** The configured deployment the form names, or a field error saying it is not (any more) configured. */
  deploymentOf(form: LaunchFormValues): DagsterDeployment {
    const deployment = this.session.deployments().find((d) => d.name === form.runOn);
    if (!deployment) {
      throw new LaunchFormError('runOn', `No deployment "${form.runOn}" in backfillStudio.deployments. Choose another, or add it with "Backfill Studio: Add Dagster Deployment…".`);
    }
    return deployment;
  }

  /**
   * Plans the form over every selected partition here (the deployment knows its own statuses), makes the request,
   * and has the deployment's client build the launch variables (checking partition names, finding a job's
   * location). Throws LaunchFormError for the form, RemoteLaunchRefusal, or a DagsterDeploymentError.
   */
  async preview(requestId: number, form: LaunchFormValues, options: LaunchRunOptions, isCurrent: () => boolean): Promise<RemotePreview | undefined> {
    const deployment = this.deploymentOf(form);
    const request = planRequestOf({ ...form, reprocess: 'all' });
    const local = await this.session.workspace.planRequest(this.location === undefined ? request : { ...request, location: this.location }, undefined, { refreshStatuses: false });
    let notLaunchable: string | null = null;
    try {
      this.session.workspace.assertLaunchable(local);
    } catch (e) {
      notLaunchable = e instanceof Error ? e.message : String(e);
    }
    const remoteRequest = remoteBackfillRequest(local, this.session.workspace.findTargets(local.targets, this.location), { tags: options.tags, title: form.title, description: form.description });
    const plan = await this.remotePlan(deployment, remoteRequest);
    if (!isCurrent()) return undefined;
    const shown: ShownRemotePlan = {
      deployment,
      plan,
      record: { targets: local.targets, partitionCount: local.partitionKeys.length, selection: local.selection, ...(Object.keys(options.tags).length > 0 ? { tags: options.tags } : {}) },
    };
    const preview: Extract<PlanPreviewModel, { ok: true }> = {
      ok: true, requestId, planId: remotePlanId(shown), runCount: 0, partitionCount: local.partitionKeys.length, selection: local.selection,
      targets: [], skipped: [], launchBlockedBy: notLaunchable, remote: remotePlanPreview(deployment, remoteRequest, plan),
    };
    return { preview, shown, local, launchable: notLaunchable === null };
  }

  private async remotePlan(deployment: DagsterDeployment, request: RemoteBackfillRequest): Promise<RemoteLaunchPlan> {
    const key = JSON.stringify([deployment, request]);
    const now = Date.now();
    if (this.cached && this.cached.key === key && now - this.cached.at < REMOTE_PLAN_REUSE_MS) return this.cached.plan;
    const remote = this.session.remoteBackfills;
    const plan = request.kind === 'asset' ? await remote.planAsset(deployment, request.request) : await remote.planJob(deployment, request.request);
    this.cached = { key, at: now, plan };
    return plan;
  }

  /**
   * Sends the plan shown to its deployment, after the modal above the threshold (counting the partitions asked for:
   * each is at least one run there). Returns undefined when not confirmed. Records the backfill only on success.
   */
  async launch(shown: ShownRemotePlan): Promise<BackfillRecord | undefined> {
    const { deployment, plan, record } = shown;
    const current = this.session.deployments().find((d) => d.name === deployment.name);
    if (!current || current.url !== deployment.url || current.kind !== deployment.kind) {
      throw new Error(`deployment ${deployment.name} changed in backfillStudio.deployments after the plan was shown. Review the plan shown now and launch again.`);
    }
    const threshold = confirmAboveRunsOf(vscode.workspace.getConfiguration('backfillStudio', this.session.folder.uri).get<unknown>('launch.confirmAboveRuns'));
    if (launchNeedsConfirmation(record.partitionCount, threshold)) {
      const partitions = `${record.partitionCount.toLocaleString('en-US')} partition${record.partitionCount === 1 ? '' : 's'}`;
      const pick = await vscode.window.showWarningMessage(
        `Launch a backfill of ${partitions} of ${record.targets.join(', ')} on ${deployment.name}?`,
        { modal: true, detail: `Partitions: ${record.selection}\nDeployment: ${deployment.url}\nIts daemon launches at least one run per partition.` },
        'Launch',
      );
      if (pick !== 'Launch') return undefined;
    }
    const launched = await this.session.remoteBackfills.launch(deployment, plan, record);
    this.cached = undefined;
    return launched;
  }
}

/** Opens the remote backfill's details and shows the one notification of the launch, whose button reopens them. */
export function announceRemoteLaunch(session: WorkspaceSession, record: BackfillRecord, deployment: DagsterDeployment): void {
  const details = { backfillId: record.id, folder: session.folder.uri.toString() };
  void vscode.commands.executeCommand(COMMAND_IDS.showBackfillDetails, details);
  const partitions = `${record.partitionCount.toLocaleString('en-US')} partition${record.partitionCount === 1 ? '' : 's'}`;
  void vscode.window.showInformationMessage(`Backfill ${record.id} launched on ${deployment.name} (Dagster backfill ${record.remote?.backfillId ?? '?'}): ${partitions} of ${record.targets.join(', ')}, ${record.selection}.`, 'Show Details')
    .then((pick) => pick === 'Show Details' ? vscode.commands.executeCommand(COMMAND_IDS.showBackfillDetails, details) : undefined);
}
