// The host <-> webview contract: message unions, display-ready view models, and inbound validation.
import { PARTITIONS_WEBVIEW_MESSAGE_TYPES, parsePartitionsWebviewMessage, type PartitionsHostMessage, type PartitionsWebviewMessage } from './partitionsPanelProtocol';
import type { BackfillsOverviewModel } from './backfillsOverviewModel';
import { findLaunchFormProblem, type LaunchFormValues } from './launchForm';
import type { LaunchTargetModel, PlanPreviewModel } from './launchPanelModel';
import type { PartitionKeyList } from './partitionKeyList';
import type { PartitionStatusName } from './partitionStatusName';
import type { StatusToneName } from './statusTone';

export { PARTITION_STATUS_NAMES, type PartitionStatusName } from './partitionStatusName';
export { STATUS_TONES, type StatusToneName } from './statusTone';

/** Partition statuses of one target as runs of equal status, so large definitions stay cheap to send and draw. */
export interface PartitionStripModel {
  target: string;
  /** Every selected partition key, in order, compactly (decodePartitionKeyList reads them): 100,000 keys clone cheaply. */
  keys: PartitionKeyList;
  /** Run-length encoding of the keys' statuses: [status, length] pairs whose lengths add up to keys.count. */
  statusRuns: [PartitionStatusName, number][];
}

export interface TargetCountsModel {
  target: string;
  targeted: number;
  inProgress: number;
  materialized: number;
  failed: number;
  /** Canceled by the user, a failure limit or before launch: resume runs them again. */
  canceled: number;
  /** Queued: not launched yet. */
  queued: number;
  /** Never run because an upstream run failed. */
  skipped: number;
}

/**
 * Run counts of the whole backfill (the host's countRuns): total = succeeded + failed + canceled + skipped +
 * inProgress + queued. `summary` is the host's wording of them (runCountsSummary), the same on every face.
 */
export interface BackfillProgressModel {
  total: number;
  /** Runs that ended, whatever the outcome. */
  done: number;
  succeeded: number;
  failed: number;
  canceled: number;
  skipped: number;
  inProgress: number;
  queued: number;
  summary: string;
}

/** Failed runs sharing one error message. */
export interface FailureGroupModel {
  error: string;
  count: number;
  /** Partition labels of the failed runs, in run order (at most 200; `count` is the true number). */
  partitions: string[];
  /** A run of the group whose log the "Open a log" link opens. */
  sampleRunId: string;
  /** That run's page in the Dagster UI when it ran on a deployment (its log is there, not here), else null. */
  sampleRunUrl: string | null;
}

export interface RunRowModel {
  runId: string;
  target: string;
  partitionKey: string;
  /** Dagster's run status (SUCCESS, CANCELED, ...): data, never shown as a word. */
  status: string;
  /** The word shown for it ("Success", "Canceled"), the same as every other face's. */
  statusLabel: string;
  statusTone: StatusToneName;
  /** Display-ready, e.g. "1.2s" or "" while queued. */
  duration: string;
  error: string | null;
  /** The run's page in the Dagster UI when it ran on a deployment (it has no log here), else null. */
  runUrl: string | null;
}

/** Where a backfill launched on a Dagster deployment runs, and how following it goes. */
export interface RemoteDetailsModel {
  /** The deployment's name as configured ("prod"). */
  deployment: string;
  /** Its webserver's address (the name's tooltip). */
  deploymentUrl: string;
  /** Dagster's id of the backfill on that deployment. */
  dagsterBackfillId: string;
  /** When the deployment last answered, display-ready, or "" before its first answer. */
  checkedAt: string;
  /** Why the last look at the deployment failed (unreachable, 401, timeout); what it said before stays shown. Null once it answers. */
  followError: string | null;
  /** Said instead of the partition strips when Dagster gives counts per asset only (ranges), else null. */
  partitionsNote: string | null;
}

/** Everything the backfill details panel shows, formatted by the host (the webview does no date math). */
export interface BackfillDetailsModel {
  backfillId: string;
  /** Dagster's BulkActionStatus (REQUESTED, COMPLETED_FAILED, ...): data, never shown as a word. */
  status: string;
  /** The badge's word ("In progress", "Paused", "Canceled"), the same as every other face's. */
  statusLabel: string;
  /** The badge's tooltip: what the status means. */
  statusDetail: string;
  /** Drives the badge colour. */
  statusTone: StatusToneName;
  title: string;
  createdAt: string;
  duration: string;
  progress: BackfillProgressModel;
  targets: TargetCountsModel[];
  partitions: PartitionStripModel[];
  runs: RunRowModel[];
  canCancel: boolean;
  /** Failed runs grouped by error message, largest group first. */
  failureGroups: FailureGroupModel[];
  /** The one error that stopped the backfill before it launched any run (a code location that did not load), else null. */
  error: string | null;
  /** Resume: a paused backfill, or a canceled or failed one with runs never launched (never a COMPLETED_* one). */
  canResume: boolean;
  canReexecute: boolean;
  canReexecuteFromFailure: boolean;
  /** Set when the backfill runs on a Dagster deployment (its runs link to the Dagster UI), null for this machine's. */
  remote: RemoteDetailsModel | null;
}

/** Host -> webview: past-tense facts. */
export type HostToWebviewMessage =
  | { type: 'backfillDetailsLoaded'; model: BackfillDetailsModel }
  | { type: 'backfillNotFound'; backfillId: string }
  | { type: 'errorShown'; message: string }
  | PartitionsHostMessage
  | { type: 'launchTargetLoaded'; model: LaunchTargetModel }
  | { type: 'planPreviewed'; preview: PlanPreviewModel }
  /** The end of a launchPlan: launched (the message names the backfill) or not, and why not. */
  | { type: 'launchSettled'; launched: boolean; message: string }
  | { type: 'backfillsListed'; model: BackfillsOverviewModel };

/** Webview -> host: imperative intents. */
export type WebviewToHostMessage =
  | { type: 'ready' }
  | { type: 'cancelBackfill'; backfillId: string }
  | { type: 'openRunLog'; runId: string }
  /** Opens a remote run's page in the browser; the host opens only http(s) pages of the backfill's own deployment. */
  | { type: 'openDagsterRun'; url: string }
  | PartitionsWebviewMessage
  | { type: 'resumeBackfill'; backfillId: string }
  | { type: 'reexecuteBackfill'; backfillId: string; fromFailure: boolean }
  | { type: 'openBackfill'; backfillId: string }
  /** Asks for the plan of the form as it stands; the answer is planPreviewed with the same requestId. */
  | { type: 'previewPlan'; requestId: number; form: LaunchFormValues }
  /** Launches the plan shown (previewed for requestId, identified by planId), and only if the form is still the one previewed. */
  | { type: 'launchPlan'; requestId: number; form: LaunchFormValues; planId: string }
  /** Asks the host to add keys to the target's dynamic partitions (the host asks for them and writes them through Dagster). */
  | { type: 'addDynamicPartitions'; target: string };

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Target names (asset keys, jobs, command targets): printable text of bounded length; the host checks they exist. */
const TARGET_PATTERN = /^[^\u0000-\u001f\u007f]{1,256}$/;

/**
 * Validates a message received from a webview. Anything that is not exactly one of the known shapes
 * (unknown type, extra or missing fields, ids that are not short identifiers) is rejected with a reason.
 */
export function parseWebviewToHostMessage(raw: unknown): { ok: true; message: WebviewToHostMessage } | { ok: false; reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'message is not an object' };
  const m = raw as Record<string, unknown>;
  const keys = Object.keys(m).sort().join(',');
  if (typeof m.type === 'string' && PARTITIONS_WEBVIEW_MESSAGE_TYPES.has(m.type)) {
    const p = parsePartitionsWebviewMessage(m);
    return p.ok ? { ok: true, message: p.value } : p;
  }
  switch (m.type) {
    case 'ready':
      return keys === 'type' ? { ok: true, message: { type: 'ready' } } : { ok: false, reason: 'ready takes no fields' };
    case 'cancelBackfill':
      if (keys !== 'backfillId,type' || typeof m.backfillId !== 'string' || !ID_PATTERN.test(m.backfillId)) {
        return { ok: false, reason: 'cancelBackfill needs a backfillId identifier' };
      }
      return { ok: true, message: { type: 'cancelBackfill', backfillId: m.backfillId } };
    case 'openRunLog':
      if (keys !== 'runId,type' || typeof m.runId !== 'string' || !ID_PATTERN.test(m.runId)) {
        return { ok: false, reason: 'openRunLog needs a runId identifier' };
      }
      return { ok: true, message: { type: 'openRunLog', runId: m.runId } };
    case 'openDagsterRun':
      if (keys !== 'type,url' || typeof m.url !== 'string' || !isHttpUrl(m.url)) {
        return { ok: false, reason: 'openDagsterRun needs an http(s) url' };
      }
      return { ok: true, message: { type: 'openDagsterRun', url: m.url } };
    case 'resumeBackfill':
    case 'openBackfill':
      if (keys !== 'backfillId,type' || typeof m.backfillId !== 'string' || !ID_PATTERN.test(m.backfillId)) {
        return { ok: false, reason: `${m.type} needs a backfillId identifier` };
      }
      return { ok: true, message: { type: m.type, backfillId: m.backfillId } };
    case 'reexecuteBackfill':
      if (keys !== 'backfillId,fromFailure,type' || typeof m.backfillId !== 'string' || !ID_PATTERN.test(m.backfillId) || typeof m.fromFailure !== 'boolean') {
        return { ok: false, reason: 'reexecuteBackfill needs a backfillId identifier and a boolean fromFailure' };
      }
      return { ok: true, message: { type: 'reexecuteBackfill', backfillId: m.backfillId, fromFailure: m.fromFailure } };
    case 'addDynamicPartitions':
      if (keys !== 'target,type' || typeof m.target !== 'string' || !TARGET_PATTERN.test(m.target)) {
        return { ok: false, reason: 'addDynamicPartitions needs a target name' };
      }
      return { ok: true, message: { type: 'addDynamicPartitions', target: m.target } };
    case 'previewPlan':
    case 'launchPlan': {
      const launch = m.type === 'launchPlan';
      if (keys !== (launch ? 'form,planId,requestId,type' : 'form,requestId,type')) return { ok: false, reason: `${m.type} takes exactly requestId${launch ? ', planId' : ''} and form` };
      if (typeof m.requestId !== 'number' || !Number.isSafeInteger(m.requestId) || m.requestId < 0) return { ok: false, reason: `${m.type}.requestId must be a non-negative integer` };
      const problem = findLaunchFormProblem(m.form, `${m.type}.form`);
      if (problem) return { ok: false, reason: problem };
      if (!launch) return { ok: true, message: { type: 'previewPlan', requestId: m.requestId, form: m.form as LaunchFormValues } };
      if (typeof m.planId !== 'string' || !ID_PATTERN.test(m.planId)) return { ok: false, reason: 'launchPlan.planId must be an identifier' };
      return { ok: true, message: { type: 'launchPlan', requestId: m.requestId, form: m.form as LaunchFormValues, planId: m.planId } };
    }
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(String(m.type)).slice(0, 40)}` };
  }
}

/** An absolute http(s) URL of bounded length; which site it may be is the host's check. */
function isHttpUrl(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Run-length encodes statuses in key order. */
export function encodeStatusRuns<S extends string>(statuses: readonly S[]): [S, number][] {
  const runs: [S, number][] = [];
  for (const s of statuses) {
    const last = runs[runs.length - 1];
    if (last && last[0] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs;
}
