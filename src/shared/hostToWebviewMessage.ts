// Host -> webview facts: one schema per message (its type is inferred from it), validated by the webview on receipt.
import * as v from 'valibot';
import { backfillDetailsModel } from './backfillDetailsPanelModel';
import { backfillsOverviewModel } from './backfillsOverviewModel';
import { launchTargetModel, planPreviewModel } from './launchPanelModel';
import { flag, messageUnion, parseMessage, record, text, type Parsed } from './messageSchema';
import type { PartitionsHostMessage } from './partitionsPanelProtocol';

/** Host -> webview: past-tense facts (the partitions panel's are in partitionsPanelProtocol). */
const hostToWebviewMessage = messageUnion([
  record({ type: v.literal('backfillDetailsLoaded'), model: backfillDetailsModel }),
  record({ type: v.literal('backfillNotFound'), backfillId: text }),
  record({ type: v.literal('errorShown'), message: text }),
  record({ type: v.literal('launchTargetLoaded'), model: launchTargetModel }),
  record({ type: v.literal('planPreviewed'), preview: planPreviewModel }),
  /** The end of a launchPlan: launched (the message names the backfill) or not, and why not. */
  record({ type: v.literal('launchSettled'), launched: flag, message: text }),
  record({ type: v.literal('backfillsListed'), model: backfillsOverviewModel }),
]);
export type HostToWebviewMessage = v.InferOutput<typeof hostToWebviewMessage> | PartitionsHostMessage;

/** Validates a message received from the host (the partitions panel's are parsePartitionsHostMessage's). */
export function parseHostToWebviewMessage(raw: unknown): Parsed<v.InferOutput<typeof hostToWebviewMessage>> {
  return parseMessage(hostToWebviewMessage, raw);
}
