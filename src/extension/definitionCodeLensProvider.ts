// Code lenses above asset and job definitions (Python) and command targets (backfills.yaml), from the index.
import * as vscode from 'vscode';
import { definitionName, type Definition } from '../core/definitions/definition';
import { COMMAND_IDS } from './commandIds';
import { partitionsSummary } from './definitionsTreeProvider';
import type { WorkspaceSession } from './workspaceSession';

export const CODE_LENS_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { pattern: '**/backfills.yaml', scheme: 'file' },
];

export class DefinitionCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: WorkspaceSession) {
    this.subscription = session.onDidChangeDefinitions(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const rel = vscode.workspace.asRelativePath(document.uri, false).split('\\').join('/');
    const s = await this.session.definitions();
    const inFile: Definition[] = [...s.assets, ...s.jobs, ...s.commandTargets].filter((d) => d.location.file === rel);
    const now = this.session.workspace.clock.now();
    return inFile.flatMap((d) => {
      const line = Math.min(Math.max(d.location.line - 1, 0), document.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const name = definitionName(d);
      const lenses = [];
      if (d.partitions) {
        lenses.push(new vscode.CodeLens(range, { title: '$(play) Launch Backfill', command: COMMAND_IDS.launchBackfill, arguments: [{ target: name }], tooltip: `Backfill ${name}` }));
      }
      lenses.push(new vscode.CodeLens(range, { title: partitionsSummary(d, now), command: COMMAND_IDS.showPartitions, arguments: [{ target: name }] }));
      return lenses;
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
