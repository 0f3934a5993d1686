// Drives one panel page in the fake webview host: sending host messages and reading what the webview posted.
export async function openPanel(browser, host, { view = 'backfillDetails', theme = 'dark', waitForReady = true } = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
  });
  await page.goto(host.panelUrl(view, theme));
  if (waitForReady) await page.waitForFunction(() => window.__fakeWebviewHost?.posted.length > 0);

  return {
    page,
    pageErrors,
    /** Delivers a host -> webview message the way VS Code does: a window message event. */
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    posted: () => page.evaluate(() => window.__fakeWebviewHost.posted),
    savedState: () => page.evaluate(() => JSON.parse(sessionStorage.getItem('fakeWebviewHost.state') ?? 'null')),
    cspViolations: () => page.evaluate(() => window.__fakeWebviewHost.cspViolations),
    /** Sends a model and waits until the panel shows it (rendering is coalesced to the next frame). */
    async sendModel(model) {
      await page.evaluate((m) => window.postMessage({ type: 'backfillDetailsLoaded', model: m }, '*'), model);
      await page.waitForFunction(
        (m) => document.getElementById('backfill-id')?.textContent === m.backfillId &&
          [...document.querySelectorAll('.partition-cell[data-key]')].length === m.partitions.reduce((n, p) => n + p.keys.length, 0) &&
          m.partitions.every((p) => {
            const cells = document.querySelectorAll(`[id="partition-summary-${p.target}"] + .partition-grid > .partition-cell`);
            let i = 0;
            for (const [status, length] of p.statusRuns) {
              for (let end = i + length; i < end; i++) if (cells[i]?.dataset.status !== status) return false;
            }
            return true;
          }),
        model,
      );
    },
    cellStatuses: (target) =>
      page.evaluate((t) => [...document.querySelectorAll(`[id="partition-summary-${t}"] + .partition-grid > .partition-cell`)].map((c) => c.dataset.status), target),
    text: (selector) => page.locator(selector).innerText(),
    close: () => context.close(),
  };
}

export function expandStatusRuns(statusRuns) {
  return statusRuns.flatMap(([status, length]) => Array(length).fill(status));
}
