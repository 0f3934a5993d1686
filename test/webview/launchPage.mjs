// Drives the launch panel from a test: loads a target and answers its first preview, waits for preview requests.
import { launchTargetModel, planPreview } from './launchFixture.mjs';

/** Waits for the newest previewPlan the page posted after `after` messages, and returns it. */
export async function nextPreviewRequest(panel, after, form = {}) {
  await panel.page.waitForFunction(([n, f]) => window.__fakeWebviewHost.posted.slice(n).some((m) => m.type === 'previewPlan' &&
    Object.entries(f).every(([k, v]) => m.form[k] === v)), [after, form]);
  return (await panel.posted()).slice(after).filter((m) => m.type === 'previewPlan').at(-1);
}

/** Loads the target and answers its first preview; returns that request. */
export async function loaded(panel, model = launchTargetModel(), preview = (id) => planPreview(id)) {
  await panel.send({ type: 'launchTargetLoaded', model });
  const request = await nextPreviewRequest(panel, 0);
  await panel.send({ type: 'planPreviewed', preview: preview(request.requestId) });
  await panel.page.waitForFunction(() => document.getElementById('plan-status')?.textContent === '');
  return request;
}
