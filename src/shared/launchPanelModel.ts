// View models of the launch panel: the target being launched and the live preview of its plan.
import * as v from 'valibot';
import { launchFieldErrors, launchForm } from './launchForm';
import { arrayOf, count, coverageProblem, id, nullableText, oneOf, record, rule, safeCount, statusRuns, text, texts } from './messageSchema';
import { partitionKeyList } from './partitionKeyListSchema';
import { PARTITION_STATUS_NAMES } from './partitionStatusName';

const deploymentKind = oneOf(['oss', 'dagster-plus']);

export const launchDeploymentChoice = record({ name: v.pipe(text, v.nonEmpty('must not be empty')), url: text, kind: deploymentKind });
export type LaunchDeploymentChoice = v.InferOutput<typeof launchDeploymentChoice>;

/** The target as the form needs it: what it is, its partitions with their stored statuses, and the defaults. */
export const launchTargetModel = v.pipe(
  record({
    target: text,
    kind: oneOf(['asset', 'job', 'command']),
    /** e.g. "daily from 2024-01-01". */
    partitionsDescription: text,
    /** Every partition key, in order, compactly (the strip maps pointer positions onto them). */
    keys: partitionKeyList,
    /** Run-length statuses of `keys`: [status, length] pairs adding up to keys.count. */
    statusRuns: statusRuns(PARTITION_STATUS_NAMES),
    /** Dagster's description of the target's BackfillPolicy; the planner has no override, so it is shown read-only. */
    policy: text,
    /** Targets a downstream selection (`target*`) adds, in order; empty when none. */
    downstream: texts,
    /** Why this target cannot be launched in this version (e.g. a Dagster asset without the runner), or null. */
    notLaunchable: nullableText,
    /** The dynamic partitions definition whose keys "Add partitions…" adds to, or null (not dynamic, or untrusted). */
    dynamicPartitionsName: nullableText,
    /** Where the statuses come from, in words: the Dagster instance and this project's runs, or why only the latter. */
    statusSource: text,
    /** backfillStudio.maxConcurrentRuns, shown as the concurrency placeholder. */
    defaultConcurrency: count,
    /** The configured Dagster deployments (backfillStudio.deployments) the "Run on" choice offers beside this machine. */
    deployments: arrayOf(launchDeploymentChoice),
    /** The form as it opens (prefilled from a lens, the tree or a brush selection). */
    form: launchForm,
    /**
     * Changes only when the host means to replace the form (a new prefill); status refreshes keep it, so the
     * webview keeps what the user typed, including across reloads.
     */
    prefillId: count,
  }),
  rule((m) => coverageProblem(m.statusRuns, m.keys.count)),
);
export type LaunchTargetModel = v.InferOutput<typeof launchTargetModel>;

/** What a deployment will be asked for, in words: the launchPartitionBackfill variables summarised, and what is left out. */
const remotePlanPreview = record({
  deployment: text,
  url: text,
  kind: deploymentKind,
  /** e.g. [{ label: 'Assets', value: 'orders, order_items' }, { label: 'Partitions', value: '2026-11-01...2026-11-03 (3)' }]. */
  asked: arrayOf(record({ label: text, value: text })),
  /** Options the server's version has no field for, each with why (e.g. 'title: Dagster 1.2 has no backfill titles'). */
  notSent: texts,
});
export type RemotePlanPreview = v.InferOutput<typeof remotePlanPreview>;

const planPreviewTarget = record({
  target: text,
  /** Partitions of this target the runs cover. */
  partitions: count,
  runs: count,
  /** "2024-01-01...2024-01-31", or "" when it has no partitions in the plan. */
  span: text,
});
export type PlanPreviewTarget = v.InferOutput<typeof planPreviewTarget>;

const planPreviewSkip = record({
  target: text,
  count,
  /** Why, in words (Dagster's reasons). */
  reason: text,
  /** The skipped key ranges, shortened: "2024-01-01...2024-01-05, 2024-01-09". */
  ranges: text,
});
export type PlanPreviewSkip = v.InferOutput<typeof planPreviewSkip>;

export const planPreviewModel = v.variant(
  'ok',
  [
    record({
      ok: v.literal(true),
      /** Echo of the preview request, so the webview drops answers to requests it has since replaced. */
      requestId: safeCount,
      /** Identifies the runs this plan would start (planIdOf); Launch sends it back so the host launches exactly these. */
      planId: id,
      runCount: count,
      partitionCount: count,
      selection: text,
      targets: arrayOf(planPreviewTarget),
      skipped: arrayOf(planPreviewSkip),
      /** Null when Launch may go ahead; else why not (zero runs, a target this version cannot run). */
      launchBlockedBy: nullableText,
      /** Set when the form runs on a deployment: then runCount, targets and skipped are empty (the deployment plans its runs). */
      remote: v.nullable(remotePlanPreview),
    }),
    record({ ok: v.literal(false), requestId: safeCount, fieldErrors: launchFieldErrors, message: text }),
  ],
  'must be an object whose ok is a boolean',
);
export type PlanPreviewModel = v.InferOutput<typeof planPreviewModel>;
