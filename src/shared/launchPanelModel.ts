// View models of the launch panel: the target being launched and the live preview of its plan.
import type { LaunchFieldErrors, LaunchFormValues } from './launchForm';
import type { PartitionKeyList } from './partitionKeyList';
import type { PartitionStatusName } from './partitionStatusName';

/** The target as the form needs it: what it is, its partitions with their stored statuses, and the defaults. */
export interface LaunchTargetModel {
  target: string;
  kind: 'asset' | 'job' | 'command';
  /** e.g. "daily from 2024-01-01". */
  partitionsDescription: string;
  /** Every partition key, in order, compactly (the strip maps pointer positions onto them). */
  keys: PartitionKeyList;
  /** Run-length statuses of `keys`: [status, length] pairs adding up to keys.count. */
  statusRuns: [PartitionStatusName, number][];
  /** Dagster's description of the target's BackfillPolicy; the planner has no override, so it is shown read-only. */
  policy: string;
  /** Targets a downstream selection (`target*`) adds, in order; empty when none. */
  downstream: string[];
  /** Why this target cannot be launched in this version (e.g. a Dagster asset without the runner), or null. */
  notLaunchable: string | null;
  /** The dynamic partitions definition whose keys "Add partitions…" adds to, or null (not dynamic, or untrusted). */
  dynamicPartitionsName: string | null;
  /** Where the statuses come from, in words: the Dagster instance and this project's runs, or why only the latter. */
  statusSource: string;
  /** backfillStudio.maxConcurrentRuns, shown as the concurrency placeholder. */
  defaultConcurrency: number;
  /** The configured Dagster deployments (backfillStudio.deployments) the "Run on" choice offers beside this machine. */
  deployments: LaunchDeploymentChoice[];
  /** The form as it opens (prefilled from a lens, the tree or a brush selection). */
  form: LaunchFormValues;
  /**
   * Changes only when the host means to replace the form (a new prefill); status refreshes keep it, so the
   * webview keeps what the user typed, including across reloads.
   */
  prefillId: number;
}

export interface LaunchDeploymentChoice {
  name: string;
  url: string;
  kind: 'oss' | 'dagster-plus';
}

/** What a deployment will be asked for, in words: the launchPartitionBackfill variables summarised, and what is left out. */
export interface RemotePlanPreview {
  deployment: string;
  url: string;
  kind: 'oss' | 'dagster-plus';
  /** e.g. [{ label: 'Assets', value: 'orders, order_items' }, { label: 'Partitions', value: '2026-11-01...2026-11-03 (3)' }]. */
  asked: { label: string; value: string }[];
  /** Options the server's version has no field for, each with why (e.g. 'title: Dagster 1.2 has no backfill titles'). */
  notSent: string[];
}

export interface PlanPreviewTarget {
  target: string;
  /** Partitions of this target the runs cover. */
  partitions: number;
  runs: number;
  /** "2024-01-01...2024-01-31", or "" when it has no partitions in the plan. */
  span: string;
}

export interface PlanPreviewSkip {
  target: string;
  count: number;
  /** Why, in words (Dagster's reasons). */
  reason: string;
  /** The skipped key ranges, shortened: "2024-01-01...2024-01-05, 2024-01-09". */
  ranges: string;
}

export type PlanPreviewModel =
  | {
      ok: true;
      /** Echo of the preview request, so the webview drops answers to requests it has since replaced. */
      requestId: number;
      /** Identifies the runs this plan would start (planIdOf); Launch sends it back so the host launches exactly these. */
      planId: string;
      runCount: number;
      partitionCount: number;
      selection: string;
      targets: PlanPreviewTarget[];
      skipped: PlanPreviewSkip[];
      /** Null when Launch may go ahead; else why not (zero runs, a target this version cannot run). */
      launchBlockedBy: string | null;
      /** Set when the form runs on a deployment: then runCount, targets and skipped are empty (the deployment plans its runs). */
      remote: RemotePlanPreview | null;
    }
  | { ok: false; requestId: number; fieldErrors: LaunchFieldErrors; message: string };
