// Code lenses above asset and job definitions (Python) and command targets (backfills.yaml): Launch Backfill
// (in an untrusted workspace, why it is off), the partition status counts (this machine's, or those of the deployment
// backfillStudio.statusDeployment names, saying so), and the failed count that opens the newest failed run's log.
// Each file is served by the session of its workspace folder.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { countRuns, endedRuns, isPausedBackfill, TERMINAL_BACKFILL_STATUSES } from '../core/backfill/backfill';
import { backfillStatusLabel } from '../core/backfill/backfillStatusLabel';
import { partitionCountsSummary, partitionStatusCounts } from '../core/backfill/partitionStatusCounts';
import { definitionName, type Definition } from '../core/definitions/definition';
import { ambiguousDefinitionNames, codeLocationLabel } from '../core/definitions/ambiguousDefinitionNames';
import type { StateStore } from '../core/storage/stateStore';
import { COMMAND_IDS } from './commandIds';
import { decoratorStartLine } from './decoratorStartLine';
import { engineModule } from './engineModule';
import type { WorkspaceSession } from './workspaceSession';
import type { WorkspaceSessions } from './workspaceSessions';

export const CODE_LENS_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { pattern: '**/backfills.yaml', scheme: 'file' },
];

const n = (x: number) => x.toLocaleString('en-US');

/** Where Launch Backfill would be: a lens cannot be greyed out, so it says why and leads to the trust editor. */
export const UNTRUSTED_LAUNCH: vscode.Command = {
  title: '$(workspace-untrusted) Launch disabled: untrusted workspace',
  command: 'workbench.trust.manage',
  tooltip: 'A backfill runs this workspace\'s code, so Backfill Studio launches nothing until you trust the workspace. Click to manage workspace trust.',
};

/** How the newest unfinished backfill that includes the target stands: "backfill 40%", or "backfill Paused". */
function activeBackfillState(store: StateStore, target: string): string | undefined {
  const b = store.listBackfills().find((x) => !TERMINAL_BACKFILL_STATUSES.has(x.status) && x.targets.includes(target));
  if (!b) return undefined;
  // Its runs are the deployment's, not in the store: a percentage of local runs would read 0%.
  if (b.remote) return `backfill on ${b.remote.deployment}`;
  if (isPausedBackfill(b)) return `backfill ${backfillStatusLabel(b.status, true).label}`;
  const c = countRuns(store.listRuns(b.id));
  return `backfill ${c.total === 0 ? 0 : Math.floor((endedRuns(c) / c.total) * 100)}%`;
}

export class DefinitionCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  /** Sessions whose deployment statuses repaint the lenses when an answer arrives. */
  private readonly following = new WeakSet<WorkspaceSession>();

  constructor(private readonly sessions: WorkspaceSessions) {
    this.subscriptions = [
      sessions.onDidChangeDefinitions(() => this.changed.fire()),
      sessions.onDidChangeFolders(() => this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      // Status lenses follow runs, but a big backfill must not repaint the editor for every run.
      sessions.onDidChangeBackfills(() => {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.changed.fire();
        }, 500);
      }),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const session = this.sessions.of(document.uri);
    if (!session) return [];
    const rel = path.relative(session.folder.uri.fsPath, document.uri.fsPath).split(path.sep).join('/');
    const s = await session.definitions();
    const inFile: Definition[] = [...s.assets, ...s.jobs, ...s.commandTargets].filter((d) => d.location.file === rel && d.partitions);
    if (inFile.length === 0) return [];
    const { store, statuses } = await session.engine();
    const now = session.workspace.clock.now();
    this.followDeploymentStatuses(session);
    // With several folders a lens says whose target it launches: the same name may be in two folders.
    const folder = this.sessions.several ? { folder: session.folder.uri.toString() } : {};
    // A key two code locations define gets lenses per location, each saying which (only then: it is noise otherwise).
    const ambiguous = ambiguousDefinitionNames(s);
    return inFile.flatMap((d) => {
      const defLine = Math.min(Math.max(d.location.line - 1, 0), document.lineCount - 1);
      // Above the decorators, where a reader looks first (a lens between @asset and def splits them).
      const line = d.kind === 'command' ? defLine : decoratorStartLine((i) => document.lineAt(i).text, defLine);
      const range = new vscode.Range(line, 0, line, 0);
      const name = definitionName(d);
      const fromDeployment = session.deploymentStatuses.lookup(d, () => d.partitions!.keys(now));
      const c = partitionStatusCounts(d.partitions!, fromDeployment?.statuses ?? statuses.partitionStatuses(name), now);
      const active = activeBackfillState(store, name);
      // Failed partitions have a lens of their own (it opens the failed run's log).
      const counts = `${partitionCountsSummary(c, { failed: false })}${active !== undefined ? ` · ${active}` : ''}`;
      const status = fromDeployment ? engineModule().deploymentStatusLensTitle(fromDeployment.state, counts) : counts;
      const statusTooltip = fromDeployment?.state.kind === 'unavailable' ? fromDeployment.state.message
        : fromDeployment ? `${d.partitions!.describe()}: statuses from Dagster deployment "${fromDeployment.state.deployment}". Show partitions` : `${d.partitions!.describe()}: show partitions`;
      const where = d.kind !== 'command' && ambiguous.has(name) ? codeLocationLabel(d) : undefined;
      const launchArgs = where !== undefined && d.kind !== 'command' ? { target: name, location: d.codeLocation?.name, ...folder } : { target: name, ...folder };
      const lenses = [
        vscode.workspace.isTrusted
          ? new vscode.CodeLens(range, { title: `$(play) Launch Backfill${where !== undefined ? ` (${where})` : ''}`, command: COMMAND_IDS.launchBackfill, arguments: [launchArgs],
            tooltip: `Backfill ${name}${where !== undefined ? ` of code location ${where}` : ''}` })
          : new vscode.CodeLens(range, UNTRUSTED_LAUNCH),
        new vscode.CodeLens(range, { title: status, command: COMMAND_IDS.showPartitions, arguments: [launchArgs], tooltip: statusTooltip }),
      ];
      if (fromDeployment) {
        // Failed there: no run log here to open, so the lens opens the partitions panel, which shows which.
        if (c.failed && fromDeployment.state.kind === 'ready') {
          lenses.push(new vscode.CodeLens(range, { title: `$(error) ${n(c.failed)} failed on ${fromDeployment.state.deployment}`, command: COMMAND_IDS.showPartitions, arguments: [launchArgs], tooltip: 'Show partitions' }));
        }
      } else if (c.failed) {
        lenses.push(new vscode.CodeLens(range, { title: `$(error) ${n(c.failed)} failed`, command: COMMAND_IDS.openRunLog, arguments: [{ target: name, ...folder }], tooltip: 'Open the newest failed run log' }));
      }
      return lenses;
    });
  }

  private followDeploymentStatuses(session: WorkspaceSession): void {
    if (this.following.has(session)) return;
    this.following.add(session);
    this.subscriptions.push(session.deploymentStatuses.onDidChange(() => this.changed.fire()));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((x) => x.dispose());
    this.changed.dispose();
  }
}
