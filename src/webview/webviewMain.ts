// Webview bundle entry: picks the view named by <body data-view>, connects it to the host and starts it.
import { startBackfillDetailsPage } from './backfillDetails/backfillDetailsPage';
import { startBackfillsOverviewPage } from './backfills/backfillsOverviewPage';
import { startLaunchPage } from './launch/launchPage';
import { createElement } from './domElement';
import { createHostBridge } from './hostBridge';
import { startPartitionsPage } from './partitions/partitionsPage';
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
        startBackfillDetailsPage(root, bridge);
        return;
      case 'partitions':
        startPartitionsPage(root, bridge);
        return;
      case 'launch':
        startLaunchPage(root, bridge);
        return;
      case 'backfills':
        startBackfillsOverviewPage(root, bridge);
        return;
      default:
        showFatal(root, `Unknown view ${JSON.stringify(viewName ?? null)} in <body data-view>; expected "backfillDetails", "launch" or "backfills".`);
    }
  } catch (error) {
    showFatal(root, `Could not start the ${viewName ?? 'webview'} view: ${error instanceof Error ? error.message : String(error)}`);
  }
}

start();
