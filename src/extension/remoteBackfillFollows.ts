// RemoteBackfillFollows: per folder, one RemoteBackfillFollower per remote backfill something shows (a details panel,
// the Backfills view), shared by them and ended with the last of them; each answer goes through the session's
// RemoteBackfills.refresh, so the store (and every face reading it) has it, and a failed look is kept beside it.
import * as vscode from 'vscode';
import { systemClock } from '../core/clock';
import type { DeploymentBackfills } from '../core/deployment/deploymentBackfills';
import type { RemoteBackfill } from '../core/deployment/remoteBackfill';
import type { RemoteBackfillFollower } from '../core/deployment/remoteBackfillFollower';
import { engineModule } from './engineModule';
import type { WorkspaceSession } from './workspaceSession';

/** What a view of a followed backfill reads, and how it says it is on screen. */
export interface RemoteBackfillFollow extends vscode.Disposable {
  /** The deployment's last answer, if any. */
  readonly latest: RemoteBackfill | undefined;
  /** When it answered last (epoch ms). */
  readonly checkedAt: number | undefined;
  /** Why the last look failed (unreachable, 401, timeout…); undefined once it answers again. */
  readonly error: string | undefined;
  /** An answer that changed what is shown, or a failed look (or its end). */
  readonly onDidChange: vscode.Event<void>;
  /** Polling runs only while at least one view holds one of these. */
  viewVisible(): vscode.Disposable;
  /** After a cancel, resume or re-execute: look now, and fast again. */
  poke(): void;
}

/** Polling bounds: a second after a change, doubling while nothing changes, at most 30 s apart. */
const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

class FollowedBackfill {
  latest: RemoteBackfill | undefined;
  checkedAt: number | undefined;
  error: string | undefined;
  users = 0;
  readonly changed = new vscode.EventEmitter<void>();
  private readonly follower: RemoteBackfillFollower;
  private disposed = false;

  constructor(session: WorkspaceSession, localId: string, backfillId: string, log: vscode.LogOutputChannel) {
    // The follower reads through RemoteBackfills.refresh, which stores each answer (status, end, error) under the local
    // id: the follower only ever calls getBackfill.
    const source = {
      getBackfill: async (): Promise<RemoteBackfill> => {
        const { remote } = await session.remoteBackfills.refresh(localId);
        if (this.disposed) return remote;
        this.checkedAt = Date.now();
        if (this.error !== undefined) {
          this.error = undefined;
          this.changed.fire();
        }
        return remote;
      },
    } satisfies Pick<DeploymentBackfills, 'getBackfill'>;
    this.follower = new (engineModule().RemoteBackfillFollower)(source, backfillId, {
      clock: systemClock,
      minDelayMs: MIN_DELAY_MS,
      maxDelayMs: MAX_DELAY_MS,
      onChange: (remote) => {
        if (this.disposed) return;
        this.latest = remote;
        this.changed.fire();
      },
      onError: (e) => {
        if (this.disposed) return;
        const message = e instanceof Error ? e.message : String(e);
        if (message !== this.error) log.warn(`following backfill ${localId}: ${message}`);
        this.error = message;
        this.changed.fire();
      },
    });
  }

  viewVisible(): vscode.Disposable {
    return this.follower.viewVisible();
  }

  poke(): void {
    this.follower.poke();
  }

  dispose(): void {
    this.disposed = true;
    this.follower.dispose();
    this.changed.dispose();
  }
}

export class RemoteBackfillFollows implements vscode.Disposable {
  private static readonly ofSession = new WeakMap<WorkspaceSession, RemoteBackfillFollows>();
  private readonly followed = new Map<string, FollowedBackfill>();
  private readonly subscription: vscode.Disposable;

  /** The folder's follows, ended with its session. */
  static of(session: WorkspaceSession, log: vscode.LogOutputChannel): RemoteBackfillFollows {
    let follows = RemoteBackfillFollows.ofSession.get(session);
    if (!follows) {
      follows = new RemoteBackfillFollows(session, log);
      RemoteBackfillFollows.ofSession.set(session, follows);
    }
    return follows;
  }

  /** After a request of ours (cancel, resume) on a backfill: its follower, if any view follows it, looks now. */
  static poke(session: WorkspaceSession, localId: string): void {
    RemoteBackfillFollows.ofSession.get(session)?.followed.get(localId)?.poke();
  }

  /** How many backfills of this folder are followed now (the tests check nothing polls after the views close). */
  static following(session: WorkspaceSession): number {
    return RemoteBackfillFollows.ofSession.get(session)?.followed.size ?? 0;
  }

  private constructor(private readonly session: WorkspaceSession, private readonly log: vscode.LogOutputChannel) {
    this.subscription = session.onDidDispose(() => this.dispose());
  }

  /** A view's hold on one backfill's follower (created on the first hold, ended with the last). */
  follow(localId: string, backfillId: string): RemoteBackfillFollow {
    let followed = this.followed.get(localId);
    if (!followed) {
      followed = new FollowedBackfill(this.session, localId, backfillId, this.log);
      this.followed.set(localId, followed);
    }
    followed.users++;
    const f = followed;
    let released = false;
    const holds: vscode.Disposable[] = [];
    return {
      get latest() { return f.latest; },
      get checkedAt() { return f.checkedAt; },
      get error() { return f.error; },
      onDidChange: f.changed.event,
      viewVisible: () => {
        const hold = f.viewVisible();
        holds.push(hold);
        return { dispose: () => hold.dispose() };
      },
      poke: () => f.poke(),
      dispose: () => {
        if (released) return;
        released = true;
        holds.forEach((h) => h.dispose());
        if (--f.users === 0 && this.followed.get(localId) === f) {
          this.followed.delete(localId);
          f.dispose();
        }
      },
    };
  }

  dispose(): void {
    this.subscription.dispose();
    for (const f of this.followed.values()) f.dispose();
    this.followed.clear();
    RemoteBackfillFollows.ofSession.delete(this.session);
  }
}

/** The Backfills view's hold on what it shows unsettled: each followed and counted visible until disposed. */
export function followRemoteBackfills(shown: readonly { session: WorkspaceSession; localId: string; backfillId: string }[], log: vscode.LogOutputChannel): vscode.Disposable {
  const holds = shown.map(({ session, localId, backfillId }) => {
    const follow = RemoteBackfillFollows.of(session, log).follow(localId, backfillId);
    follow.viewVisible();
    return follow;
  });
  return { dispose: () => holds.forEach((h) => h.dispose()) };
}
