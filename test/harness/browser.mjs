// Drives the VS Code web workbench from Debian's headless Chromium via playwright-core (no browser download).
import { chromium } from 'playwright-core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** A persistent context on a fresh, throw-away Chromium profile; close() also deletes the profile. */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

/** The status bar renders only once the workbench has restored, so both must be there. */
export async function waitForWorkbench(page, timeout = 60000) {
  await page.waitForSelector('.monaco-workbench', { timeout });
  await page.waitForSelector('.statusbar', { timeout });
}

/**
 * Navigates page to the workbench with folder open and waits until it is usable. The test files share one
 * profile, and VS Code restores the editors (and, through the extension's serializers, the panels) an earlier file
 * left open: each file starts from an empty editor area, as its tests assume.
 */
export async function openWorkbench(page, baseUrl, folder, timeout = 60000) {
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}`);
  await waitForWorkbench(page, timeout);
  if ((await page.locator('.tabs-container .tab').count()) > 0) {
    await runCommandFromPalette(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 30000 });
  }
}

/**
 * Runs a command through the real palette (F1). Extension commands appear only once the extension
 * host is up, 8-12 s after the workbench renders, so the whole open-type-pick sequence is retried.
 */
export async function runCommandFromPalette(page, label, timeout = 90000) {
  const deadline = Date.now() + timeout;
  let lastError;
  while (Date.now() < deadline) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill('>' + label);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
      // Filtering the palette can take seconds on a busy machine: a short wait here made every attempt start over.
      await row.waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(15000, deadline - Date.now())) });
      await page.keyboard.press('Enter');
      return;
    } catch (e) {
      lastError = e;
    }
  }
  await page.keyboard.press('Escape').catch(() => {});
  throw new Error(`command "${label}" never showed in the palette within ${timeout / 1000}s (${lastError?.message.split('\n')[0]})`);
}

/** The activity-bar entry of a view container, matched by its title (the aria-label may add a keybinding). */
export function activityBarItem(page, title) {
  return page.locator(`.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
}

/** Clicks a view container in the activity bar and waits for the side bar to show its title. */
export async function openViewContainer(page, title, timeout = 30000) {
  await activityBarItem(page, title).click({ timeout });
  // hasText with a string matches case-insensitively, and the side bar upper-cases titles via CSS anyway.
  await page.locator('.sidebar .composite.title', { hasText: title }).first().waitFor({ state: 'visible', timeout });
}

/** One view's pane (header and body) in the side bar, matched by the name in its header only. */
export function sideBarPane(page, viewName) {
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: viewName }) }).first();
}

/**
 * Waits until a tree view shows tree rows or its welcome content and its progress bar has stopped.
 * Until its extension activates and registers a provider, the pane only says "There is no data provider
 * registered"; while a view reports progress, the welcome content can show before the first items arrive.
 */
export async function waitForTreeView(page, viewName, timeout = 60000) {
  const pane = sideBarPane(page, viewName);
  await pane.locator('.monaco-list-row, .welcome-view-content').first().waitFor({ state: 'visible', timeout });
  await pane.locator('.monaco-progress-container.active').first().waitFor({ state: 'hidden', timeout });
  return pane;
}

/** Webview content sits in nested iframes (iframe.webview > #active-frame): returns the frame holding selector. */
export async function findWebviewFrame(page, selector, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      try {
        if (await f.$(selector)) return f;
      } catch { /* frame detached or navigating */ }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame contains ${selector}; frames:\n${page.frames().map((f) => f.url()).join('\n')}`);
}

/**
 * Saves a full-window PNG as <dir>/<name>.png and returns its path. The pointer first moves to an empty stretch
 * of the title bar: left where the test last clicked, it leaves a hover tooltip over what the picture is about.
 */
export async function saveScreenshot(page, dir, name) {
  await page.mouse.move(250, 6);
  await page.waitForTimeout(300);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Polls `probe` until it gives something other than undefined or false, and returns that; throws after `timeout`. */
export async function waitFor(what, probe, timeout = 60000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Polls the text of `selector` in `frame` until it equals `expected`, recording each distinct text seen on the way
 * (tests use them to show a panel updated live); throws with what was seen when `timeout` passes.
 */
export async function followTextUntil(frame, selector, expected, what, timeout = 90000) {
  const seen = [];
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = (await frame.locator(selector).innerText()).trim();
    if (seen[seen.length - 1] !== text) seen.push(text);
    if (text === expected) return seen;
    if (Date.now() > deadline) throw new Error(`${what} never reached ${JSON.stringify(expected)}; saw: ${seen.join(' | ')}`);
    await frame.page().waitForTimeout(100);
  }
}

/**
 * The colour a partitions-panel grid canvas drew at cell (row, column), and the panel's colour of each status,
 * as [r, g, b]. `grid` is the grid's index on the panel (0: the partitions grid, 1: a job's step matrix).
 */
export async function gridCellColours(frame, grid, row, column) {
  return frame.evaluate(({ grid, row, column }) => {
    const scroller = document.querySelectorAll('.partition-grid-scroller')[grid];
    const d = scroller.dataset;
    const canvas = scroller.querySelector('canvas');
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const half = (Number(d.pitchY) - 2) / 2;
    const x = (Number(d.gutter) + column * Number(d.pitchX) + half - scroller.scrollLeft) * scale;
    const y = (Number(d.header) + row * Number(d.pitchY) + half - scroller.scrollTop) * scale;
    const drawn = [...canvas.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1).data].slice(0, 3);
    const probe = document.createElement('span');
    document.querySelector('.partitions-panel').append(probe);
    const colour = (status) => {
      probe.style.color = `var(--partition-${status})`;
      return getComputedStyle(probe).color.match(/[\d.]+/g).slice(0, 3).map(Number);
    };
    const colours = Object.fromEntries(['materialized', 'failed', 'canceled', 'in-progress', 'missing'].map((s) => [s, colour(s)]));
    probe.remove();
    return { drawn, colours };
  }, { grid, row, column });
}

/** Quick Open (Ctrl+P); on a busy machine its first file search can come back empty, so the whole step is retried. */
export async function openFileByQuickOpen(page, name, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible', timeout: 10000 });
      await input.fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ timeout: 15000 });
      return;
    } catch (e) {
      if (attempt >= attempts) throw e;
    }
  }
}

/** Scrolls a partitions grid to its first row (a time series opens at its newest) and waits until it has redrawn. */
export async function scrollGridToStart(frame, grid = 0) {
  await frame.evaluate((g) => new Promise((resolve) => {
    const e = document.querySelectorAll('.partition-grid-scroller')[g];
    e.scrollTop = 0;
    e.scrollLeft = 0;
    requestAnimationFrame(() => requestAnimationFrame(resolve));
  }), grid);
}
