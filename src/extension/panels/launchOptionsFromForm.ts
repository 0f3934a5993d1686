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

/** Launches exactly `plan` with the form's run options (saved with the plan, so resume and re-execute keep them). */
export function launchWithOptions(workspace: BackfillWorkspace, plan: BackfillPlan, options: LaunchRunOptions): Promise<BackfillRecord> {
  return workspace.launch(plan, {
    order: options.order,
    maxRetries: options.retries,
    ...(Object.keys(options.tags).length > 0 ? { tags: options.tags } : {}),
    ...(options.maxConcurrent !== null ? { maxConcurrent: options.maxConcurrent } : {}),
  });
}
