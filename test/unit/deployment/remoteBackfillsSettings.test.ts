// The deployments the CLI reads from a workspace's .vscode/settings.json: JSON with comments and trailing commas as
// VS Code writes it, strings left alone, and each bad entry or file a named problem.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readWorkspaceDeployments, stripJsonc } from '../../../src/core/deployment/workspaceDeployments';

function workspaceWith(settings: string | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-deploy-settings-'));
  if (settings !== undefined) {
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), settings);
  }
  return dir;
}

test('comments and trailing commas are JSONC; comment-like text inside strings stays', () => {
  assert.deepEqual(JSON.parse(stripJsonc(stripJsonc('{"a": "http://x//y", /* b */ "c": [1, 2,], // d\n "e": "/* f */", // g\n}'))), { a: 'http://x//y', c: [1, 2], e: '/* f */' });
  const ws = workspaceWith(`{
    // production
    "editor.tabSize": 2,
    "backfillStudio.deployments": [
      { "name": "prod", "url": "https://org.dagster.cloud/prod", "kind": "dagster-plus", "token": "leaked", },
      { "name": "local", "url": "http://localhost:3000" }, // oss by default
      { "name": "bad", "url": "ftp://x" },
    ],
  }`);
  const { deployments, problems } = readWorkspaceDeployments(ws);
  assert.deepEqual(deployments, [{ name: 'prod', url: 'https://org.dagster.cloud/prod', kind: 'dagster-plus' }, { name: 'local', url: 'http://localhost:3000', kind: 'oss' }]);
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /settings\.json backfillStudio\.deployments\[0\] \("prod"\): "token" is ignored here/);
  assert.match(problems[1]!, /backfillStudio\.deployments\[2\] \("bad"\): "url" must be the webserver's http\(s\) address/);
});

test('no settings file configures nothing; a broken one is named', () => {
  assert.deepEqual(readWorkspaceDeployments(workspaceWith(undefined)), { deployments: [], problems: [] });
  const broken = readWorkspaceDeployments(workspaceWith('{ "backfillStudio.deployments": [ { "name": } ] }'));
  assert.deepEqual(broken.deployments, []);
  assert.match(broken.problems[0]!, /\.vscode[/\\]settings\.json: not valid JSON with comments \(/);
});
