// Wires the Backfill Details view to the host: restores saved state, announces ready, renders host models.
import { backfillDetailsModel } from '../../shared/backfillDetailsPanelModel';
import { parseWith } from '../../shared/messageSchema';
import { parseHostToWebviewMessage } from '../../shared/hostToWebviewMessage';
import type { BackfillDetailsModel } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';
import { BackfillDetailsView } from './backfillDetailsView';

/** What the panel keeps in VS Code's webview state so a reload can draw the last model before the host answers. */
export interface BackfillDetailsState {
  view: 'backfillDetails';
  model: BackfillDetailsModel;
}

function restoredModel(state: unknown): BackfillDetailsModel | null {
  if (typeof state !== 'object' || state === null) return null;
  const { view, model } = state as Partial<BackfillDetailsState>;
  const parsed = parseWith(backfillDetailsModel, model, 'state.model');
  // State written by an older build may not match today's model; drawing it would be worse than waiting.
  return view === 'backfillDetails' && parsed.ok ? parsed.value : null;
}

export function startBackfillDetailsPage(root: HTMLElement, bridge: HostBridge): void {
  const view = new BackfillDetailsView(root, {
    cancelBackfill: (backfillId) => bridge.post({ type: 'cancelBackfill', backfillId }),
    openRunLog: (runId) => bridge.post({ type: 'openRunLog', runId }),
    openDagsterRun: (url) => bridge.post({ type: 'openDagsterRun', url }),
    rerunBackfill: (backfillId, how) =>
      bridge.post(how === 'resume' ? { type: 'resumeBackfill', backfillId } : { type: 'reexecuteBackfill', backfillId, fromFailure: how === 'reexecuteFromFailure' }),
  });

  let pending: BackfillDetailsModel | null = null;
  let frameRequested = false;

  const draw = (model: BackfillDetailsModel): void => {
    try {
      view.render(model);
    } catch (error) {
      console.error(error);
      view.showError(`Could not draw backfill ${model.backfillId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  // Models can arrive several times a second; only the newest one per frame is worth drawing and saving.
  const flush = (): void => {
    frameRequested = false;
    const model = pending;
    pending = null;
    if (!model) return;
    draw(model);
    bridge.setState({ view: 'backfillDetails', model } satisfies BackfillDetailsState);
  };

  const restored = restoredModel(bridge.getState());
  if (restored) draw(restored);

  bridge.onMessage((raw) => {
    const parsed = parseHostToWebviewMessage(raw);
    if (!parsed.ok) {
      console.warn(`Backfill Studio: ignored a message from the extension: ${parsed.reason}`);
      view.showError(`Ignored a message from the extension: ${parsed.reason}`);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'backfillDetailsLoaded':
        pending = message.model;
        if (!frameRequested) {
          frameRequested = true;
          requestAnimationFrame(flush);
        }
        break;
      case 'backfillNotFound':
        pending = null;
        view.showNotFound(message.backfillId);
        break;
      case 'errorShown':
        view.showError(message.message);
        break;
    }
  });

  bridge.post({ type: 'ready' });
}
