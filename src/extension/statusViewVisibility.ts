// StatusViewVisibility: whether any view that shows partition statuses is on screen, so Dagster's statuses are polled only then.
import * as vscode from 'vscode';

/**
 * Views report themselves by a name of their own ("lenses", "definitions", "partitions:raw_events", ...);
 * `onDidChange` fires when the answer to "is any of them visible?" changes.
 */
export class StatusViewVisibility implements vscode.Disposable {
  private readonly visible = new Set<string>();
  private readonly changed = new vscode.EventEmitter<boolean>();
  readonly onDidChange = this.changed.event;

  get anyVisible(): boolean {
    return this.visible.size > 0;
  }

  set(view: string, isVisible: boolean): void {
    const before = this.anyVisible;
    if (isVisible) this.visible.add(view);
    else this.visible.delete(view);
    if (before !== this.anyVisible) this.changed.fire(this.anyVisible);
  }

  /** Follows a view's visibility until the returned disposable is disposed (which counts as hidden). */
  follow(view: string, initially: boolean, onDidChangeVisibility: vscode.Event<boolean>): vscode.Disposable {
    this.set(view, initially);
    const sub = onDidChangeVisibility((v) => this.set(view, v));
    return { dispose: () => { sub.dispose(); this.set(view, false); } };
  }

  dispose(): void {
    this.visible.clear();
    this.changed.dispose();
  }
}

/** Code lenses show statuses while an editor shows a Python file or a backfills.yaml. */
export function statusLensesVisible(editors: readonly vscode.TextEditor[]): boolean {
  return editors.some((e) => e.document.uri.scheme === 'file' && (e.document.languageId === 'python' || e.document.uri.path.endsWith('/backfills.yaml')));
}
