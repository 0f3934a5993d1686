// CommandTargets: which folder's session, and which backfill, a command's argument means: a tree node (it names its
// session), a code lens's or status bar's arguments (they name the folder), a bare backfill or run id (the folder whose
// store holds it), or nothing (the active editor's folder, else the user's pick).
import * as vscode from 'vscode';
import { isPausedBackfill, TERMINAL_BACKFILL_STATUSES } from '../core/backfill/backfill';
import { backfillStatusLabel } from '../core/backfill/backfillStatusLabel';
import type { WorkspaceSession } from './workspaceSession';
import type { WorkspaceSessions } from './workspaceSessions';

export interface BackfillOfSession {
  session: WorkspaceSession;
  id: string;
}

export class CommandTargets {
  constructor(private readonly sessions: WorkspaceSessions) {}

  /** The session an argument names, else the one the user means; undefined when they dismissed the folder pick. */
  async sessionFor(arg: unknown, title: string): Promise<WorkspaceSession | undefined> {
    return this.namedSession(arg) ?? this.sessions.pick(title);
  }

  /** The session whose store holds a run (a details panel opening a run's log passes the bare id). */
  async sessionOfRun(runId: string, title: string): Promise<WorkspaceSession | undefined> {
    return (await this.holding((store) => store.getRun(runId) !== undefined)) ?? this.sessions.pick(title);
  }

  /**
   * The backfill a command means: a Backfills tree node, `{ backfillId, folder }`, a bare id (found in the folder
   * whose store holds it), or one the user picks in the folder they mean.
   */
  async backfillOf(arg: unknown, o: { activeOnly: boolean; title: string }): Promise<BackfillOfSession | undefined> {
    const r = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>) : undefined;
    const node = r?.kind === 'backfill' ? (r.backfill as { id?: unknown } | undefined) : undefined;
    const id = typeof arg === 'string' ? arg : typeof node?.id === 'string' ? node.id : typeof r?.backfillId === 'string' ? r.backfillId : undefined;
    if (id !== undefined) {
      const session = this.namedSession(arg) ?? (await this.holding((store) => store.getBackfill(id) !== undefined));
      if (session) return { session, id };
      throw new Error(`No backfill ${id} in ${this.sessions.several ? 'any folder of this workspace' : 'this workspace'}.`);
    }
    const session = await this.sessionFor(arg, o.title);
    if (!session) return undefined;
    const picked = await pickBackfill(session, o.activeOnly, o.title);
    return picked === undefined ? undefined : { session, id: picked };
  }

  /** A tree node's session, or the folder a lens, the status bar or a caller names (`folder`: its URI). */
  private namedSession(arg: unknown): WorkspaceSession | undefined {
    if (typeof arg !== 'object' || arg === null) return undefined;
    const r = arg as { session?: unknown; folder?: unknown };
    if (r.session !== undefined) {
      const session = this.sessions.all.find((s) => s === r.session);
      if (!session) throw new Error('That folder has left the workspace.');
      return session;
    }
    if (typeof r.folder !== 'string') return undefined;
    const session = this.sessions.ofFolder(r.folder);
    if (!session) throw new Error(`${r.folder} is not a folder of this workspace.`);
    return session;
  }

  /**
   * The folder whose store satisfies `has`: with one folder, that folder; else the open stores first, then the others
   * (an explicit command may open a store; activation never does).
   */
  private async holding(has: (store: Awaited<ReturnType<WorkspaceSession['engine']>>['store']) => boolean): Promise<WorkspaceSession | undefined> {
    const all = this.sessions.all;
    if (all.length <= 1) return all[0];
    const ordered = [...all.filter((s) => s.engineStarted), ...all.filter((s) => !s.engineStarted)];
    for (const session of ordered) if (has((await session.engine()).store)) return session;
    return undefined;
  }
}

/** A backfill of `session` picked by the user (undefined when there is none or they dismissed the pick). */
async function pickBackfill(session: WorkspaceSession, activeOnly: boolean, title: string): Promise<string | undefined> {
  const { store } = await session.engine();
  const candidates = store.listBackfills().filter((b) => !activeOnly || !TERMINAL_BACKFILL_STATUSES.has(b.status));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(activeOnly ? 'No backfill is running.' : 'No backfills yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((b) => ({ label: b.id, description: `${backfillStatusLabel(b.status, isPausedBackfill(b)).label} · ${b.targets.join(', ')} · ${b.selection}` })),
    { title: session.titled(title) },
  );
  return picked?.label;
}
