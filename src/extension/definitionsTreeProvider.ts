// The Definitions view: assets by code location and asset group, jobs under their code location, command
// targets on their own, each with its partitions and their status counts.
import * as vscode from 'vscode';
import { anyPartitionRan, partitionCountsSummary, partitionStatusCounts, type PartitionStatusCounts } from '../core/backfill/partitionStatusCounts';
import { definitionName, type AssetDefinition, type Definition, type DefinitionsSnapshot, type JobDefinition } from '../core/definitions/definition';
import type { MergedPartitionStatuses } from '../core/status/mergedPartitionStatuses';
import { ambiguousDefinitionNames, codeLocationLabel } from '../core/definitions/ambiguousDefinitionNames';
import { escapeMarkdown } from './escapeMarkdown';
import type { WorkspaceSession } from './workspaceSession';
import type { WorkspaceSessions } from './workspaceSessions';

/** Dagster's name for the group of an asset that names none. */
const DEFAULT_GROUP = 'default';
/** Dagster's name for a workspace without a declared code location; definitions not from discovery land here too. */
const WORKSPACE_LOCATION = 'workspace';

/** Every node names its folder's session: commands on a node act on that folder's engine. */
export type DefinitionsNode =
  | { kind: 'folder'; session: WorkspaceSession }
  | { kind: 'codeLocation'; session: WorkspaceSession; name: string; root: string; assets: AssetDefinition[]; jobs: JobDefinition[] }
  | { kind: 'assetGroup'; session: WorkspaceSession; location: string; group: string; items: AssetDefinition[] }
  | { kind: 'section'; session: WorkspaceSession; section: 'assets' | 'jobs' | 'commandTargets'; location: string; items: Definition[] }
  | { kind: 'definition'; session: WorkspaceSession; definition: Definition; counts: PartitionStatusCounts | undefined };

const n = (x: number) => x.toLocaleString('en-US');
const plural = (count: number, one: string) => `${n(count)} ${one}${count === 1 ? '' : 's'}`;

export function partitionsSummary(d: Definition, now: Date): string {
  if (!d.partitions) return 'unpartitioned';
  // The count comes first: it is what a narrow sidebar should still show.
  return `${n(d.partitions.count(now))} partitions · ${d.partitions.describe()}`;
}

/** Status counts once anything has run, else the partitions summary: what changed first, then what it is. */
export function statusSummary(d: Definition, c: PartitionStatusCounts | undefined, now: Date): string {
  if (!d.partitions || !c || !anyPartitionRan(c)) return partitionsSummary(d, now);
  return `${partitionCountsSummary(c)} · ${d.partitions.describe()}`;
}

/**
 * The children of a code location: one node per asset group, except that assets all in Dagster's default
 * group (the usual case when a project names no groups) sit directly under "Assets"; then its jobs.
 */
function locationChildren(session: WorkspaceSession, location: string, assets: AssetDefinition[], jobs: JobDefinition[]): DefinitionsNode[] {
  const groups = new Map<string, AssetDefinition[]>();
  for (const a of assets) groups.set(a.group, [...(groups.get(a.group) ?? []), a]);
  const out: DefinitionsNode[] = [];
  if (groups.size === 1 && groups.has(DEFAULT_GROUP)) out.push({ kind: 'section', session, section: 'assets', location, items: assets });
  else for (const group of [...groups.keys()].sort()) out.push({ kind: 'assetGroup', session, location, group, items: groups.get(group)! });
  if (jobs.length > 0) out.push({ kind: 'section', session, section: 'jobs', location, items: jobs });
  return out;
}

/**
 * The top level of the view. A workspace with one code location (most projects) shows its groups at the top:
 * a single node wrapping everything would only cost a click and a level of indentation.
 */
export function definitionsOutline(s: DefinitionsSnapshot, session: WorkspaceSession): DefinitionsNode[] {
  const locations = new Map<string, { root: string; assets: AssetDefinition[]; jobs: JobDefinition[] }>();
  const at = (d: AssetDefinition | JobDefinition) => {
    const name = d.codeLocation?.name ?? WORKSPACE_LOCATION;
    let l = locations.get(name);
    if (!l) locations.set(name, (l = { root: d.codeLocation?.root ?? '', assets: [], jobs: [] }));
    return l;
  };
  for (const a of s.assets) at(a).assets.push(a);
  for (const j of s.jobs) at(j).jobs.push(j);
  const out: DefinitionsNode[] = [];
  if (locations.size === 1) {
    const [name, l] = [...locations][0]!;
    out.push(...locationChildren(session, name, l.assets, l.jobs));
  } else {
    for (const name of [...locations.keys()].sort()) out.push({ kind: 'codeLocation', session, name, ...locations.get(name)! });
  }
  if (s.commandTargets.length > 0) out.push({ kind: 'section', session, section: 'commandTargets', location: '', items: s.commandTargets });
  return out;
}

const SECTION_LABELS = { assets: 'Assets', jobs: 'Jobs', commandTargets: 'Command targets' } as const;
const KIND_ICONS = { asset: 'database', job: 'server-process', command: 'terminal' } as const;

export class DefinitionsTreeProvider implements vscode.TreeDataProvider<DefinitionsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly sessions: WorkspaceSessions) {
    this.subscriptions = [
      sessions.onDidChangeDefinitions(() => this.changed.fire()),
      sessions.onDidChangeFolders(() => this.changed.fire()),
      // Status counts follow runs; a large backfill finishes many a second, the tree needs a few repaints.
      sessions.onDidChangeBackfills(() => {
        this.pending ??= setTimeout(() => {
          this.pending = undefined;
          this.changed.fire();
        }, 500);
      }),
    ];
  }

  async getChildren(node?: DefinitionsNode): Promise<DefinitionsNode[]> {
    if (!node) {
      // Two or more folders: one node each, holding what one folder alone would show at the top.
      if (this.sessions.several) {
        void vscode.commands.executeCommand('setContext', 'backfillStudio.definitionsState', 'found');
        return this.sessions.all.map((session) => ({ kind: 'folder', session }));
      }
      const session = this.sessions.all[0];
      if (!session) return [];
      const outline = definitionsOutline(await session.definitions(), session);
      // The welcome view explains an empty tree; which explanation depends on why it is empty.
      const state = outline.length > 0 ? 'found' : (await hasPythonFiles(session.folder)) ? 'noDefinitions' : 'noPython';
      void vscode.commands.executeCommand('setContext', 'backfillStudio.definitionsState', state);
      return outline;
    }
    if (node.kind === 'definition') return [];
    if (node.kind === 'folder') return definitionsOutline(await node.session.definitions(), node.session);
    if (node.kind === 'codeLocation') return locationChildren(node.session, node.name, node.assets, node.jobs);
    const session = node.session;
    const statuses = await statusesOf(session);
    const now = session.workspace.clock.now();
    return node.items.map((definition) => ({
      kind: 'definition',
      session,
      definition,
      counts: statuses && definition.partitions ? partitionStatusCounts(definition.partitions, statuses.partitionStatuses(definitionName(definition)), now) : undefined,
    }));
  }

  getTreeItem(node: DefinitionsNode): vscode.TreeItem {
    const item = this.treeItem(node);
    // Ids are unique per tree: with several folders the same code location or key may be in two of them.
    if (this.sessions.several && item.id !== undefined && node.kind !== 'folder') item.id = `${node.session.folder.uri.toString()}|${item.id}`;
    return item;
  }

  private treeItem(node: DefinitionsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.session.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `folder:${node.session.folder.uri.toString()}`;
        const s = node.session.engineLoaded ? node.session.workspace.definitions : undefined;
        if (s) item.description = folderSummary(s);
        item.iconPath = new vscode.ThemeIcon('root-folder');
        item.contextValue = 'workspaceFolder';
        item.tooltip = `Workspace folder ${node.session.folder.name} (${node.session.folder.uri.fsPath})`;
        return item;
      }
      case 'codeLocation': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `codeLocation:${node.name}`;
        // The root folder is usually the location's own name: it goes in the tooltip, not beside the name again.
        item.description = [plural(node.assets.length, 'asset'), ...(node.jobs.length ? [plural(node.jobs.length, 'job')] : [])].join(' · ');
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'codeLocation';
        item.tooltip = `Code location ${node.name}, loaded from ${node.root ? `${node.root}/` : 'the workspace root'}`;
        return item;
      }
      case 'assetGroup': {
        const item = new vscode.TreeItem(node.group, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `assetGroup:${node.location}:${node.group}`;
        item.description = String(node.items.length);
        item.iconPath = new vscode.ThemeIcon('layers');
        item.contextValue = 'assetGroup';
        item.tooltip = `Asset group ${node.group} in code location ${node.location}`;
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(SECTION_LABELS[node.section], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `section:${node.location}:${node.section}`;
        item.description = String(node.items.length);
        item.contextValue = node.section;
        // Every grouping row has an icon, so labels line up whatever the mix of rows at a level.
        item.iconPath = new vscode.ThemeIcon('layers');
        item.tooltip = node.section === 'commandTargets' ? 'Partitioned commands declared in backfills.yaml' : `${SECTION_LABELS[node.section]} of code location ${node.location}`;
        return item;
      }
      case 'definition':
        return definitionItem(node.session, node.definition, node.counts);
    }
  }

  /** `vscode.open` arguments that put the cursor on a definition's line. */
  static openArguments(folder: vscode.WorkspaceFolder, d: Definition): [vscode.Uri, vscode.TextDocumentShowOptions] {
    const line = Math.max(d.location.line - 1, 0);
    return [vscode.Uri.joinPath(folder.uri, d.location.file), { selection: new vscode.Range(line, 0, line, 0) }];
  }

  /** The definition a context-menu command was invoked on. */
  static definitionOf(node: unknown): Definition | undefined {
    return typeof node === 'object' && node !== null && (node as DefinitionsNode).kind === 'definition' ? (node as { definition: Definition }).definition : undefined;
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/** The merged statuses for the counts; a store that cannot be read leaves the counts out rather than the tree. */
async function statusesOf(session: WorkspaceSession): Promise<MergedPartitionStatuses | undefined> {
  try {
    return (await session.engine()).statuses;
  } catch {
    return undefined; // the Backfills view reports the store's problem
  }
}

function definitionItem(session: WorkspaceSession, d: Definition, c: PartitionStatusCounts | undefined): vscode.TreeItem {
  const name = definitionName(d);
  const now = session.workspace.clock.now();
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
  item.id = `${d.kind}:${d.kind === 'command' ? '' : (d.codeLocation?.name ?? WORKSPACE_LOCATION)}:${name}`;
  // A key two code locations define says which one this is (the tree shows both).
  const snapshot = session.workspace.definitions;
  const where = d.kind !== 'command' && snapshot !== undefined && ambiguousDefinitionNames(snapshot).has(name) ? codeLocationLabel(d) : undefined;
  item.description = where !== undefined ? `${where} · ${statusSummary(d, c, now)}` : statusSummary(d, c, now);
  // Dagster's colours: red when a partition failed, blue while runs are in progress, green when all are done;
  // canceled partitions are neutral (no colour of their own).
  const color = !c ? undefined : c.failed ? 'charts.red' : c.inProgress ? 'charts.blue' : c.total > 0 && c.materialized === c.total ? 'charts.green' : undefined;
  item.iconPath = new vscode.ThemeIcon(KIND_ICONS[d.kind], color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = `definition.${d.kind}`;
  item.tooltip = definitionTooltip(d, c, now);
  item.command = { command: 'vscode.open', title: 'Go to Definition', arguments: DefinitionsTreeProvider.openArguments(session.folder, d) };
  return item;
}

/**
 * The hover of a definition. Keys, partition keys and paths come from the project, so each is escaped: a key like
 * `[x](command:foo)` must read as itself, never as a link or an image. Not trusted, no HTML.
 */
export function definitionTooltip(d: Definition, c: PartitionStatusCounts | undefined, now: Date): vscode.MarkdownString {
  const lines = [`**${escapeMarkdown(definitionName(d))}** (${d.kind})`, escapeMarkdown(partitionsSummary(d, now))];
  if (c) lines.push(escapeMarkdown(`${n(c.materialized)} materialized · ${n(c.failed)} failed · ${n(c.canceled)} canceled · ${n(c.inProgress)} in progress · ${n(c.missing)} missing`));
  if (d.kind !== 'command' && d.codeLocation) lines.push(`Code location ${escapeMarkdown(codeLocationLabel(d))}`);
  lines.push(escapeMarkdown(`${d.location.file}:${d.location.line}`));
  const tip = new vscode.MarkdownString(lines.join('\n\n'));
  tip.isTrusted = false;
  tip.supportHtml = false;
  return tip;
}

/** A folder node's summary once its definitions are known: what it holds, at a glance. */
function folderSummary(s: DefinitionsSnapshot): string {
  const parts = [
    ...(s.assets.length ? [plural(s.assets.length, 'asset')] : []),
    ...(s.jobs.length ? [plural(s.jobs.length, 'job')] : []),
    ...(s.commandTargets.length ? [plural(s.commandTargets.length, 'command target')] : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : 'nothing to backfill';
}

async function hasPythonFiles(folder: vscode.WorkspaceFolder): Promise<boolean> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.py'), '**/{node_modules,.venv,venv,.git}/**', 1);
  return found.length > 0;
}
