// Run logs as read-only virtual documents (backfill-run-log:/<runId>/<name>.log?<folder URI>) that follow a live run.
import * as vscode from 'vscode';
import type { WorkspaceSessions } from './workspaceSessions';

export const RUN_LOG_SCHEME = 'backfill-run-log';
const FOLLOW_INTERVAL_MS = 200;

/** The query names the run's workspace folder: each folder has a store of its own. */
export function runLogUri(run: { id: string; target: string; partitionKey: string }, folder: vscode.Uri): vscode.Uri {
  const name = `${run.target} ${run.partitionKey}`.replace(/[^\w.@+ -]+/g, '_');
  return vscode.Uri.from({ scheme: RUN_LOG_SCHEME, path: `/${run.id}/${name}.log`, query: folder.toString() });
}

export class RunLogDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly sessions: WorkspaceSessions) {
    const touch = (runId: string) => {
      this.pending.add(runId);
      // Output can arrive hundreds of times a second; an open log is refreshed a few times a second at most.
      this.timer ??= setTimeout(() => this.flush(), FOLLOW_INTERVAL_MS);
    };
    this.subscriptions = [
      sessions.onDidLogRun((e) => touch(e.runId)),
      sessions.onDidChangeBackfills(() => {
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === RUN_LOG_SCHEME) touch(runIdOf(doc.uri));
      }),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const session = uri.query ? this.sessions.ofFolder(uri.query) : this.sessions.all[0];
    const runId = runIdOf(uri);
    if (!session) return `No run ${runId}: its workspace folder ${uri.query} is not open.`;
    const { store } = await session.engine();
    const run = store.getRun(runId);
    if (!run) return `No run ${runId} in ${session.workspace.statePath}.`;
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
