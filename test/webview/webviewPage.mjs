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
    /** Sends a model and waits until the panel has drawn it: the panel saves a model to its state right after drawing it. */
    async sendModel(model) {
      await page.evaluate((m) => window.postMessage({ type: 'backfillDetailsLoaded', model: m }, '*'), model);
      await page.waitForFunction((expected) => sessionStorage.getItem('fakeWebviewHost.state') === expected,
        JSON.stringify({ view: 'backfillDetails', model }));
    },
    text: (selector) => page.locator(selector).innerText(),
    close: () => context.close(),
  };
}

export function expandStatusRuns(statusRuns) {
  return statusRuns.flatMap(([status, length]) => Array(length).fill(status));
}
