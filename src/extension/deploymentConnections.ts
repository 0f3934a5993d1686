// The folder's RemoteBackfills (launch, follow, cancel, resume, re-execute on Dagster deployments): built on first
// use from the engine bundle, with the folder's state store, tokens from SecretStorage, and every record it writes
// reported so the Backfills view, status bar and panels redraw.
import type { BackfillRecord } from '../core/backfill/backfill';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';
import type { ReexecutionStrategy } from '../core/deployment/deploymentBackfills';
import type { RemoteBackfill } from '../core/deployment/remoteBackfill';
import type { RemoteLaunchPlan } from '../core/deployment/remoteBackfillLaunch';
import type { RemoteBackfills, RemoteLaunchRecord } from '../core/deployment/remoteBackfills';
import type { StateStore } from '../core/storage/stateStore';
import type { EngineModule } from './engineModule';
import type { DeploymentTokens } from './deploymentTokens';

export interface DeploymentConnectionsOptions {
  store: () => Promise<StateStore>;
  tokens: DeploymentTokens;
  /** A remote record was created or updated: the session's backfills changed. */
  onDidWrite: (backfillId: string) => void;
}

/** RemoteBackfills whose writes are announced; the class comes from the engine bundle, loaded only now. */
export function deploymentConnections(engine: EngineModule, options: DeploymentConnectionsOptions): RemoteBackfills {
  class AnnouncedRemoteBackfills extends engine.RemoteBackfills {
    override async launch(deployment: DagsterDeployment, plan: RemoteLaunchPlan, record: RemoteLaunchRecord): Promise<BackfillRecord> {
      return announced(await super.launch(deployment, plan, record));
    }

    override async refresh(localId: string): Promise<{ record: BackfillRecord; remote: RemoteBackfill }> {
      const refreshed = await super.refresh(localId);
      announced(refreshed.record);
      return refreshed;
    }

    override async cancel(localId: string): Promise<BackfillRecord> {
      return announced(await super.cancel(localId));
    }

    override async resume(localId: string): Promise<BackfillRecord> {
      return announced(await super.resume(localId));
    }

    override async reexecute(localId: string, strategy: ReexecutionStrategy): Promise<BackfillRecord> {
      return announced(await super.reexecute(localId, strategy));
    }
  }
  const announced = (record: BackfillRecord): BackfillRecord => {
    options.onDidWrite(record.id);
    return record;
  };
  return new AnnouncedRemoteBackfills({
    store: options.store,
    // Only Dagster+ takes a token; it is read from SecretStorage on each new connection and held in memory only.
    token: (deployment) => options.tokens.tokenFor(deployment),
    origin: 'extension',
  });
}
