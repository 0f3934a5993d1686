// Drives one panel page in the fake webview host: sending host messages and reading what the webview posted.

function sortedKeys(v) {
  return Array.isArray(v) ? v.map(sortedKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys(v[k])])) : v;
}
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
    /** Sends a model and waits until the panel has drawn it: the panel saves a model to its state right after drawing it. */
    async sendModel(model) {
      await page.evaluate((m) => window.postMessage({ type: 'backfillDetailsLoaded', model: m }, '*'), model);
      // The page saves the model as its schema parsed it, so compare with keys sorted: their order is the schema's.
      await page.waitForFunction((expected) => {
        const sorted = (v) => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
        return JSON.stringify(sorted(JSON.parse(sessionStorage.getItem('fakeWebviewHost.state') ?? 'null'))) === expected;
      }, JSON.stringify(sortedKeys({ view: 'backfillDetails', model })));
    },
    text: (selector) => page.locator(selector).innerText(),
    close: () => context.close(),
  };
}

export function expandStatusRuns(statusRuns) {
  return statusRuns.flatMap(([status, length]) => Array(length).fill(status));
}
