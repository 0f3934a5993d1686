// The Launch Backfill command: from a lens or the tree it opens the launch panel (prefilled with `partitions` when
// given); from the palette or a keybinding it runs the quick-pick flow; with a `selection` it launches directly.
// Every launch here ends in the shared confirmation rule and announcement (launchConfirmation).
import * as vscode from 'vscode';
import { countRuns, endedRuns, type BackfillRecord } from '../core/backfill/backfill';
import { backfillOutcomeMessage, runCountsSummary } from '../core/backfill/runCountsSummary';
import { UNTRUSTED_WORKSPACE_EXPLANATION } from '../core/backfill/workspaceTrust';
import type { ReprocessMode } from '../core/backfill/backfillPlan';
import type { PartitionSelection } from '../core/backfill/planBackfill';
import { ambiguousDefinitionNames, codeLocationLabel } from '../core/definitions/ambiguousDefinitionNames';
import { definitionName, type Definition } from '../core/definitions/definition';
import { COMMAND_IDS, SELECT_PYTHON_INTERPRETER } from './commandIds';
import { DefinitionsTreeProvider, partitionsSummary } from './definitionsTreeProvider';
import { isBackfillPlanError } from './engineModule';
import { announceLaunch, confirmLaunch } from './launchConfirmation';
import { isPartitionsArgument, prefillOfPartitions, type PartitionsArgument } from './panels/launchPrefill';
import type { LaunchFormValues } from '../shared/launchForm';
import type { WorkspaceSession } from './workspaceSession';

/** Opens the launch panel of a target, optionally prefilled. */
export type OpenLaunchPanel = (target: string, prefill: Partial<LaunchFormValues> | undefined, location?: string) => void;

/** Arguments a code lens, a test or another extension may pass instead of answering the prompts. */
export interface LaunchBackfillArgs {
  target?: string;
  /** The code location of `target` when two locations define it (a code lens passes it). */
  location?: string;
  selection?: PartitionSelection;
  /** Which stored statuses run again; with `selection` given and this left out: all. */
  reprocess?: ReprocessMode;
  /** false skips the confirmation dialog (the plan is still computed and validated). */
  confirm?: boolean;
  /** Partitions to prefill the launch panel with (a brush selection, say): selection text, keys or {from, to}. */
  partitions?: PartitionsArgument;
}

function argsOf(raw: unknown): LaunchBackfillArgs {
  const fromTree = DefinitionsTreeProvider.definitionOf(raw);
  if (fromTree) return { target: definitionName(fromTree), ...(fromTree.kind !== 'command' && fromTree.codeLocation ? { location: fromTree.codeLocation.name } : {}) };
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const out: LaunchBackfillArgs = {};
  if (typeof r.target === 'string') out.target = r.target;
  if (typeof r.location === 'string') out.location = r.location;
  if (typeof r.selection === 'object' && r.selection !== null) out.selection = r.selection as PartitionSelection;
  if (r.reprocess === 'all' || r.reprocess === 'missing' || r.reprocess === 'failed-and-missing') out.reprocess = r.reprocess;
  if (r.confirm === false) out.confirm = false;
  if (r.partitions !== undefined) {
    if (!isPartitionsArgument(r.partitions)) throw new Error('launchBackfill: partitions must be selection text, an array of keys or {from, to}');
    out.partitions = r.partitions;
  }
  return out;
}

async function pickTarget(session: WorkspaceSession): Promise<Definition | undefined> {
  const s = await session.definitions();
  const now = session.workspace.clock.now();
  const all = [...s.commandTargets, ...s.assets, ...s.jobs].filter((d) => d.partitions);
  if (all.length === 0) {
    void vscode.window.showWarningMessage('Backfill Studio found no partitioned assets, jobs or command targets in this workspace.');
    return undefined;
  }
  // A key two code locations define is listed once per location, each saying which.
  const ambiguous = ambiguousDefinitionNames(s);
  const place = (d: Definition) => (d.kind !== 'command' && ambiguous.has(definitionName(d)) ? ` · ${codeLocationLabel(d)}` : '');
  const picked = await vscode.window.showQuickPick(
    all.map((d) => ({ label: definitionName(d), description: `${d.kind}${place(d)}`, detail: partitionsSummary(d, now), d })),
    { title: 'Launch Backfill: choose what to backfill', matchOnDetail: true },
  );
  return picked?.d;
}

/** Airflow's three behaviours with Dagster's names: every selected partition, or only those not yet done. */
async function pickReprocess(): Promise<ReprocessMode | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      // Missing only comes first (Enter takes it), as the launch panel opens on it: the safe choice is the default one.
      { label: 'Missing only', description: 'skip materialized and failed partitions', mode: 'missing' as const },
      { label: 'Failed and missing', description: 'skip materialized partitions', mode: 'failed-and-missing' as const },
      { label: 'All selected partitions', description: 'run every one again, materialized or not', mode: 'all' as const },
    ],
    { title: 'Launch Backfill: which partitions run again' },
  );
  return picked?.mode;
}

async function pickSelection(d: Definition, now: Date): Promise<PartitionSelection | undefined> {
  const partitions = d.partitions!;
  const keys = partitions.keys(now);
  if (keys.length === 0) {
    void vscode.window.showWarningMessage(`${definitionName(d)} has no partitions yet (${partitions.describe()}).`);
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(
    [
      { label: `All partitions`, description: `${keys.length.toLocaleString('en-US')} partitions, ${keys[0]}...${keys[keys.length - 1]}`, pick: 'all' as const },
      { label: 'Range…', description: 'first...last, both included', pick: 'range' as const },
      { label: 'Latest N…', description: 'the most recent partitions', pick: 'latest' as const },
      { label: 'List…', description: 'comma-separated keys', pick: 'list' as const },
    ],
    { title: `Launch Backfill: partitions of ${definitionName(d)}` },
  );
  if (!choice) return undefined;
  if (choice.pick === 'all') return { kind: 'all' };
  if (choice.pick === 'latest') {
    const n = await vscode.window.showInputBox({
      title: 'Latest N partitions',
      value: '7',
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= keys.length ? undefined : `a whole number from 1 to ${keys.length}`),
    });
    return n === undefined ? undefined : { kind: 'list', keys: keys.slice(keys.length - Number(n)) };
  }
  if (choice.pick === 'range') {
    const text = await vscode.window.showInputBox({
      title: 'Partition range',
      value: `${keys[Math.max(0, keys.length - 7)]}...${keys[keys.length - 1]}`,
      validateInput: (v) => {
        const [from, to, extra] = v.split('...');
        if (!from || !to || extra !== undefined) return 'write the range as first...last';
        try {
          partitions.keysInRange(from.trim(), to.trim(), now);
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
    if (text === undefined) return undefined;
    const [from, to] = text.split('...');
    return { kind: 'range', from: from!.trim(), to: to!.trim() };
  }
  const list = await vscode.window.showInputBox({
    title: 'Partition keys',
    placeHolder: keys.slice(-2).join(','),
    validateInput: (v) => {
      const bad = v.split(',').map((k) => k.trim()).filter((k) => !partitions.hasKey(k, now));
      return bad.length ? `not partitions of ${definitionName(d)}: ${bad.slice(0, 3).join(', ')}` : undefined;
    },
  });
  return list === undefined ? undefined : { kind: 'list', keys: list.split(',').map((k) => k.trim()) };
}

/**
 * A target without a selection (a lens, the tree, a brush selection) means the user wants to look before launching:
 * the panel shows the plan live. The palette and keybindings keep the quick picks, which never leave the keyboard;
 * "Open Launch Panel" is the palette's way to the panel.
 */
export async function launchBackfill(session: WorkspaceSession, raw: unknown, openPanel: OpenLaunchPanel): Promise<string | undefined> {
  const args = argsOf(raw);
  if (args.target && !args.selection) {
    await openLaunchPanel(session, raw, openPanel);
    return undefined;
  }
  return launchWithQuickPicks(session, args);
}

/** Opens the launch panel for the argument's target, or a target picked from the partitioned ones. */
export async function openLaunchPanel(session: WorkspaceSession, raw: unknown, openPanel: OpenLaunchPanel): Promise<string | undefined> {
  const args = argsOf(raw);
  await session.definitions();
  const definition = args.target ? session.workspace.findTargets([args.target], args.location)[0]! : await pickTarget(session);
  if (!definition) return undefined;
  const location = chosenLocation(session, definition, args.location);
  const keys = args.partitions !== undefined && definition.partitions ? definition.partitions.keys(session.workspace.clock.now()) : [];
  openPanel(definitionName(definition), args.partitions !== undefined ? prefillOfPartitions(args.partitions, keys) : undefined, location);
  return definitionName(definition);
}

/** Returns the launched backfill's id, or undefined when the user stopped or the launch was refused. */
async function launchWithQuickPicks(session: WorkspaceSession, args: LaunchBackfillArgs): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(UNTRUSTED_WORKSPACE_EXPLANATION);
    return undefined;
  }
  await session.definitions();
  try {
    const definition = args.target ? session.workspace.findTargets([args.target], args.location)[0]! : await pickTarget(session);
    if (!definition) return undefined;
    const selection = args.selection ?? (await pickSelection(definition, session.workspace.clock.now()));
    if (!selection) return undefined;
    const reprocess = args.reprocess ?? (args.selection ? 'all' : await pickReprocess());
    if (!reprocess) return undefined;
    const location = chosenLocation(session, definition, args.location);
    const plan = await session.workspace.planRequest({ targets: [definitionName(definition)], selection, reprocess, ...(location !== undefined ? { location } : {}) });
    if (args.confirm !== false && !(await confirmLaunch(session, plan))) return undefined;
    const record = await session.workspace.launch(plan);
    announceLaunch(session, record, plan);
    void followOutcome(session, record.id);
    return record.id;
  } catch (e) {
    if (isBackfillPlanError(e)) {
      void vscode.window.showErrorMessage(`Backfill not launched: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}

/** A launched backfill: its details panel already shows progress, so only the outcome is reported, when it ends. */
export async function followOutcome(session: WorkspaceSession, backfillId: string): Promise<void> {
  const { daemon } = await session.engine();
  await reportOutcome(session, backfillId, await daemon.whenDone(backfillId));
}

/** Resume and re-execute: a cancellable progress notification while it runs, then the outcome. */
export async function followProgress(session: WorkspaceSession, backfillId: string): Promise<void> {
  const { daemon, store } = await session.engine();
  const final = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Backfill ${backfillId}`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => daemon.cancel(backfillId));
      let reported = 0;
      const sub = daemon.onDidChange((e) => {
        if (e.backfillId !== backfillId) return;
        const c = countRuns(store.listRuns(backfillId));
        const done = endedRuns(c);
        progress.report({ message: runCountsSummary(c), increment: ((done - reported) / Math.max(c.total, 1)) * 100 });
        reported = done;
      });
      try {
        return await daemon.whenDone(backfillId);
      } finally {
        sub.dispose();
      }
    },
  );
  await reportOutcome(session, backfillId, final);
}

async function reportOutcome(session: WorkspaceSession, backfillId: string, final: BackfillRecord): Promise<void> {
  const { store } = await session.engine();
  const runs = store.listRuns(backfillId);
  const c = countRuns(runs);
  // The runner names the interpreter when it cannot import dagster; that failure has one fix, offered as a button.
  // The preflight finds it before any run (the backfill's own error); a run can still meet it (an interpreter changed since).
  const noDagster = [final.error, ...runs.filter((r) => r.status === 'FAILURE').map((r) => r.error)]
    .find((e) => /cannot import dagster|dagster is not importable|no module named .?dagster|runner supports Dagster/i.test(e ?? ''));
  if (noDagster) {
    const pick = await vscode.window.showErrorMessage(`Backfill ${backfillId}: ${noDagster}`, SELECT_PYTHON_INTERPRETER);
    if (pick) await vscode.commands.executeCommand(COMMAND_IDS.selectPythonInterpreter);
    return;
  }
  if (final.error) {
    // Nothing was launched: the one reason, not a count of runs.
    if ((await vscode.window.showErrorMessage(`Backfill ${backfillId} failed before launching: ${final.error}`, 'Show Details')) === 'Show Details') {
      await vscode.commands.executeCommand(COMMAND_IDS.showBackfillDetails, backfillId);
    }
    return;
  }
  const message = backfillOutcomeMessage(final, c);
  const show = final.status === 'COMPLETED_SUCCESS' ? vscode.window.showInformationMessage(message, 'Show Details') : vscode.window.showWarningMessage(message, 'Show Details');
  if ((await show) === 'Show Details') await vscode.commands.executeCommand(COMMAND_IDS.showBackfillDetails, backfillId);
}

/** The code location a launch names: the one asked for, else the picked definition's when its name is ambiguous. */
function chosenLocation(session: WorkspaceSession, d: Definition, asked: string | undefined): string | undefined {
  if (d.kind === 'command') return undefined;
  if (asked !== undefined) return asked;
  const s = session.workspace.definitions;
  return s && ambiguousDefinitionNames(s).has(definitionName(d)) ? d.codeLocation?.name : undefined;
}
