// Shows discovery problems in the Problems view on the right lines, cleared when fixed.
import * as vscode from 'vscode';
import type { WorkspaceSession } from './workspaceSession';

export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('backfill-studio');
  private readonly subscription: vscode.Disposable;

  constructor(session: WorkspaceSession) {
    this.subscription = session.onDidChangeDefinitions((s) => {
      const byFile = new Map<string, vscode.Diagnostic[]>();
      for (const d of s.diagnostics) {
        const line = Math.max(d.location.line - 1, 0);
        const col = Math.max((d.location.column ?? 1) - 1, 0);
        const diag = new vscode.Diagnostic(
          new vscode.Range(line, col, line, Number.MAX_SAFE_INTEGER),
          d.message,
          d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        diag.source = 'Backfill Studio';
        byFile.set(d.location.file, [...(byFile.get(d.location.file) ?? []), diag]);
      }
      this.collection.clear();
      for (const [file, diags] of byFile) this.collection.set(vscode.Uri.joinPath(session.folder.uri, file), diags);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
