// The plans a launch panel has recently shown, by preview request: what a Launch click may launch.
import { createHash } from 'node:crypto';
import type { BackfillPlan } from '../../core/backfill/backfillPlan';
import { planIdOf } from '../../core/backfill/planIdentity';
import type { DagsterDeployment } from '../../core/deployment/dagsterGraphqlClient';
import type { RemoteLaunchPlan } from '../../core/deployment/remoteBackfillLaunch';
import type { RemoteLaunchRecord } from '../../core/deployment/remoteBackfills';
import type { LaunchFormValues } from '../../shared/launchForm';

export interface ShownPlan {
  requestId: number;
  /** The form the plan was computed for, as JSON (compared whole: any field may change the launch). */
  form: string;
  plan: BackfillPlan;
  planId: string;
  launchable: boolean;
  /** Set when the plan runs on a deployment: exactly what it will be sent (`plan` is then the local plan it came from). */
  remote?: ShownRemotePlan;
}

export interface ShownRemotePlan {
  deployment: DagsterDeployment;
  plan: RemoteLaunchPlan;
  record: RemoteLaunchRecord;
}

/** Identifies a remote plan by what would be sent and to where, as planIdOf identifies local runs. */
export function remotePlanId(remote: ShownRemotePlan): string {
  const { name, url, kind } = remote.deployment;
  return `r${createHash('sha256').update(JSON.stringify([name, url, kind, remote.plan.backfillParams])).digest('base64url').slice(0, 32)}`;
}

/**
 * Status refreshes and file changes re-plan the form while it stays on screen, so the plan the user clicked
 * Launch on may no longer be the newest previewed: a few are kept, and a click names the one it saw.
 */
const KEPT = 8;

export class ShownPlans {
  private readonly plans: ShownPlan[] = [];

  remember(requestId: number, form: LaunchFormValues, plan: BackfillPlan, launchable: boolean, remote?: ShownRemotePlan): ShownPlan {
    const planId = remote ? remotePlanId(remote) : planIdOf(plan);
    const shown: ShownPlan = { requestId, form: JSON.stringify(form), plan, planId, launchable, ...(remote ? { remote } : {}) };
    this.plans.push(shown);
    if (this.plans.length > KEPT) this.plans.shift();
    return shown;
  }

  /** A new target snapshot or a failed plan: what was shown before may not be launched any more. */
  clear(): void {
    this.plans.length = 0;
  }

  /** The plan a launch message names, or why it may not be launched (in words the panel shows). */
  find(requestId: number, form: LaunchFormValues, planId: string): { shown: ShownPlan } | { refusal: string } {
    const shown = this.plans.find((p) => p.requestId === requestId);
    if (!shown || shown.planId !== planId) {
      return { refusal: 'Not launched: the plan shown is no longer one this panel computed (it was replaced by a newer plan). Review the plan shown now and launch again.' };
    }
    if (shown.form !== JSON.stringify(form)) return { refusal: 'Not launched: the form changed after its plan was shown. Wait for the plan of the form as it stands, then launch.' };
    if (!shown.launchable) return { refusal: 'Not launched: the plan shown cannot be launched (see the reason under the plan).' };
    return { shown };
  }
}
