// The only importer of @vscode/webview-ui-toolkit (archived upstream), so swapping it out touches this file alone.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';

/** Custom element names the views create; kept here so a replacement library only has to supply these. */
export const toolkitTags = {
  button: 'vscode-button',
  divider: 'vscode-divider',
  progressRing: 'vscode-progress-ring',
} as const;

let registered = false;

/**
 * Registers just the components the panels use. Registering the whole toolkit would pull every component's
 * styles into the bundle; registering twice would throw on duplicate custom element names.
 * vscode-badge is deliberately absent: its template carries a style attribute, which the panel's CSP blocks.
 */
export function registerToolkitComponents(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing());
  registered = true;
}
