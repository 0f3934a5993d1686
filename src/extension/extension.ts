// Composition root: builds the folders' sessions, views, code lenses and commands; no scanning here.
import * as vscode from 'vscode';
import { codeLoadingMs, moduleEvaluationMs } from './activationTiming';
import { UNTRUSTED_WORKSPACE_EXPLANATION } from '../core/backfill/workspaceTrust';
import { BACKFILL_FILTERS, BackfillsTreeProvider } from './backfillsTreeProvider';
import type { CommandTargets } from './commandTargets';
import { COMMAND_IDS, VIEW_IDS } from './commandIds';
import { CODE_LENS_SELECTOR, DefinitionCodeLensProvider } from './definitionCodeLensProvider';
import { DefinitionsTreeProvider, type DefinitionsNode } from './definitionsTreeProvider';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import type { OpenLaunchPanel } from './launchBackfillCommand';
import { RUN_LOG_SCHEME, RunLogDocumentProvider } from './runLogDocumentProvider';
import { registerPanelSerializers } from './panelSerializers';
import type { PythonEnvironmentLabel } from './pythonEnvironmentLabel';
import { PythonEnvironmentStatusBar } from './pythonEnvironmentStatusBar';
import { RunningBackfillsStatusBar } from './runningBackfillsStatusBar';
import { statusLensesVisible } from './statusViewVisibility';
import { statusSourceMessage } from './statusSourceText';
import type { WorkspaceSession } from './workspaceSession';
import { WorkspaceSessions } from './workspaceSessions';

// Code only a command or a panel needs is a second bundle (dist/onDemand.js, see esbuild.mjs), required when
// first used: activation neither parses nor runs it.
const onDemand = () => require('./onDemand.js') as typeof import('./onDemand');
const launchCommand = () => onDemand().launchBackfillCommand;
const panels = lazyPanels();
/** A backfill the last window left running waits this long after activation, so the window's own startup goes first. */
const ADOPTION_DELAY_MS = 2000;

/** What activate() returns: used by the integration tests and open to other extensions. */
export interface BackfillStudioApi {
  /** The first folder's session (a one-folder workspace's only one). */
  session(): WorkspaceSession | undefined;
  /** Every folder's session, in the workspace's folder order. */
  sessions(): WorkspaceSession[];
  /** The session serving the folder that holds `uri`. */
  sessionOf(uri: vscode.Uri): WorkspaceSession | undefined;
  definitionsTree: DefinitionsTreeProvider | undefined;
  backfillsTree: BackfillsTreeProvider | undefined;
  /** Milliseconds activate() took. */
  activationMs: number;
  /** The require of this bundle alone, from VS Code's own marks; see activationTiming.ts. */
  codeLoadingMs?: number | undefined;
  /** What the interpreter status bar item shows (undefined while hidden: no folder has Dagster definitions). */
  pythonStatus(): PythonEnvironmentLabel | undefined;
  /** The folder VS Code writes this extension's logs to (the Output channel's file is in it). */
  logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): BackfillStudioApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Backfill Studio', { log: true });
  context.subscriptions.push(log);
  // One session per workspace folder, each lazy: nothing is scanned or loaded for a folder until something asks.
  const sessions = new WorkspaceSessions(context.extensionUri, log, context.secrets);
  const definitionsTree = new DefinitionsTreeProvider(sessions);
  // Remote backfills shown unsettled are followed (their deployment polled) only while the view is visible.
  const backfillsTree = new BackfillsTreeProvider(sessions, (shown) => onDemand().followRemoteBackfills(shown, log));
  const codeLenses = new DefinitionCodeLensProvider(sessions);
  const runLogs = new RunLogDocumentProvider(sessions);
  const pythonStatusBar = new PythonEnvironmentStatusBar(sessions);
  const backfillsView = vscode.window.createTreeView(VIEW_IDS.backfills, { treeDataProvider: backfillsTree });
  const definitionsView = vscode.window.createTreeView(VIEW_IDS.definitions, { treeDataProvider: definitionsTree, showCollapseAll: true });
  const api: BackfillStudioApi = {
    session: () => sessions.all[0],
    sessions: () => sessions.all,
    sessionOf: (uri) => sessions.of(uri),
    definitionsTree,
    backfillsTree,
    activationMs: 0,
    pythonStatus: () => pythonStatusBar.label,
    logUri: context.logUri,
  };
  // Which folder a command means: only commands need it, so it is in the on-demand bundle.
  let targets: CommandTargets | undefined;
  const commandTargets = (): CommandTargets => (targets ??= new (onDemand().CommandTargets)(sessions));
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
  // Said once, where the counts are: why they are the project's runs alone when a folder has Dagster code.
  const statusMessages = new Map<WorkspaceSession, string | undefined>();
  const showStatusMessage = () => {
    const said = sessions.all.map((s) => [s, statusMessages.get(s)] as const).find(([, m]) => m !== undefined);
    definitionsView.message = said && (sessions.several ? `${said[0].folder.name}: ${said[1]}` : said[1]);
  };

  backfillsTree.setVisible(backfillsView.visible);
  context.subscriptions.push(
    backfillsView.onDidChangeVisibility((e) => backfillsTree.setVisible(e.visible)),
    sessions,
    definitionsTree,
    backfillsTree,
    definitionsView,
    backfillsView,
    codeLenses,
    vscode.languages.registerCodeLensProvider(CODE_LENS_SELECTOR, codeLenses),
    runLogs,
    vscode.workspace.registerTextDocumentContentProvider(RUN_LOG_SCHEME, runLogs),
    new RunningBackfillsStatusBar(sessions),
    pythonStatusBar,
    sessions.onDidChangeStatusSource(({ session, source }) => {
      statusMessages.set(session, statusSourceMessage(source, vscode.workspace.isTrusted));
      showStatusMessage();
    }),
    sessions.onDidChangeFolders(showStatusMessage),
  );
  // What each folder's session gets, disposed with it when its folder leaves the workspace.
  sessions.start((session) => {
    session.adoptOrphansSoon(ADOPTION_DELAY_MS);
    const inFolder = (editors: readonly vscode.TextEditor[]) => statusLensesVisible(editors.filter((e) => sessions.of(e.document.uri) === session));
    return [
      new DiagnosticsPublisher(session),
      // Views that show statuses: Dagster's are polled only while one of them is on screen.
      session.statusViews.follow('definitions', definitionsView.visible, (listener) => definitionsView.onDidChangeVisibility((e) => listener(e.visible))),
      session.statusViews.follow('lenses', inFolder(vscode.window.visibleTextEditors), (listener) =>
        vscode.window.onDidChangeVisibleTextEditors((editors) => listener(inFolder(editors)))),
      pythonStatusBar.follow(session),
      { dispose: () => statusMessages.delete(session) },
    ];
  });

  // Panels open before a window reload come back; their classes load only when one does.
  context.subscriptions.push(registerPanelSerializers(sessions, panels, context.extensionUri, log));

  const showDetails = (session: WorkspaceSession, backfillId: string): void => void panels.details().show(session, backfillId, context.extensionUri, log);
  const showLaunchPanel = (session: WorkspaceSession): OpenLaunchPanel => (target, prefill, location) =>
    panels.launch().show(session, target, prefill, context.extensionUri, log, location);
  context.subscriptions.push(
    command(COMMAND_IDS.launchBackfill, async (arg) => {
      const s = await commandTargets().sessionFor(arg, 'Launch Backfill');
      return s && launchCommand().launchBackfill(s, arg, showLaunchPanel(s));
    }),
    command(COMMAND_IDS.openLaunchPanel, async (arg) => {
      const s = await commandTargets().sessionFor(arg, 'Open Launch Panel');
      return s && launchCommand().openLaunchPanel(s, arg, showLaunchPanel(s));
    }),
    command(COMMAND_IDS.showBackfills, async (arg) => {
      const s = await commandTargets().sessionFor(arg, 'Show Backfills');
      if (s) panels.overview().show(s, context.extensionUri, log);
    }),
    command(COMMAND_IDS.showPartitions, async (arg) => {
      const s = await commandTargets().sessionFor(arg, 'Show Partitions');
      return s && panels.partitions() && onDemand().showPartitions(s, arg, context.extensionUri, log);
    }),
    command(COMMAND_IDS.openRunLog, async (arg) => {
      const s = typeof arg === 'string' ? await commandTargets().sessionOfRun(arg, 'Open Run Log') : await commandTargets().sessionFor(arg, 'Open Run Log');
      return s && onDemand().openRunLog(s, arg);
    }),
    command(COMMAND_IDS.resumeBackfill, (arg) => rerunBackfill(commandTargets(), arg, 'resume', showDetails)),
    command(COMMAND_IDS.reexecuteBackfill, (arg) => rerunBackfill(commandTargets(), arg, 'all', showDetails)),
    command(COMMAND_IDS.reexecuteBackfillFromFailure, (arg) => rerunBackfill(commandTargets(), arg, 'fromFailure', showDetails)),
    command(COMMAND_IDS.selectPythonInterpreter, async (arg) => {
      const s = sessions.all.length === 0 ? undefined : await sessions.pick('Select Python Interpreter');
      if (sessions.all.length > 0 && !s) return undefined;
      return onDemand().selectPythonInterpreter(s?.folder, arg);
    }),
    command(COMMAND_IDS.addDeployment, async (arg) => {
      const s = await commandTargets().sessionFor(arg, 'Add Dagster Deployment');
      return s && onDemand().addDagsterDeployment(s, s.deploymentTokens, arg as object | undefined);
    }),
    command(COMMAND_IDS.manageDeploymentToken, async (arg) => {
      const s = await commandTargets().sessionFor(arg, 'Replace or Forget Dagster+ Token');
      return s && onDemand().manageDeploymentToken(s, s.deploymentTokens, arg as object | undefined);
    }),
    command(COMMAND_IDS.goToDefinition, (arg) => {
      const d = DefinitionsTreeProvider.definitionOf(arg);
      if (!d) throw new Error('Go to Definition works on a definition in the Definitions view.');
      return vscode.commands.executeCommand('vscode.open', ...DefinitionsTreeProvider.openArguments((arg as DefinitionsNode).session.folder, d));
    }),
    command(COMMAND_IDS.filterBackfills, async (arg) => {
      const label = typeof arg === 'string' ? arg : await vscode.window.showQuickPick(BACKFILL_FILTERS.map((f) => f.label), { title: 'Show backfills' });
      if (label === undefined) return undefined;
      backfillsView.description = backfillsTree.setFilter(label) || undefined;
      return label;
    }),
    command(COMMAND_IDS.refreshDefinitions, async () => {
      if (sessions.all.length === 0) throw new Error('Open a folder to use Backfill Studio.');
      const all = await Promise.all(sessions.all.map((s) => s.refresh()));
      const sum = (count: (s: (typeof all)[number]) => number) => all.reduce((total, s) => total + count(s), 0);
      return { assets: sum((s) => s.assets.length), jobs: sum((s) => s.jobs.length), commandTargets: sum((s) => s.commandTargets.length), diagnostics: sum((s) => s.diagnostics.length) };
    }),
    command(COMMAND_IDS.showBackfillDetails, async (arg) => {
      const found = await commandTargets().backfillOf(arg, { activeOnly: false, title: 'Show Backfill Details' });
      if (found) panels.details().show(found.session, found.id, context.extensionUri, log);
      return found?.id;
    }),
    command(COMMAND_IDS.cancelBackfill, async (arg) => {
      // Canceling an orphan adopts it: its stored processes are signalled and the runner asked what materialized.
      if (refusedUntrusted()) return undefined;
      const found = await commandTargets().backfillOf(arg, { activeOnly: true, title: 'Cancel Backfill' });
      if (!found) return undefined;
      // On a Dagster deployment: asked there (cancelPartitionBackfill).
      if (await runsOnDeployment(found)) {
        await onDemand().cancelRemoteBackfill(found.session, found.id);
        return 'deployment';
      }
      // Wherever it runs: here, in another window or a terminal's CLI (asked through the state file), or ended here if its process died.
      const route = await found.session.workspace.cancel(found.id);
      if (route === 'owner') void vscode.window.showInformationMessage(`Asked the process running backfill ${found.id} to cancel it.`);
      return route;
    }),
    command(COMMAND_IDS.pauseBackfill, async (arg) => {
      if (refusedUntrusted()) return undefined;
      const found = await commandTargets().backfillOf(arg, { activeOnly: true, title: 'Pause Backfill' });
      if (!found) return undefined;
      return found.session.workspace.pause(found.id);
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

/**
 * Resume (launch what a backfill never launched) or re-execute (a new, linked backfill), then follow it. On a Dagster
 * deployment both are the deployment's mutations, and a re-execution's details open (its progress is there).
 */
async function rerunBackfill(targets: CommandTargets, arg: unknown, how: 'resume' | 'all' | 'fromFailure', showDetails: (session: WorkspaceSession, id: string) => void): Promise<string | undefined> {
  if (refusedUntrusted()) return undefined;
  const found = await targets.backfillOf(arg, { activeOnly: false, title: how === 'resume' ? 'Resume Backfill' : 'Re-execute Backfill' });
  if (!found) return undefined;
  const { session, id } = found;
  if (await runsOnDeployment(found)) {
    const record = await onDemand().rerunRemoteBackfill(session, id, how);
    if (how !== 'resume') showDetails(session, record.id);
    return record.id;
  }
  const record = how === 'resume' ? await session.workspace.resume(id) : await session.workspace.reexecute(id, how === 'fromFailure');
  void launchCommand().followProgress(session, record.id);
  return record.id;
}

/** Whether the backfill runs on a Dagster deployment (its record says where), not on this machine. */
async function runsOnDeployment(found: { session: WorkspaceSession; id: string }): Promise<boolean> {
  return (await found.session.engine()).store.getBackfill(found.id)?.remote !== undefined;
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
