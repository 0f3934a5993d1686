// Writes the User/settings.json that keeps a test profile quiet: no welcome page, no trust prompt, nothing online.
import * as fs from 'node:fs';
import * as path from 'node:path';

const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'extensions.webWorker': false,
};

/** userDataDir is the profile root; the file lands in <userDataDir>/User/settings.json unless one exists. */
export function writeUserSettings(userDataDir, extra = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...TEST_SETTINGS, ...extra }, null, 2) + '\n');
  return file;
}

/** The workspace's own .vscode/settings.json. */
export function workspaceSettingsFile(workspace) {
  return path.join(workspace, '.vscode', 'settings.json');
}

/** Merges into the workspace settings (other e2e files rewrite the file for their themes and interpreters). */
export function updateWorkspaceSettings(workspace, changes) {
  const file = workspaceSettingsFile(workspace);
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...current, ...changes }, null, 2));
}
