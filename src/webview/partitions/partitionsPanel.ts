// Wires the Partitions view to the host: restores saved state, announces ready, validates and applies host messages.
import { findPartitionsModelProblem, parsePartitionsHostMessage, type PartitionsPanelModel } from '../../shared/partitionsPanelProtocol';
import type { HostBridge } from '../hostBridge';
import { PartitionsView } from './partitionsView';

/** What the panel keeps in VS Code's webview state so a reload can draw the last model before the host answers. */
export interface PartitionsState {
  view: 'partitions';
  model: PartitionsPanelModel;
}

/**
 * Saving a 100,000-key model (VS Code serializes it) costs far more than drawing it, so a new model is saved after
 * a second and live updates at most every five: on reload the host resends the snapshot anyway.
 */
const SAVE_DELAY_MS = 1000;
const UPDATE_SAVE_DELAY_MS = 5000;

function restoredModel(state: unknown): PartitionsPanelModel | null {
  if (typeof state !== 'object' || state === null) return null;
  const { view, model } = state as Partial<PartitionsState>;
  // State written by an older build may not match today's model; drawing it would be worse than waiting.
  return view === 'partitions' && findPartitionsModelProblem(model, 'state.model') === null ? (model as PartitionsPanelModel) : null;
}

export function startPartitionsPanel(root: HTMLElement, bridge: HostBridge): PartitionsView {
  const view = new PartitionsView(root, {
    launchRange: (target, from, to) => bridge.post({ type: 'launchPartitionRange', target, from, to }),
    openRunLog: (runId) => bridge.post({ type: 'openRunLog', runId }),
    filterByBackfill: (target, backfillId) => bridge.post({ type: 'filterPartitionsByBackfill', target, backfillId }),
    addDynamicPartitions: (target) => bridge.post({ type: 'addDynamicPartitions', target }),
  });
  let current: PartitionsPanelModel | null = null;
  let saveTimer = 0;
  const save = (): void => {
    saveTimer = 0;
    if (current) bridge.setState({ view: 'partitions', model: current } satisfies PartitionsState);
  };
  const scheduleSave = (delay: number): void => {
    if (!saveTimer) saveTimer = window.setTimeout(save, delay);
  };
  const draw = (model: PartitionsPanelModel): void => {
    try {
      view.render(model);
      current = model;
    } catch (error) {
      console.error(error);
      view.showError(`Could not draw the partitions of ${model.target}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const restored = restoredModel(bridge.getState());
  if (restored) draw(restored);

  bridge.onMessage((raw) => {
    const parsed = parsePartitionsHostMessage(raw, view.shown);
    if (!parsed.ok) {
      console.warn(`Backfill Studio: ignored a message from the extension: ${parsed.reason}`);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'partitionsLoaded':
        draw(message.model);
        scheduleSave(SAVE_DELAY_MS);
        break;
      case 'partitionStatusesChanged':
        view.update(message.update);
        scheduleSave(UPDATE_SAVE_DELAY_MS);
        break;
      case 'partitionsNotFound':
        current = null;
        view.showNotFound(message.reason);
        bridge.setState(undefined);
        break;
    }
  });
  window.addEventListener('pagehide', () => {
    if (saveTimer) {
      clearTimeout(saveTimer);
      save();
    }
  });

  bridge.post({ type: 'ready' });
  return view;
}
