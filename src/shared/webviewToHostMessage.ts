// Webview -> host intents: one schema per message (its type is inferred from it), validated by the host on receipt.
import * as v from 'valibot';
import { launchForm } from './launchForm';
import { exact, flag, id, messageUnion, name, parseMessage, safeCount, type Parsed } from './messageSchema';

/** An absolute http(s) URL of bounded length, without credentials; which site it may be is the host's check. */
const httpUrl = v.pipe(
  v.string('must be an http(s) url'),
  v.maxLength(2048, 'must be an http(s) url of at most 2048 characters'),
  v.check((value) => {
    try {
      const u = new URL(value);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) url without credentials'),
);

const NEEDS_BACKFILL_ID = 'needs a backfillId identifier';

/** Webview -> host: imperative intents, each with exactly its fields. */
const webviewToHostMessage = messageUnion([
  exact({ type: v.literal('ready') }, 'takes no fields'),
  exact({ type: v.literal('cancelBackfill'), backfillId: id }, NEEDS_BACKFILL_ID),
  exact({ type: v.literal('openRunLog'), runId: id }, 'needs a runId identifier'),
  /** Opens a remote run's page in the browser; the host opens only http(s) pages of the backfill's own deployment. */
  exact({ type: v.literal('openDagsterRun'), url: httpUrl }, 'needs an http(s) url'),
  /** Launch a backfill of from...to (both keys of target; a rectangle for multi-partitions). */
  exact({ type: v.literal('launchPartitionRange'), target: name, from: name, to: name }, 'takes exactly target, from and to'),
  exact({ type: v.literal('filterPartitionsByBackfill'), target: name, backfillId: v.nullable(id) }, 'takes exactly target and backfillId'),
  exact({ type: v.literal('resumeBackfill'), backfillId: id }, NEEDS_BACKFILL_ID),
  exact({ type: v.literal('reexecuteBackfill'), backfillId: id, fromFailure: flag }, 'needs a backfillId identifier and a boolean fromFailure'),
  exact({ type: v.literal('openBackfill'), backfillId: id }, NEEDS_BACKFILL_ID),
  /** Asks for the plan of the form as it stands; the answer is planPreviewed with the same requestId. */
  exact({ type: v.literal('previewPlan'), requestId: safeCount, form: launchForm }, 'takes exactly requestId and form'),
  /** Launches the plan shown (previewed for requestId, identified by planId), and only if the form is still the one previewed. */
  exact({ type: v.literal('launchPlan'), requestId: safeCount, form: launchForm, planId: id }, 'takes exactly requestId, planId and form'),
  /** Asks the host to add keys to the target's dynamic partitions (the host asks for them and writes them through Dagster). */
  exact({ type: v.literal('addDynamicPartitions'), target: name }, 'needs a target name'),
]);
export type WebviewToHostMessage = v.InferOutput<typeof webviewToHostMessage>;

/** Validates a message received from a webview: exactly one of the known shapes, or the reason it is not. */
export function parseWebviewToHostMessage(raw: unknown): Parsed<WebviewToHostMessage> {
  return parseMessage(webviewToHostMessage, raw);
}
