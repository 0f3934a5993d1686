// The Definitions view: assets, jobs and command targets grouped by kind, with their partitions.
import * as vscode from 'vscode';
import { definitionName, type Definition, type DefinitionsSnapshot } from '../core/definitions/definition';
import type { WorkspaceSession } from './workspaceSession';

type Node = { kind: 'group'; label: string; items: Definition[] } | { kind: 'definition'; definition: Definition };

const GROUPS: { label: string; pick: (s: DefinitionsSnapshot) => Definition[] }[] = [
  { label: 'Assets', pick: (s) => s.assets },
  { label: 'Jobs', pick: (s) => s.jobs },
  { label: 'Command targets', pick: (s) => s.commandTargets },
];

export function partitionsSummary(d: Definition, now: Date): string {
  if (!d.partitions) return 'unpartitioned';
  // The count comes first: it is what a narrow sidebar should still show.
  return `${d.partitions.count(now).toLocaleString('en-US')} partitions · ${d.partitions.describe()}`;
}

export class DefinitionsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: WorkspaceSession) {
    this.subscription = session.onDidChangeDefinitions(() => this.changed.fire());
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'definition') return [];
    if (node?.kind === 'group') return node.items.map((definition) => ({ kind: 'definition', definition }));
    const s = await this.session.definitions();
    const groups = GROUPS.map((g) => ({ kind: 'group' as const, label: g.label, items: g.pick(s) })).filter((g) => g.items.length > 0);
    // The welcome view explains an empty tree; which explanation depends on why it is empty.
    const state = groups.length > 0 ? 'found' : (await hasPythonFiles(this.session.folder)) ? 'noDefinitions' : 'noPython';
    void vscode.commands.executeCommand('setContext', 'backfillStudio.definitionsState', state);
    return groups;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = String(node.items.length);
      item.contextValue = 'group';
      return item;
    }
    const d = node.definition;
    const item = new vscode.TreeItem(definitionName(d), vscode.TreeItemCollapsibleState.None);
    item.id = `${d.kind}:${definitionName(d)}`;
    item.description = partitionsSummary(d, this.session.workspace.clock.now());
    item.iconPath = new vscode.ThemeIcon(d.kind === 'asset' ? 'database' : d.kind === 'job' ? 'server-process' : 'terminal');
    item.contextValue = `definition.${d.kind}`;
    const uri = vscode.Uri.joinPath(this.session.folder.uri, d.location.file);
    item.tooltip = new vscode.MarkdownString(`**${definitionName(d)}** (${d.kind})\n\n${partitionsSummary(d, new Date())}\n\n${d.location.file}:${d.location.line}`);
    item.command = {
      command: 'vscode.open',
      title: 'Go to Definition',
      arguments: [uri, { selection: new vscode.Range(d.location.line - 1, 0, d.location.line - 1, 0) }],
    };
    return item;
  }

  /** The definition a context-menu command was invoked on. */
  static definitionOf(node: unknown): Definition | undefined {
    return typeof node === 'object' && node !== null && (node as Node).kind === 'definition' ? (node as { definition: Definition }).definition : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

async function hasPythonFiles(folder: vscode.WorkspaceFolder): Promise<boolean> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.py'), '**/{node_modules,.venv,venv,.git}/**', 1);
  return found.length > 0;
}
