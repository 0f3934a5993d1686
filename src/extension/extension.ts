// Composition root: builds the workspace session, views, code lenses and commands; no scanning here.
import * as vscode from 'vscode';
import { codeLoadingMs, moduleEvaluationMs } from './activationTiming';
import { TERMINAL_BACKFILL_STATUSES } from '../core/backfill/backfill';
import { UNTRUSTED_WORKSPACE_EXPLANATION } from '../core/backfill/workspaceTrust';
import { BACKFILL_FILTERS, BackfillsTreeProvider, type BackfillNode } from './backfillsTreeProvider';
import { COMMAND_IDS, VIEW_IDS } from './commandIds';
import { CODE_LENS_SELECTOR, DefinitionCodeLensProvider } from './definitionCodeLensProvider';
import { DefinitionsTreeProvider } from './definitionsTreeProvider';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import type { OpenLaunchPanel } from './launchBackfillCommand';
import { RUN_LOG_SCHEME, RunLogDocumentProvider } from './runLogDocumentProvider';
import { RunningBackfillsStatusBar } from './runningBackfillsStatusBar';
import { statusLensesVisible } from './statusViewVisibility';
import { statusSourceMessage, WorkspaceSession } from './workspaceSession';

// Code only a command or a panel needs is a second bundle (dist/onDemand.js, see esbuild.mjs), required when
// first used: activation neither parses nor runs it.
const onDemand = () => require('./onDemand.js') as typeof import('./onDemand');
const launchCommand = () => onDemand().launchBackfillCommand;
const panels = lazyPanels();
/** A backfill the last window left running waits this long after activation, so the window's own startup goes first. */
const ADOPTION_DELAY_MS = 2000;

/** What activate() returns: used by the integration tests and open to other extensions. */
export interface BackfillStudioApi {
  session(): WorkspaceSession | undefined;
  definitionsTree: DefinitionsTreeProvider | undefined;
  backfillsTree: BackfillsTreeProvider | undefined;
  /** Milliseconds activate() took. */
  activationMs: number;
  /** The require of this bundle alone, from VS Code's own marks; see activationTiming.ts. */
  codeLoadingMs?: number | undefined;
}

export function activate(context: vscode.ExtensionContext): BackfillStudioApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Backfill Studio', { log: true });
  context.subscriptions.push(log);
  const folder = vscode.workspace.workspaceFolders?.[0];
  const session = folder ? new WorkspaceSession(folder, context.extensionUri, log) : undefined;
  const api: BackfillStudioApi = { session: () => session, definitionsTree: undefined, backfillsTree: undefined, activationMs: 0 };
  const needSession = (): WorkspaceSession => {
    if (!session) throw new Error('Open a folder to use Backfill Studio.');
    return session;
  };
  const command = (id: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (e) {
        log.error(`${id} failed`, e);
        void vscode.window.showErrorMessage(`Backfill Studio: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    });

  let backfillsView: vscode.TreeView<BackfillNode> | undefined;
  if (session) {
    const definitionsTree = new DefinitionsTreeProvider(session);
    const backfillsTree = new BackfillsTreeProvider(session);
    const codeLenses = new DefinitionCodeLensProvider(session);
    const runLogs = new RunLogDocumentProvider(session);
    backfillsView = vscode.window.createTreeView(VIEW_IDS.backfills, { treeDataProvider: backfillsTree });
    const definitionsView = vscode.window.createTreeView(VIEW_IDS.definitions, { treeDataProvider: definitionsTree, showCollapseAll: true });
    api.definitionsTree = definitionsTree;
    api.backfillsTree = backfillsTree;
    context.subscriptions.push(
      session,
      definitionsTree,
      backfillsTree,
      definitionsView,
      // Views that show statuses: Dagster's are polled only while one of them is on screen.
      session.statusViews.follow('definitions', definitionsView.visible, (listener) => definitionsView.onDidChangeVisibility((e) => listener(e.visible))),
      session.statusViews.follow('lenses', statusLensesVisible(vscode.window.visibleTextEditors), (listener) =>
        vscode.window.onDidChangeVisibleTextEditors((editors) => listener(statusLensesVisible(editors)))),
      // Said once, where the counts are: why they are the project's runs alone when the workspace has Dagster code.
      session.onDidChangeStatusSource((source) => {
        definitionsView.message = statusSourceMessage(source, vscode.workspace.isTrusted);
      }),
      backfillsView,
      codeLenses,
      vscode.languages.registerCodeLensProvider(CODE_LENS_SELECTOR, codeLenses),
      runLogs,
      vscode.workspace.registerTextDocumentContentProvider(RUN_LOG_SCHEME, runLogs),
      new RunningBackfillsStatusBar(session),
      new DiagnosticsPublisher(session),
    );
    session.adoptOrphansSoon(ADOPTION_DELAY_MS);
  }

  const showLaunchPanel: OpenLaunchPanel = (target, prefill, location) => panels.launch().show(needSession(), target, prefill, context.extensionUri, log, location);
  context.subscriptions.push(
    command(COMMAND_IDS.launchBackfill, (arg) => launchCommand().launchBackfill(needSession(), arg, showLaunchPanel)),
    command(COMMAND_IDS.openLaunchPanel, (arg) => launchCommand().openLaunchPanel(needSession(), arg, showLaunchPanel)),
    command(COMMAND_IDS.showBackfills, () => {
      panels.overview().show(needSession(), context.extensionUri, log);
    }),
    command(COMMAND_IDS.showPartitions, (arg) => panels.partitions() && onDemand().showPartitions(needSession(), arg, context.extensionUri, log)),
    command(COMMAND_IDS.openRunLog, (arg) => onDemand().openRunLog(needSession(), arg)),
    command(COMMAND_IDS.resumeBackfill, (arg) => rerunBackfill(needSession(), arg, 'resume')),
    command(COMMAND_IDS.reexecuteBackfill, (arg) => rerunBackfill(needSession(), arg, 'all')),
    command(COMMAND_IDS.reexecuteBackfillFromFailure, (arg) => rerunBackfill(needSession(), arg, 'fromFailure')),
    command(COMMAND_IDS.selectPythonInterpreter, (arg) => onDemand().selectPythonInterpreter(folder, arg)),
    command(COMMAND_IDS.goToDefinition, (arg) => {
      const d = DefinitionsTreeProvider.definitionOf(arg);
      if (!d) throw new Error('Go to Definition works on a definition in the Definitions view.');
      return vscode.commands.executeCommand('vscode.open', ...DefinitionsTreeProvider.openArguments(needSession().folder, d));
    }),
    command(COMMAND_IDS.filterBackfills, async (arg) => {
      const tree = api.backfillsTree;
      if (!tree || !backfillsView) throw new Error('Open a folder to use Backfill Studio.');
      const label = typeof arg === 'string' ? arg : await vscode.window.showQuickPick(BACKFILL_FILTERS.map((f) => f.label), { title: 'Show backfills' });
      if (label === undefined) return undefined;
      backfillsView.description = tree.setFilter(label) || undefined;
      return label;
    }),
    command(COMMAND_IDS.refreshDefinitions, async () => {
      const s = await needSession().refresh();
      return { assets: s.assets.length, jobs: s.jobs.length, commandTargets: s.commandTargets.length, diagnostics: s.diagnostics.length };
    }),
    command(COMMAND_IDS.showBackfillDetails, async (arg) => {
      const s = needSession();
      const id = await backfillIdOf(s, arg, false);
      if (id) panels.details().show(s, id, context.extensionUri, log);
      return id;
    }),
    command(COMMAND_IDS.cancelBackfill, async (arg) => {
      // Canceling an orphan adopts it: its stored processes are signalled and the runner asked what materialized.
      if (refusedUntrusted()) return undefined;
      const s = needSession();
      const id = await backfillIdOf(s, arg, true);
      if (!id) return undefined;
      // Wherever it runs: here, in another window or a terminal's CLI (asked through the state file), or ended here if its process died.
      const route = await s.workspace.cancel(id);
      if (route === 'owner') void vscode.window.showInformationMessage(`Asked the process running backfill ${id} to cancel it.`);
      return route;
    }),
    command(COMMAND_IDS.pauseBackfill, async (arg) => {
      if (refusedUntrusted()) return undefined;
      const s = needSession();
      const id = await backfillIdOf(s, arg, true, 'Pause Backfill');
      if (!id) return undefined;
      return s.workspace.pause(id);
    }),
    { dispose: () => panels.disposeLoaded() },
  );
  api.activationMs = performance.now() - started;
  api.codeLoadingMs = codeLoadingMs(context.extension.id);
  const loading = api.codeLoadingMs === undefined ? 'not marked by this host' : `${api.codeLoadingMs} ms`;
  const evaluation = moduleEvaluationMs();
  log.info(`activated: activate() took ${api.activationMs.toFixed(1)} ms; loading the extension's code took ${loading} (VS Code's marks)` +
    `${evaluation === undefined ? '' : `, of which running the bundle's top-level code ${evaluation.toFixed(1)} ms`}`);
  return api;
}

/** A backfill id from a command argument (string or Backfills tree node), else asked with a quick pick. */
async function backfillIdOf(session: WorkspaceSession, arg: unknown, activeOnly: boolean, title = activeOnly ? 'Cancel Backfill' : 'Show Backfill Details'): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'backfill') {
    return (arg as { backfill: { id: string } }).backfill.id;
  }
  const { store } = await session.engine();
  const candidates = store.listBackfills().filter((b) => !activeOnly || !TERMINAL_BACKFILL_STATUSES.has(b.status));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(activeOnly ? 'No backfill is running.' : 'No backfills yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((b) => ({ label: b.id, description: `${b.status} · ${b.targets.join(', ')} · ${b.selection}` })),
    { title },
  );
  return picked?.label;
}

/** Resume (launch what a backfill never launched) or re-execute (a new, linked backfill), then follow it. */
async function rerunBackfill(session: WorkspaceSession, arg: unknown, how: 'resume' | 'all' | 'fromFailure'): Promise<string | undefined> {
  if (refusedUntrusted()) return undefined;
  const id = await backfillIdOf(session, arg, false);
  if (!id) return undefined;
  const record = how === 'resume' ? await session.workspace.resume(id) : await session.workspace.reexecute(id, how === 'fromFailure');
  void launchCommand().followProgress(session, record.id);
  return record.id;
}

/** In an untrusted workspace: says why (as Launch does) and returns true; the engine refuses these too. */
function refusedUntrusted(): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(UNTRUSTED_WORKSPACE_EXPLANATION);
  return true;
}

/** The panel classes, each required on first use; disposeLoaded() closes the panels of those that were. */
function lazyPanels() {
  const loaded = new Set<{ disposeAll(): void }>();
  const load = <T extends { disposeAll(): void }>(get: () => T) => (): T => {
    const panel = get();
    loaded.add(panel);
    return panel;
  };
  return {
    details: load(() => onDemand().BackfillDetailsPanel),
    launch: load(() => onDemand().LaunchPanel),
    partitions: load(() => onDemand().PartitionsPanel),
    overview: load(() => onDemand().BackfillsOverviewPanel),
    disposeLoaded: () => loaded.forEach((p) => p.disposeAll()),
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
