// Reads the partitions panel's canvas grid from a test: cell positions from the published geometry, pixel colours.
import * as fs from 'node:fs';
import * as path from 'node:path';

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), 'partitionsFixtures');

/** A view model recorded by partitionsRecordFixtures.mjs (a fresh copy each call). */
export function partitionsFixture(name) {
  return JSON.parse(fs.readFileSync(path.join(fixtures, `${name}.json`), 'utf8'));
}

/** Sends a partitions model and waits until the summary shows it. */
export async function sendPartitions(panel, model) {
  await panel.send({ type: 'partitionsLoaded', model });
  await panel.page.waitForFunction((t) => document.querySelector('.partitions-title')?.textContent === t && !document.querySelector('.partitions-content')?.hidden, model.target);
}

/** Viewport coordinates of the centre of cell (row, column) of the nth grid on the page (0: partitions, 1: job steps). */
export async function cellCentre(panel, row, column, grid = 0) {
  return panel.page.evaluate(({ row, column, grid }) => {
    const scroller = document.querySelectorAll('.partition-grid-scroller')[grid];
    const d = scroller.dataset;
    const canvas = scroller.querySelector('canvas').getBoundingClientRect();
    const half = (Number(d.pitchY) - 2) / 2;
    return {
      x: canvas.left + Number(d.gutter) + column * Number(d.pitchX) + Math.min(half, (Number(d.pitchX) - 2) / 2) - scroller.scrollLeft,
      y: canvas.top + Number(d.header) + row * Number(d.pitchY) + half - scroller.scrollTop,
    };
  }, { row, column, grid });
}

/** The canvas pixel under a viewport point, as "rgb(r, g, b)" (the alpha-blended colour over the page is not needed). */
export async function pixelAt(panel, point, grid = 0) {
  return panel.page.evaluate(({ point, grid }) => {
    const canvas = document.querySelectorAll('.partition-grid-scroller canvas')[grid];
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const [r, g, b, a] = canvas.getContext('2d').getImageData(Math.round((point.x - box.left) * scale), Math.round((point.y - box.top) * scale), 1, 1).data;
    return a === 0 ? 'transparent' : `rgb(${r}, ${g}, ${b})`;
  }, { point, grid });
}

/** The colour each status is drawn with, resolved from the panel's CSS custom properties, as "rgb(r, g, b)". */
export async function statusColours(panel) {
  return panel.page.evaluate(() => {
    const probe = document.createElement('span');
    document.querySelector('.partitions-panel').append(probe);
    const out = {};
    for (const [status, v] of [['MATERIALIZED', '--partition-materialized'], ['IN_PROGRESS', '--partition-in-progress'], ['FAILED', '--partition-failed'], ['CANCELED', '--partition-canceled'], ['MISSING', '--partition-missing']]) {
      probe.style.color = `var(${v})`;
      const [r, g, b] = getComputedStyle(probe).color.match(/[\d.]+/g).map(Number);
      out[status] = `rgb(${r}, ${g}, ${b})`;
    }
    probe.remove();
    return out;
  });
}

export async function hoverText(panel, point) {
  await panel.page.mouse.move(point.x, point.y);
  return panel.page.evaluate(() => {
    const t = document.querySelector('.partition-tooltip');
    return t.hidden ? null : t.textContent;
  });
}
