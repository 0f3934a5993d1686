// What a panel is about (its workspace folder and target or backfill), saved in the webview's state so a
// window reload can rebuild the panel (a WebviewPanelSerializer reads it back).
export interface PanelIdentity {
  /** The workspace folder's URI, as a string. */
  folder: string;
  target?: string;
  /** The code location of a name several locations define. */
  location?: string;
  backfillId?: string;
}

const FIELDS = ['folder', 'target', 'location', 'backfillId'] as const;

/** The identity a saved webview state carries under `panel`, or null when it has none (or a malformed one). */
export function panelIdentityOf(state: unknown): PanelIdentity | null {
  if (typeof state !== 'object' || state === null) return null;
  const p = (state as { panel?: unknown }).panel;
  if (typeof p !== 'object' || p === null) return null;
  const identity: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const f of FIELDS) {
    const v = (p as Record<string, unknown>)[f];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0 || v.length > 4096) return null;
    identity[f] = v;
  }
  return identity.folder === undefined ? null : (identity as PanelIdentity);
}
