// The deployments a workspace configures for the CLI: `backfillStudio.deployments` in its .vscode/settings.json,
// read as VS Code reads that file (JSON with comments and trailing commas), each bad entry a named problem.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readDagsterDeployments, type DagsterDeploymentsReading } from './dagsterDeployments';

export const DEPLOYMENTS_SETTING = 'backfillStudio.deployments';

/** JSON text without `//` and block comments and without trailing commas; strings are left as they are. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      // Newlines inside are kept so JSON.parse's positions stay near the line the user sees.
      out += text.slice(i, end < 0 ? text.length : end + 2).replace(/[^\n]/g, ' ');
      i = end < 0 ? text.length : end + 2;
    } else if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] !== '}' && text[j] !== ']') out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Reads `<root>/.vscode/settings.json`; a missing file configures nothing, an unreadable one is a problem. */
export function readWorkspaceDeployments(root: string): DagsterDeploymentsReading {
  const file = path.join(root, '.vscode', 'settings.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { deployments: [], problems: [] };
    return { deployments: [], problems: [`${file}: cannot be read (${(e as Error).message}); no deployment is configured from it.`] };
  }
  let settings: unknown;
  try {
    // A comment before a trailing comma (`"a": 1, // note` then `}`) is stripped before the comma is looked at.
    settings = JSON.parse(stripJsonc(stripJsonc(text)));
  } catch (e) {
    return { deployments: [], problems: [`${file}: not valid JSON with comments (${(e as Error).message}); no deployment is configured from it.`] };
  }
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) return { deployments: [], problems: [`${file}: expected an object of settings.`] };
  return readDagsterDeployments((settings as Record<string, unknown>)[DEPLOYMENTS_SETTING], `${file} ${DEPLOYMENTS_SETTING}`);
}
