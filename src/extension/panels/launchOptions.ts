// The one place the launch form's run options (concurrency, order, retries, tags) become launch options.
import type { BackfillPlan } from '../../core/backfill/backfillPlan';
import type { BackfillRecord } from '../../core/backfill/backfill';
import type { BackfillWorkspace } from '../../core/workspace/backfillWorkspace';
import { checkLaunchForm, type LaunchFieldErrors, type LaunchFormValues, type LaunchRunOptions } from '../../shared/launchForm';

/**
 * Maps the form to the options of BackfillWorkspace.launch(plan, options): the single mapping from what the user
 * chose to what the engine receives, so wiring a new launch option touches this function and launchWithOptions only.
 */
export function launchOptionsFromForm(form: LaunchFormValues): { options: LaunchRunOptions } | { errors: LaunchFieldErrors } {
  const checked = checkLaunchForm(form);
  return checked.options ? { options: checked.options } : { errors: checked.errors };
}

/**
 * Launches exactly `plan`. BackfillWorkspace.launch takes the plan only in this version; concurrency, order, retries
 * and tags are being added to it in parallel (launch(plan, options)), and are passed here once it accepts them.
 */
export function launchWithOptions(workspace: BackfillWorkspace, plan: BackfillPlan, options: LaunchRunOptions): Promise<BackfillRecord> {
  void options;
  return workspace.launch(plan);
}
