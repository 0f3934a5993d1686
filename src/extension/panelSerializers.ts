// Brings the panels back after a window reload: one WebviewPanelSerializer per panel kind, each rebuilding its
// panel from the identity the page saved (folder, target, backfill). Cheap at activation: the panel classes
// are required only when VS Code restores a panel.
import * as vscode from 'vscode';
import { panelIdentityOf, type PanelIdentity } from '../shared/panelIdentity';
import { BACKFILL_DETAILS_VIEW_TYPE, BACKFILLS_OVERVIEW_VIEW_TYPE, LAUNCH_PANEL_VIEW_TYPE, PARTITIONS_VIEW_TYPE } from './commandIds';
import type { WorkspaceSession } from './workspaceSession';
import type { WorkspaceSessions } from './workspaceSessions';

/** Rebuilds one kind of panel, or says why it cannot (the text is shown in the restored tab). */
type RestorePanel = (panel: vscode.WebviewPanel, session: WorkspaceSession, identity: PanelIdentity) => string | undefined;

export interface RestorablePanels {
  details(): { restore(panel: vscode.WebviewPanel, session: WorkspaceSession, backfillId: string, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): unknown };
  partitions(): { restore(panel: vscode.WebviewPanel, session: WorkspaceSession, target: string, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, location?: string): unknown };
  launch(): { restore(panel: vscode.WebviewPanel, session: WorkspaceSession, target: string, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, location?: string): unknown };
  overview(): { restore(panel: vscode.WebviewPanel, session: WorkspaceSession, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): unknown };
}

export function registerPanelSerializers(sessions: WorkspaceSessions, panels: RestorablePanels, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): vscode.Disposable {
  const kinds: [string, string, RestorePanel][] = [
    [BACKFILL_DETAILS_VIEW_TYPE, 'backfill details', (panel, session, { backfillId }) => {
      if (backfillId === undefined) return 'It did not record which backfill it showed.';
      panels.details().restore(panel, session, backfillId, extensionUri, log);
      return undefined;
    }],
    [PARTITIONS_VIEW_TYPE, 'partitions', (panel, session, { target, location }) => {
      if (target === undefined) return 'It did not record which target it showed.';
      panels.partitions().restore(panel, session, target, extensionUri, log, location);
      return undefined;
    }],
    [LAUNCH_PANEL_VIEW_TYPE, 'launch', (panel, session, { target, location }) => {
      if (target === undefined) return 'It did not record which target it showed.';
      panels.launch().restore(panel, session, target, extensionUri, log, location);
      return undefined;
    }],
    [BACKFILLS_OVERVIEW_VIEW_TYPE, 'backfills overview', (panel, session) => {
      panels.overview().restore(panel, session, extensionUri, log);
      return undefined;
    }],
  ];
  return vscode.Disposable.from(...kinds.map(([viewType, name, restore]) => vscode.window.registerWebviewPanelSerializer(viewType, {
    deserializeWebviewPanel: async (panel, state) => {
      const identity = panelIdentityOf(state);
      const session = identity && sessions.all.find((s) => s.folder.uri.toString() === identity.folder);
      let problem: string | undefined;
      try {
        problem = !identity ? 'It saved nothing to restore it from (it was opened by an older version).'
          : !session ? `Its workspace folder (${vscode.Uri.parse(identity.folder).fsPath}) is no longer open in this window.`
          : restore(panel, session, identity);
      } catch (e) {
        log.error(`could not restore a ${name} panel`, e);
        problem = `It could not be restored: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (problem !== undefined) {
        log.warn(`restoring a ${name} panel: ${problem}`);
        panel.webview.options = { enableScripts: false };
        panel.webview.html = unrestorableHtml(panel.title, `This ${name} panel was open before the window reloaded. ${problem} Close it and open the panel again from the Backfill Studio views.`);
      }
    },
  })));
}

/** A static page (no script) for a panel whose subject is gone. */
function unrestorableHtml(title: string, message: string): string {
  const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escape(title)}</title>
</head>
<body style="font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 12px">
<p id="unrestorable" role="alert">${escape(message)}</p>
</body>
</html>`;
}
