// Wires the launch panel: keeps the form in webview state, asks the host for a plan preview as the form changes
// (debounced), and asks the host to launch the plan shown on a click of Launch (never on Enter in a field).
import { checkLaunchForm, launchForm, type LaunchFieldErrors, type LaunchFormValues } from '../../shared/launchForm';
import type { LaunchTargetModel, PlanPreviewModel } from '../../shared/launchPanelModel';
import { findProblem } from '../../shared/messageSchema';
import { parseHostToWebviewMessage } from '../../shared/hostToWebviewMessage';
import { createElement, setText } from '../domElement';
import type { HostBridge } from '../hostBridge';
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
  if (s.view !== 'launch' || typeof s.target !== 'string' || typeof s.prefillId !== 'number' || !Number.isSafeInteger(s.nextRequestId) || findProblem(launchForm, s.form, 'state.form')) return null;
  return s as LaunchState;
}

/** The form's own errors as shown beside fields: "nothing chosen" is the panel's starting state, told by the plan and the hint instead. */
function fieldErrorsOf(values: LaunchFormValues): LaunchFieldErrors {
  const { errors } = checkLaunchForm(values);
  if (values.partitionMode === 'none') delete errors.partitions;
  return errors;
}

/** "Launch 40 runs" here; "Launch on prod (3 partitions)" on a deployment, whose daemon decides the runs. */
function launchLabel(preview: Extract<PlanPreviewModel, { ok: true }>): string {
  if (preview.remote) return `Launch on ${preview.remote.deployment} (${preview.partitionCount.toLocaleString('en-US')} partition${preview.partitionCount === 1 ? '' : 's'})`;
  return preview.runCount > 0 ? `Launch ${preview.runCount.toLocaleString('en-US')} run${preview.runCount === 1 ? '' : 's'}` : 'Launch';
}

export function startLaunchPage(root: HTMLElement, bridge: HostBridge): void {
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
  // A plain button, not a submit button: a form with a submit button is submitted by Enter in any of its fields.
  const launchButton = createElement('button', 'launch-button', 'Launch');
  launchButton.type = 'button';
  launchButton.id = 'launch-button';
  const launchHint = createElement('span', 'form-hint');
  launchHint.id = 'launch-hint';
  launchHint.setAttribute('aria-live', 'polite');
  launchButton.setAttribute('aria-describedby', launchHint.id);
  const notice = createElement('p', 'launch-notice');
  notice.id = 'launch-notice';
  notice.setAttribute('role', 'status');
  notice.hidden = true;
  const actions = createElement('div', 'launch-actions');
  actions.append(launchButton, launchHint);
  formElement.append(form.element, preview.element, actions, notice);
  root.replaceChildren(banner, loading, formElement);

  let model: LaunchTargetModel | null = null;
  let state: LaunchState | null = restoredState(bridge.getState());
  let nextRequestId = state ? state.nextRequestId : 1;
  let sentRequestId = 0;
  let shown: PlanPreviewModel | null = null;
  /** The form (as JSON) of the newest preview request, and of the plan shown: Launch is for the shown plan's form only. */
  let sentForm = '';
  let shownForm = '';
  let timer: number | undefined;
  /** From the click until the host's launchSettled: status refreshes and re-plans in between leave it alone. */
  let launching = false;

  const showError = (message: string): void => {
    setText(bannerText, message);
    banner.hidden = false;
  };

  /**
   * Launch is enabled while the plan shown is the plan of the form as it stands, even when a re-plan for a status
   * refresh is on its way (the click then launches the plan shown, or the host says why not); it explains itself otherwise.
   */
  const updateLaunchButton = (): void => {
    const current = JSON.stringify(form.values());
    const ofThisForm = shown !== null && shownForm === current;
    const ready = ofThisForm && shown!.ok && shown!.launchBlockedBy === null && !form.nothingChosen();
    launchButton.disabled = launching || !ready;
    setText(launchButton, launching ? 'Launching…' : ofThisForm && shown?.ok ? launchLabel(shown) : 'Launch');
    setText(launchHint, launching ? 'Waiting for the launch to be confirmed and started.'
      : form.nothingChosen() ? 'Choose partitions first: nothing is selected.'
      : !ofThisForm ? 'Planning the form as it stands…'
      : !ready ? 'Nothing to launch: see the plan above.'
      : shown?.ok && shown.remote ? `Asks ${shown.remote.deployment} for the backfill shown. Enter in a field does not launch.`
      : 'Launches the plan shown. Enter in a field does not launch.');
  };

  const requestPreview = (): void => {
    timer = undefined;
    const values = form.values();
    const local = fieldErrorsOf(values);
    if (values.partitionMode === 'none') {
      // Nothing to plan: the preview says what to do instead of showing an error.
      shown = null;
      sentRequestId = nextRequestId++;
      preview.showPrompt('Choose partitions above to see the plan.');
      updateLaunchButton();
      return;
    }
    sentRequestId = nextRequestId++;
    sentForm = JSON.stringify(values);
    if (state) bridge.setState((state = { ...state, nextRequestId }));
    // Local problems are shown at once; the host still answers, adding what only it can tell (unknown keys, syntax).
    form.showErrors(local);
    preview.showPending();
    bridge.post({ type: 'previewPlan', requestId: sentRequestId, form: values });
    updateLaunchButton();
  };

  function onFormChange(): void {
    if (!model) return;
    const values = form.values();
    state = { view: 'launch', target: model.target, prefillId: model.prefillId, form: values, nextRequestId };
    bridge.setState(state);
    form.showErrors(fieldErrorsOf(values));
    if (timer !== undefined) clearTimeout(timer);
    timer = window.setTimeout(requestPreview, PREVIEW_DEBOUNCE_MS);
    updateLaunchButton();
  }

  /** Asks the host to launch the plan shown; the host confirms above the run threshold and answers launchSettled. */
  const launch = (): void => {
    if (launching || !model || launchButton.disabled || !shown?.ok) return;
    launching = true;
    notice.hidden = true;
    banner.hidden = true;
    updateLaunchButton();
    bridge.post({ type: 'launchPlan', requestId: shown.requestId, form: form.values(), planId: shown.planId });
  };

  launchButton.addEventListener('click', launch);
  // Nothing submits the form: Enter in a field only moves on, a launch takes a click (or Enter/Space on the button).
  formElement.addEventListener('submit', (event) => event.preventDefault());
  formElement.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target instanceof HTMLInputElement) event.preventDefault();
  });

  bridge.onMessage((raw) => {
    const parsed = parseHostToWebviewMessage(raw);
    if (!parsed.ok) {
      console.warn(`Backfill Studio: ignored a message from the extension: ${parsed.reason}`);
      return;
    }
    const m = parsed.value;
    if (m.type === 'launchTargetLoaded') {
      const first = model === null;
      model = m.model;
      // The user's typing survives reloads and status refreshes; only a new prefill from the host replaces it.
      const keep = state && state.target === model.target && state.prefillId === model.prefillId ? state.form : null;
      form.setTarget(model, keep ?? (first || state?.prefillId !== model.prefillId ? model.form : null));
      loading.hidden = true;
      formElement.hidden = false;
      if (first) form.focusFirst();
      onFormChange();
    } else if (m.type === 'planPreviewed') {
      if (m.preview.requestId !== sentRequestId) return;
      shown = m.preview;
      shownForm = sentForm;
      preview.render(m.preview);
      const local = fieldErrorsOf(form.values());
      form.showErrors(m.preview.ok ? local : { ...m.preview.fieldErrors, ...local });
      updateLaunchButton();
    } else if (m.type === 'launchSettled') {
      launching = false;
      if (m.launched) {
        setText(notice, m.message);
        notice.hidden = false;
      } else showError(m.message);
      updateLaunchButton();
    } else if (m.type === 'errorShown') {
      launching = false;
      showError(m.message);
      updateLaunchButton();
    }
  });

  bridge.post({ type: 'ready' });
}
