// Reads a details partition strip as a user does: points at its painted pixels and reads the readout under it.

/** The status colours of webview.css, as getImageData gives them (canceled is missing's grey, unfaded: tell them apart by alpha). */
export const STATUS_RGB = { MATERIALIZED: [46, 164, 79], FAILED: [229, 72, 77], CANCELED: [139, 148, 158], IN_PROGRESS: [59, 130, 246], MISSING: [139, 148, 158] };
const STATUS_OF_WORD = { materialized: 'MATERIALIZED', failed: 'FAILED', canceled: 'CANCELED', 'in progress': 'IN_PROGRESS', missing: 'MISSING' };

export const canvasSelector = (target) => `[id="partition-canvas-${target}"]`;
export const readoutText = (panel, target) => panel.page.$eval(`[id="partition-readout-${target}"]`, (r) => r.textContent);

/**
 * Points (pointermove at the pixel's place) at painted pixels of a target's canvas: every `every`-th pixel of every
 * `rowStep`-th pixel line. Returns, in pointing order, { x, y (CSS px in the page), key, status (from the readout),
 * rgb, alpha } per pixel; `key` is null when the readout named none.
 */
export async function pointAtPaintedPixels(panel, target, { every = 1, rowStep = 1 } = {}) {
  const raw = await panel.page.$eval(canvasSelector(target), (c, [every, rowStep]) => {
    const box = c.getBoundingClientRect();
    const dpr = c.width / box.width;
    const image = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const readout = document.getElementById(c.id.replace('partition-canvas-', 'partition-readout-'));
    const out = [];
    for (let y = 0; y < Math.floor(box.height); y += rowStep) {
      for (let x = 0; x < Math.floor(box.width); x += every) {
        const p = (Math.floor((y + 0.5) * dpr) * c.width + Math.floor((x + 0.5) * dpr)) * 4;
        if (image[p + 3] === 0) continue;
        const clientX = box.left + x + 0.5;
        const clientY = box.top + y + 0.5;
        c.dispatchEvent(new PointerEvent('pointermove', { clientX, clientY, bubbles: true }));
        out.push([clientX, clientY, x, y, readout.textContent, image[p], image[p + 1], image[p + 2], image[p + 3]]);
      }
    }
    c.dispatchEvent(new PointerEvent('pointerleave'));
    return out;
  }, [every, rowStep]);
  return raw.map(([x, y, cx, cy, text, r, g, b, alpha]) => {
    const m = /^(.*): (materialized|failed|canceled|in progress|missing)$/s.exec(text);
    return { x, y, cx, cy, key: m ? m[1] : null, status: m ? STATUS_OF_WORD[m[2]] : null, rgb: [r, g, b], alpha };
  });
}

/** Whether `rgb` is the colour of `status` (the faded missing colour comes back un-premultiplied, off by a little). */
export function hasColourOf(rgb, status) {
  return STATUS_RGB[status].every((v, i) => Math.abs(v - rgb[i]) <= 3);
}

/** The keys named, in the order first named. */
export function keysInOrder(samples) {
  const seen = new Set();
  for (const s of samples) if (s.key !== null) seen.add(s.key);
  return [...seen];
}
