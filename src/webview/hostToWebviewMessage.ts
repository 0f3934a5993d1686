// Validates messages arriving from the extension host before any view acts on them.
import type { HostToWebviewMessage } from '../shared/protocol';
import { findBackfillDetailsModelProblem } from './backfillDetails/backfillDetailsModelCheck';
import { findBackfillsOverviewProblem } from './backfills/backfillsOverviewModelCheck';
import { findLaunchTargetModelProblem, findPlanPreviewProblem } from './launch/launchModelCheck';

export type ParsedHostMessage = { ok: true; message: HostToWebviewMessage } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts exactly the HostToWebviewMessage shapes; anything else comes back with the reason it was rejected. */
export function parseHostToWebviewMessage(raw: unknown): ParsedHostMessage {
  if (!isRecord(raw)) return { ok: false, reason: 'message is not an object' };
  switch (raw.type) {
    case 'backfillDetailsLoaded': {
      const problem = findBackfillDetailsModelProblem(raw.model, 'backfillDetailsLoaded.model');
      if (problem) return { ok: false, reason: problem };
      return { ok: true, message: raw as HostToWebviewMessage };
    }
    case 'backfillNotFound':
      if (typeof raw.backfillId !== 'string') return { ok: false, reason: 'backfillNotFound.backfillId must be a string' };
      return { ok: true, message: { type: 'backfillNotFound', backfillId: raw.backfillId } };
    case 'errorShown':
      if (typeof raw.message !== 'string') return { ok: false, reason: 'errorShown.message must be a string' };
      return { ok: true, message: { type: 'errorShown', message: raw.message } };
    case 'launchSettled':
      if (typeof raw.launched !== 'boolean' || typeof raw.message !== 'string') return { ok: false, reason: 'launchSettled needs a boolean launched and a string message' };
      return { ok: true, message: { type: 'launchSettled', launched: raw.launched, message: raw.message } };
    case 'launchTargetLoaded':
    case 'planPreviewed':
    case 'backfillsListed': {
      const [field, check] =
        raw.type === 'launchTargetLoaded' ? ['model', findLaunchTargetModelProblem] : raw.type === 'planPreviewed' ? ['preview', findPlanPreviewProblem] : ['model', findBackfillsOverviewProblem];
      const problem = check(raw[field], `${raw.type}.${field}`);
      if (problem) return { ok: false, reason: problem };
      return { ok: true, message: raw as HostToWebviewMessage };
    }
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(String(raw.type)).slice(0, 40)}` };
  }
}
