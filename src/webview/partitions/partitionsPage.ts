// Wires the Partitions view to the host: restores saved state, announces ready, validates and applies host messages.
import { parseWith } from '../../shared/messageSchema';
import { parsePartitionsHostMessage, partitionsPanelModel, type PartitionsPanelModel } from '../../shared/partitionsPanelProtocol';
import type { HostBridge } from '../hostBridge';
import { PartitionsView, type SavedGridView } from './partitionsView';

/**
 * What the panel keeps in VS Code's webview state so a reload (a tab shown again, a window reloaded) draws the
 * last model before the host answers, scrolled and selected as it was.
 */
export interface PartitionsState {
  view: 'partitions';
  model: PartitionsPanelModel;
  grid?: SavedGridView | null;
}

/**
 * Saving a 100,000-key model (VS Code serializes it) costs far more than drawing it, so a new model is saved after
 * a second and live updates at most every five: on reload the host resends the snapshot anyway.
 */
const SAVE_DELAY_MS = 1000;
const UPDATE_SAVE_DELAY_MS = 5000;
/** A scroll or a selection is saved once it settles. */
const VIEW_SAVE_DELAY_MS = 300;

function restoredModel(state: unknown): PartitionsPanelModel | null {
  if (typeof state !== 'object' || state === null) return null;
  const { view, model } = state as Partial<PartitionsState>;
  const parsed = parseWith(partitionsPanelModel, model, 'state.model');
  // State written by an older build may not match today's model; drawing it would be worse than waiting.
  return view === 'partitions' && parsed.ok ? parsed.value : null;
}

function restoredGrid(state: unknown): SavedGridView | null {
  const saved = typeof state === 'object' && state !== null ? (state as Partial<PartitionsState>).grid : null;
  if (typeof saved !== 'object' || saved === null || typeof saved.target !== 'string' || typeof saved.grid !== 'object' || saved.grid === null) return null;
  const { topRow, leftColumn, atEnd, focus, selection } = saved.grid;
  const isIndex = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= -1;
  if (![topRow, leftColumn].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0) || typeof atEnd !== 'boolean' || !isIndex(focus)) return null;
  if (selection !== null && (typeof selection !== 'object' || !isIndex(selection.anchor) || !isIndex(selection.end))) return null;
  return saved;
}

export function startPartitionsPage(root: HTMLElement, bridge: HostBridge): PartitionsView {
  const view = new PartitionsView(root, {
    launchRange: (target, from, to) => bridge.post({ type: 'launchPartitionRange', target, from, to }),
    openRunLog: (runId) => bridge.post({ type: 'openRunLog', runId }),
    filterByBackfill: (target, backfillId) => bridge.post({ type: 'filterPartitionsByBackfill', target, backfillId }),
    addDynamicPartitions: (target) => bridge.post({ type: 'addDynamicPartitions', target }),
    gridViewChanged: () => scheduleSave(VIEW_SAVE_DELAY_MS),
  });
  let current: PartitionsPanelModel | null = null;
  let saveTimer = 0;
  let saveDue = 0;
  const save = (): void => {
    saveTimer = 0;
    if (current) bridge.setState({ view: 'partitions', model: current, grid: view.gridView } satisfies PartitionsState);
  };
  // Saves coalesce, but never later than the most urgent one asked: a scroll right after a status update is saved
  // within its own short delay, not the update's long one (a tab hidden meanwhile would lose it: VS Code tears a
  // hidden webview down without a reliable pagehide).
  const scheduleSave = (delay: number): void => {
    const due = Date.now() + delay;
    if (saveTimer && saveDue <= due) return;
    if (saveTimer) clearTimeout(saveTimer);
    saveDue = due;
    saveTimer = window.setTimeout(save, delay);
  };
  const draw = (model: PartitionsPanelModel, saved?: SavedGridView | null): void => {
    try {
      view.render(model, saved);
      current = model;
    } catch (error) {
      console.error(error);
      view.showError(`Could not draw the partitions of ${model.target}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const state = bridge.getState();
  const restored = restoredModel(state);
  if (restored) draw(restored, restoredGrid(state));

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
  const flush = (): void => {
    if (saveTimer) {
      clearTimeout(saveTimer);
      save();
    }
  };
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) flush();
  });

  bridge.post({ type: 'ready' });
  return view;
}
