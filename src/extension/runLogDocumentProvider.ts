// Run logs as read-only virtual documents (backfill-run-log:/<runId>/<name>.log) that follow a live run.
import * as vscode from 'vscode';
import type { WorkspaceSession } from './workspaceSession';

export const RUN_LOG_SCHEME = 'backfill-run-log';
const FOLLOW_INTERVAL_MS = 200;

export function runLogUri(run: { id: string; target: string; partitionKey: string }): vscode.Uri {
  const name = `${run.target} ${run.partitionKey}`.replace(/[^\w.@+ -]+/g, '_');
  return vscode.Uri.from({ scheme: RUN_LOG_SCHEME, path: `/${run.id}/${name}.log` });
}

export class RunLogDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly session: WorkspaceSession) {
    const touch = (runId: string) => {
      this.pending.add(runId);
      // Output can arrive hundreds of times a second; an open log is refreshed a few times a second at most.
      this.timer ??= setTimeout(() => this.flush(), FOLLOW_INTERVAL_MS);
    };
    this.subscriptions = [
      session.onDidLogRun((e) => touch(e.runId)),
      session.onDidChangeBackfills(() => {
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === RUN_LOG_SCHEME) touch(runIdOf(doc.uri));
      }),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { store } = await this.session.engine();
    const runId = runIdOf(uri);
    const run = store.getRun(runId);
    if (!run) return `No run ${runId} in ${this.session.workspace.statePath}.`;
    const header = `# ${run.target} · partition ${run.partitionKey} · ${run.status}${run.error ? ` · ${run.error}` : ''}\n`;
    return header + (store.runLog(runId) || '(no output yet)\n');
  }

  private flush(): void {
    this.timer = undefined;
    const open = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === RUN_LOG_SCHEME);
    for (const doc of open) if (this.pending.has(runIdOf(doc.uri))) this.changed.fire(doc.uri);
    this.pending.clear();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

function runIdOf(uri: vscode.Uri): string {
  return uri.path.split('/')[1] ?? '';
}
