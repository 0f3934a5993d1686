// Run logs as read-only virtual documents (backfill-run-log:/<runId>/<name>.log?<folder URI>) that follow a live run:
// the run's log file when it has one, else the tail the state file holds (runs recorded before log files were kept).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunRecord } from '../core/backfill/backfill';
import { runStatusLabel } from '../core/backfill/backfillStatusLabel';
import type { WorkspaceSessions } from './workspaceSessions';

export const RUN_LOG_SCHEME = 'backfill-run-log';
const FOLLOW_INTERVAL_MS = 200;
/** Past this, Open Log opens the file itself: VS Code's editor handles large files, a virtual document would hold a copy. */
export const RUN_LOG_DOCUMENT_MAX_BYTES = 32 * 1024 * 1024;

/** The query names the run's workspace folder: each folder has a store of its own. */
export function runLogUri(run: { id: string; target: string; partitionKey: string }, folder: vscode.Uri): vscode.Uri {
  const name = `${run.target} ${run.partitionKey}`.replace(/[^\w.@+ -]+/g, '_');
  return vscode.Uri.from({ scheme: RUN_LOG_SCHEME, path: `/${run.id}/${name}.log`, query: folder.toString() });
}

const FINISHED: ReadonlySet<RunRecord['status']> = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);

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
    const header = `# ${run.target} · partition ${run.partitionKey} · ${runStatusLabel(run.status).label}${run.error ? ` · ${run.error}` : ''}\n`;
    const file = session.workspace.runLogs.pathOf(run.backfillId, run.id);
    const text = await readUpTo(file, RUN_LOG_DOCUMENT_MAX_BYTES);
    if (text !== undefined) return `${header}# ${file}\n${text || '(no output yet)\n'}`;
    const stored = store.runLog(runId);
    if (!FINISHED.has(run.status)) return header + (stored || '(no output yet)\n');
    if (!stored) return `${header}(no output: the run printed nothing, or its log was removed by retention, backfillStudio.retention)\n`;
    return `${header}# This run has no log file (it was recorded before full run logs were kept, or retention removed the file): this is the last part of its output the state file holds.\n${stored}`;
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

/** The file's text, at most `maxBytes` of its end; undefined when there is no file. */
async function readUpTo(file: string, maxBytes: number): Promise<string | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = (await handle.stat()).size;
    const length = Math.min(size, maxBytes);
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, size - length);
    const text = bytes.toString('utf8');
    return size > length ? `[... the first ${size - length} bytes are in the file above ...]\n${text}` : text;
  } finally {
    await handle.close();
  }
}

function runIdOf(uri: vscode.Uri): string {
  return uri.path.split('/')[1] ?? '';
}
