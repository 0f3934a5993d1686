// Wires the launch panel: keeps the form in webview state, asks the host for a plan preview as the form changes
// (debounced), and launches the previewed plan on Launch or Enter.
import { checkLaunchForm, findLaunchFormProblem, type LaunchFormValues } from '../../shared/launchForm';
import type { LaunchTargetModel, PlanPreviewModel } from '../../shared/launchPanelModel';
import { createElement, setText } from '../domElement';
import type { HostBridge } from '../hostBridge';
import { parseHostToWebviewMessage } from '../hostToWebviewMessage';
import { LaunchFormView } from './launchFormView';
import { PlanPreviewView } from './planPreviewView';

/** Typing pauses shorter than this do not ask for a plan: planning 100,000 partitions is not free. */
export const PREVIEW_DEBOUNCE_MS = 200;

interface LaunchState {
  view: 'launch';
  target: string;
  prefillId: number;
  form: LaunchFormValues;
  /** Request ids keep counting across reloads, so an answer the host resends from before a reload is never taken for a new one. */
  nextRequestId: number;
}

function restoredState(raw: unknown): LaunchState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Partial<LaunchState>;
  if (s.view !== 'launch' || typeof s.target !== 'string' || typeof s.prefillId !== 'number' || !Number.isSafeInteger(s.nextRequestId) || findLaunchFormProblem(s.form, 'state.form')) return null;
  return s as LaunchState;
}

export function startLaunchPanel(root: HTMLElement, bridge: HostBridge): void {
  const banner = createElement('div', 'error-banner');
  const bannerText = createElement('span', 'error-banner-text');
  const dismiss = createElement('button', 'error-banner-dismiss', 'Dismiss');
  dismiss.type = 'button';
  dismiss.addEventListener('click', () => (banner.hidden = true));
  banner.setAttribute('role', 'alert');
  banner.hidden = true;
  banner.append(bannerText, dismiss);
  const loading = createElement('p', 'details-loading', 'Loading target…');

  const formElement = createElement('form', 'launch-form');
  formElement.id = 'launch-form';
  formElement.hidden = true;
  formElement.noValidate = true;
  const form = new LaunchFormView(() => onFormChange(), (target) => bridge.post({ type: 'addDynamicPartitions', target }));
  const preview = new PlanPreviewView();
  const launchButton = createElement('button', 'launch-button', 'Launch');
  launchButton.type = 'submit';
  launchButton.id = 'launch-button';
  const launchHint = createElement('span', 'form-hint', 'Enter launches the plan shown.');
  const actions = createElement('div', 'launch-actions');
  actions.append(launchButton, launchHint);
  formElement.append(form.element, preview.element, actions);
  root.replaceChildren(banner, loading, formElement);

  let model: LaunchTargetModel | null = null;
  let state: LaunchState | null = restoredState(bridge.getState());
  let nextRequestId = state ? state.nextRequestId : 1;
  let sentRequestId = 0;
  let shown: PlanPreviewModel | null = null;
  let timer: number | undefined;
  let launchWhenPreviewed = false;
  let launching = false;

  const showError = (message: string): void => {
    setText(bannerText, message);
    banner.hidden = false;
  };

  const updateLaunchButton = (): void => {
    const ready = shown !== null && shown.ok && shown.requestId === sentRequestId && shown.launchBlockedBy === null && timer === undefined;
    launchButton.disabled = launching || !ready;
    setText(launchButton, launching ? 'Launching…' : shown?.ok && shown.runCount > 0 ? `Launch ${shown.runCount.toLocaleString('en-US')} run${shown.runCount === 1 ? '' : 's'}` : 'Launch');
  };

  const requestPreview = (): void => {
    timer = undefined;
    const values = form.values();
    const local = checkLaunchForm(values);
    sentRequestId = nextRequestId++;
    if (state) bridge.setState((state = { ...state, nextRequestId }));
    // Local problems are shown at once; the host still answers, adding what only it can tell (unknown keys, syntax).
    form.showErrors(local.errors);
    preview.showPending();
    bridge.post({ type: 'previewPlan', requestId: sentRequestId, form: values });
    updateLaunchButton();
  };

  function onFormChange(): void {
    if (!model) return;
    const values = form.values();
    state = { view: 'launch', target: model.target, prefillId: model.prefillId, form: values, nextRequestId };
    bridge.setState(state);
    form.showErrors(checkLaunchForm(values).errors);
    launchWhenPreviewed = false;
    if (timer !== undefined) clearTimeout(timer);
    timer = window.setTimeout(requestPreview, PREVIEW_DEBOUNCE_MS);
    updateLaunchButton();
  }

  const launch = (): void => {
    if (launching || !model) return;
    if (timer !== undefined) {
      // Enter right after typing: plan the form as it stands, then launch that plan once it is shown.
      clearTimeout(timer);
      requestPreview();
    }
    if (!shown || shown.requestId !== sentRequestId) {
      launchWhenPreviewed = true;
      return;
    }
    if (!shown.ok || shown.launchBlockedBy !== null) return;
    launching = true;
    updateLaunchButton();
    bridge.post({ type: 'launchPlan', requestId: shown.requestId, form: form.values() });
  };

  formElement.addEventListener('submit', (event) => {
    event.preventDefault();
    launch();
  });
  // Enter in a field launches even while Launch is disabled for a pending preview (implicit submission would not):
  // the launch then waits for the preview of what was typed.
  formElement.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.isComposing) return;
    if (!(event.target instanceof HTMLInputElement)) return;
    event.preventDefault();
    launch();
  });

  bridge.onMessage((raw) => {
    const parsed = parseHostToWebviewMessage(raw);
    if (!parsed.ok) {
      console.warn(`Backfill Studio: ignored a message from the extension: ${parsed.reason}`);
      return;
    }
    const m = parsed.message;
    if (m.type === 'launchTargetLoaded') {
      const first = model === null;
      model = m.model;
      // The user's typing survives reloads and status refreshes; only a new prefill from the host replaces it.
      const keep = state && state.target === model.target && state.prefillId === model.prefillId ? state.form : null;
      form.setTarget(model, keep ?? (first || state?.prefillId !== model.prefillId ? model.form : null));
      launching = false;
      loading.hidden = true;
      formElement.hidden = false;
      if (first) form.focusFirst();
      onFormChange();
    } else if (m.type === 'planPreviewed') {
      if (m.preview.requestId !== sentRequestId) return;
      shown = m.preview;
      preview.render(m.preview);
      const local = checkLaunchForm(form.values()).errors;
      form.showErrors(m.preview.ok ? local : { ...m.preview.fieldErrors, ...local });
      updateLaunchButton();
      if (launchWhenPreviewed) {
        launchWhenPreviewed = false;
        launch();
      }
    } else if (m.type === 'errorShown') {
      launching = false;
      showError(m.message);
      updateLaunchButton();
    }
  });

  bridge.post({ type: 'ready' });
}
