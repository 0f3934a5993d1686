// DeploymentStatuses: one folder's partition statuses read from the Dagster deployment `backfillStudio.statusDeployment`
// names, per asset, on demand (when a lens or the partitions panel shows it), kept a short while, read again on the
// refresh paths (definitions or backfills changed) and while a status view stays on screen; never polled otherwise.
import * as vscode from 'vscode';
import type { PartitionStatus } from '../core/backfill/backfill';
import type { DagsterDeployment, DagsterDeploymentErrorKind } from '../core/deployment/dagsterGraphqlClient';
import type { DeploymentBackfills } from '../core/deployment/deploymentBackfills';
import type { DeploymentAssetPartitionStatuses } from '../core/deployment/deploymentPartitionStatuses';
import type { DeploymentPartitionStatusMap, DeploymentStatusProblem, DeploymentStatusState } from '../core/deployment/deploymentStatusSource';
import type { Definition } from '../core/definitions/definition';
import { engineModule } from './engineModule';

/** How long an answer is shown before a face that asks again gets it read anew. */
const LIFETIME_MS = 30_000;
/** After a backfill changed (ours, or a remote one followed), an answer at least this old is read again. */
const STALE_AFTER_CHANGE_MS = 5_000;

export interface DeploymentStatusLookup {
  state: DeploymentStatusState;
  /** The deployment's statuses of the target's keys; empty unless `state` is ready (never this machine's). */
  statuses: ReadonlyMap<string, PartitionStatus>;
}

interface Entry {
  answer?: DeploymentAssetPartitionStatuses;
  failure?: { reason: DeploymentStatusProblem; message: string };
  fetchedAt: number;
  stale: boolean;
  reading?: Promise<void>;
  /** The last conversion, reused while the answer and the target's keys are the same. */
  converted?: { keys: readonly string[]; map: DeploymentPartitionStatusMap };
}

type Chosen = { deployment: DagsterDeployment } | { name: string; problem: string };

export interface DeploymentStatusesOptions {
  /** Whether a status view of the folder is on screen: only then are answers refreshed on a timer. */
  anyVisible: () => boolean;
  /** The folder's configured deployments (backfillStudio.deployments). */
  deployments: () => DagsterDeployment[];
  /** The folder's connection to a deployment (token from SecretStorage, capabilities read once). */
  connect: (deployment: DagsterDeployment) => Promise<DeploymentBackfills>;
}

const EMPTY: ReadonlyMap<string, PartitionStatus> = new Map();

export class DeploymentStatuses implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an answer arrived (or failed), or when visible faces should ask again. */
  readonly onDidChange = this.changed.event;
  private readonly loggedFailures = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly folder: vscode.WorkspaceFolder,
    private readonly log: vscode.LogOutputChannel,
    private readonly options: DeploymentStatusesOptions,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('backfillStudio.statusDeployment', folder.uri) || e.affectsConfiguration('backfillStudio.deployments', folder.uri)) {
          this.entries.clear();
          this.changed.fire();
        }
      }),
    ];
  }

  /** Refresh paths (definitions or backfills changed): answers older than a few seconds are read again when next asked. */
  invalidate(): void {
    for (const entry of this.entries.values()) entry.stale = true;
  }

  /**
   * What a face shows for `definition` now, starting a read when there is no fresh answer; undefined when no
   * deployment is chosen. `keys` are the target's partition keys as this workspace defines them.
   */
  lookup(definition: Definition, keys: () => readonly string[]): DeploymentStatusLookup | undefined {
    const name = this.settingName();
    if (name === '') return undefined;
    const unavailable = (reason: DeploymentStatusProblem, message: string): DeploymentStatusLookup => ({ state: { kind: 'unavailable', deployment: name, reason, message }, statuses: EMPTY });
    // The token goes wherever the settings point: a workspace not trusted does not get to point it.
    if (!vscode.workspace.isTrusted) return unavailable('untrusted', 'statuses are not read from a deployment in an untrusted workspace (its settings choose where requests, and a token, go).');
    const chosen = this.chosen(name);
    if ('problem' in chosen) return unavailable('not-configured', chosen.problem);
    if (definition.kind !== 'asset') {
      return unavailable('not-an-asset', `Dagster keeps partition statuses per asset; ${definition.kind === 'job' ? 'a job' : 'a command target'} has none on the deployment.`);
    }
    const assetKey = definition.key;
    const id = `${chosen.deployment.url}\0${assetKey.join('/')}`;
    let entry = this.entries.get(id);
    const now = Date.now();
    if (!entry) {
      entry = { fetchedAt: 0, stale: true };
      this.entries.set(id, entry);
    }
    const age = now - entry.fetchedAt;
    if (!entry.reading && (age > LIFETIME_MS || (entry.stale && age > STALE_AFTER_CHANGE_MS))) this.read(chosen.deployment, assetKey, entry);
    this.followVisibility();
    if (entry.failure) return unavailable(entry.failure.reason, entry.failure.message);
    if (!entry.answer) return { state: { kind: 'loading', deployment: name }, statuses: EMPTY };
    const targetKeys = keys();
    if (entry.converted?.keys !== targetKeys) entry.converted = { keys: targetKeys, map: engineModule().deploymentPartitionStatusMap(entry.answer, targetKeys) };
    const { statuses, notOnDeployment } = entry.converted.map;
    return { state: { kind: 'ready', deployment: name, notOnDeployment }, statuses };
  }

  private settingName(): string {
    return (vscode.workspace.getConfiguration('backfillStudio', this.folder.uri).get<string>('statusDeployment') ?? '').trim();
  }

  private chosen(name: string): Chosen {
    const deployments = this.options.deployments();
    const deployment = deployments.find((d) => d.name === name);
    if (deployment) return { deployment };
    const known = deployments.map((d) => `"${d.name}"`).join(', ');
    return { name, problem: `backfillStudio.statusDeployment names "${name}", but backfillStudio.deployments has no deployment of that name (${known ? `it has ${known}` : 'it has none'}). Add it, or clear backfillStudio.statusDeployment to see this machine's statuses.` };
  }

  private read(deployment: DagsterDeployment, assetKey: string[], entry: Entry): void {
    entry.reading = (async () => {
      try {
        const backfills = await this.options.connect(deployment);
        entry.answer = await backfills.assetPartitionStatuses(assetKey);
        entry.failure = undefined;
        entry.converted = undefined;
      } catch (e) {
        // Nothing from before is kept on show: old statuses would pass for the deployment's current ones.
        entry.answer = undefined;
        entry.converted = undefined;
        const err = e as { name?: string; kind?: DagsterDeploymentErrorKind; message?: string };
        const message = err.name === 'DagsterDeploymentError' ? String(err.message) : `Dagster deployment "${deployment.name}": ${err.message ?? String(e)}`;
        entry.failure = { reason: err.name === 'DagsterDeploymentError' && err.kind ? err.kind : 'http', message };
        if (!this.loggedFailures.has(message)) {
          this.loggedFailures.add(message);
          this.log.warn(`partition statuses of ${assetKey.join('/')} not read: ${message}`);
        }
      } finally {
        entry.fetchedAt = Date.now();
        entry.stale = false;
        entry.reading = undefined;
        this.changed.fire();
      }
    })();
  }

  /** While a status view shows answers, faces are asked to look again once they expire; nothing runs otherwise. */
  private followVisibility(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.entries.size > 0 && this.options.anyVisible()) {
        this.changed.fire();
        return;
      }
      // Nothing on screen: the next lookup (a face showing again) starts it anew.
      clearInterval(this.timer);
      this.timer = undefined;
    }, LIFETIME_MS);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
    this.entries.clear();
  }
}
