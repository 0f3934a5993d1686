// A generic webview panel typed by the shared protocol: ready handshake, validated inbound messages,
// latest-snapshot resend when the panel becomes visible again, and disposal.
import * as vscode from 'vscode';
import type { PanelIdentity } from '../../shared/panelIdentity';
import type { HostToWebviewMessage } from '../../shared/protocol';
import { parseWebviewToHostMessage, type WebviewToHostMessage } from '../../shared/webviewToHostMessage';
import { webviewHtml } from './webviewHtml';

export interface WebviewPanelHostOptions {
  viewType: string;
  title: string;
  view: string;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  onMessage(message: Exclude<WebviewToHostMessage, { type: 'ready' }>): void | Promise<void>;
  /** Called on each ready handshake, after the last snapshot is resent: the host may post a fresher one. */
  onReady(): void;
  /** Column to open in; default: the active one. */
  column?: vscode.ViewColumn;
  /** What the panel shows, saved by the page so a window reload can restore it (see panelSerializers.ts). */
  identity: PanelIdentity;
  /** A panel VS Code restored after a reload (WebviewPanelSerializer); otherwise a new one is created. */
  restored?: vscode.WebviewPanel;
}

export class WebviewPanelHost implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  /** The newest message of each type: together they are the snapshot a reloaded or re-shown page needs. */
  private readonly latest = new Map<HostToWebviewMessage['type'], HostToWebviewMessage>();
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  /** Inbound messages that failed validation, kept for diagnostics and tests. */
  rejectedMessages = 0;

  constructor(private readonly o: WebviewPanelHostOptions) {
    const options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(o.extensionUri, 'dist'), vscode.Uri.joinPath(o.extensionUri, 'media')],
    };
    // Hidden panels are torn down (no retainContextWhenHidden): each page keeps what it must (scroll, selection,
    // form) in its webview state, which costs nothing while hidden, where a retained page keeps its memory.
    if (o.restored) {
      this.panel = o.restored;
      this.panel.webview.options = options;
      this.panel.title = o.title;
    } else {
      this.panel = vscode.window.createWebviewPanel(o.viewType, o.title, o.column ?? vscode.ViewColumn.Active, { ...options, retainContextWhenHidden: false });
    }
    this.panel.webview.html = webviewHtml(this.panel.webview, o.extensionUri, o.view, o.title, o.identity);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      this.panel.onDidChangeViewState((e) => {
        // Hidden webviews are torn down (retainContextWhenHidden is off); the reloaded page says ready again,
        // but resend anyway in case it restored from state before the host noticed.
        if (e.webviewPanel.visible && this.ready) this.resend();
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  post(message: HostToWebviewMessage): void {
    this.latest.set(message.type, message);
    if (this.ready && this.panel.visible) void this.panel.webview.postMessage(message);
  }

  /** Forgets a kind of message (e.g. a not-found notice once the backfill exists), so it is not resent. */
  forget(type: HostToWebviewMessage['type']): void {
    this.latest.delete(type);
  }

  private resend(): void {
    for (const message of this.latest.values()) void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewToHostMessage(raw);
    if (!parsed.ok) {
      this.rejectedMessages++;
      this.o.log.warn(`ignored a message from the ${this.o.view} webview: ${parsed.reason}`);
      return;
    }
    if (parsed.value.type === 'ready') {
      this.ready = true;
      this.resend();
      this.o.onReady();
      return;
    }
    Promise.resolve(this.o.onMessage(parsed.value)).catch((e) => this.o.log.error(`handling ${parsed.value.type} failed`, e));
  }

  dispose(): void {
    const parts = this.disposables.splice(0);
    if (parts.length === 0) return;
    vscode.Disposable.from(...parts).dispose();
    this.disposed.fire();
    this.disposed.dispose();
    this.panel.dispose();
  }
}
