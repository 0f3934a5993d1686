// Webview bundle entry: picks the view named by <body data-view>, connects it to the host and starts it.
import { startBackfillDetailsPanel } from './backfillDetails/backfillDetailsPanel';
import { startBackfillsOverviewPanel } from './backfills/backfillsOverviewPanel';
import { startLaunchPanel } from './launch/launchPanel';
import { createElement } from './domElement';
import { createHostBridge } from './hostBridge';
import { startPartitionsPanel } from './partitions/partitionsPanel';
import { registerToolkitComponents } from './toolkit';

function showFatal(root: HTMLElement, message: string): void {
  console.error(`Backfill Studio: ${message}`);
  const text = createElement('p', 'fatal-error', message);
  text.setAttribute('role', 'alert');
  root.replaceChildren(text);
}

function start(): void {
  const root = document.getElementById('root') ?? document.body.appendChild(createElement('main'));
  root.id = 'root';
  const viewName = document.body.dataset.view;
  try {
    registerToolkitComponents();
    const bridge = createHostBridge();
    switch (viewName) {
      case 'backfillDetails':
        startBackfillDetailsPanel(root, bridge);
        return;
      case 'partitions':
        startPartitionsPanel(root, bridge);
        return;
      case 'launch':
        startLaunchPanel(root, bridge);
        return;
      case 'backfills':
        startBackfillsOverviewPanel(root, bridge);
        return;
      default:
        showFatal(root, `Unknown view ${JSON.stringify(viewName ?? null)} in <body data-view>; expected "backfillDetails", "launch" or "backfills".`);
    }
  } catch (error) {
    showFatal(root, `Could not start the ${viewName ?? 'webview'} view: ${error instanceof Error ? error.message : String(error)}`);
  }
}

start();
