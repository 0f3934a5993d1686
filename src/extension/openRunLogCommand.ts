// Open Run Log: a run's whole output as a live read-only document, by run id, by target (its newest failed run) or picked.
import * as vscode from 'vscode';
import type { RunRecord } from '../core/backfill/backfill';
import { RUN_LOG_DOCUMENT_MAX_BYTES, runLogUri } from './runLogDocumentProvider';
import type { WorkspaceSession } from './workspaceSession';

export async function openRunLog(session: WorkspaceSession, arg: unknown): Promise<string | undefined> {
  const { store } = await session.engine();
  let run: RunRecord | undefined;
  if (typeof arg === 'string') run = store.getRun(arg);
  else if (typeof arg === 'object' && arg !== null && typeof (arg as { target?: unknown }).target === 'string') {
    const target = (arg as { target: string }).target;
    // Newest backfill first, and within it the last failure: the one a user wants to read after a red lens.
    for (const b of store.listBackfills()) {
      run = store.listRuns(b.id).filter((r) => r.target === target && r.status === 'FAILURE').pop();
      if (run) break;
    }
    if (!run) void vscode.window.showInformationMessage(`${target} has no failed run.`);
  } else {
    const latest = store.listBackfills()[0];
    const runs = latest ? store.listRuns(latest.id) : [];
    const picked = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: `${r.target} ${r.partitionKey}`, description: r.status, detail: r.error ?? undefined, run: r })),
      { title: latest ? `Open Run Log: runs of backfill ${latest.id}` : 'Open Run Log: no backfills yet' },
    );
    run = picked?.run;
  }
  if (!run) return undefined;
  // A huge log opens as the file itself (VS Code's large-file handling); others as a document that follows the run.
  const { runLogs } = session.workspace;
  const size = (await runLogs.size(run.backfillId, run.id).catch(() => undefined)) ?? 0;
  const doc = await vscode.workspace.openTextDocument(size > RUN_LOG_DOCUMENT_MAX_BYTES ? vscode.Uri.file(runLogs.pathOf(run.backfillId, run.id)) : runLogUri(run, session.folder.uri));
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return run.id;
}
