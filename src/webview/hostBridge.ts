// Typed wrapper over the webview API VS Code injects (acquireVsCodeApi): posting intents, receiving facts, persisted state.
import { panelIdentityOf } from '../shared/panelIdentity';
import type { WebviewToHostMessage } from '../shared/protocol';

/** The slice of VS Code's injected webview API this bundle uses. */
interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

export interface HostBridge {
  post(message: WebviewToHostMessage): void;
  /** Calls the listener for every message event from the host; returns a function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** The value last given to setState, kept by VS Code across reloads of the webview; undefined when none. */
  getState(): unknown;
  setState(state: unknown): void;
}

/**
 * Acquires VS Code's webview API. It may be acquired once per page load only, so the bundle creates one bridge
 * at start-up and hands it to the views.
 */
export function createHostBridge(): HostBridge {
  if (typeof acquireVsCodeApi !== 'function') {
    throw new Error('acquireVsCodeApi is not defined: this page must be loaded inside a VS Code webview');
  }
  const api = acquireVsCodeApi();
  // The panel's identity (folder, target or backfill) rides along with whatever the view saves, so VS Code's
  // panel serializer can rebuild the panel after a window reload even if the view never saved anything.
  const panel = panelIdentityOf({ panel: parsedJson(document.body.dataset.panel) });
  const withPanel = (state: unknown): unknown => {
    if (!panel) return state;
    return typeof state === 'object' && state !== null ? { ...state, panel } : { panel };
  };
  if (panel) api.setState(withPanel(api.getState()));
  return {
    post: (message) => api.postMessage(message),
    onMessage(listener) {
      const handler = (event: MessageEvent): void => listener(event.data);
      window.addEventListener('message', handler);
      return () => window.removeEventListener('message', handler);
    },
    getState: () => api.getState() ?? undefined,
    setState: (state) => api.setState(withPanel(state)),
  };
}

function parsedJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
