// The configured Dagster deployments (the `backfillStudio.deployments` setting, and the CLI's --deployment NAME|URL):
// read with a clear problem for each bad entry, never a token (tokens come from SecretStorage or the environment).
import type { DagsterDeployment } from './dagsterGraphqlClient';

export interface DagsterDeploymentsReading {
  deployments: DagsterDeployment[];
  /** One sentence per entry left out, naming where it is and what is wrong. */
  problems: string[];
}

function httpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Reads the setting's value (an array of `{ name, url, kind }`); `where` names it in problems. */
export function readDagsterDeployments(raw: unknown, where: string): DagsterDeploymentsReading {
  const deployments: DagsterDeployment[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { deployments, problems };
  if (!Array.isArray(raw)) return { deployments, problems: [`${where}: expected a list of deployments ({ "name", "url", "kind" }), got ${typeof raw}.`] };
  raw.forEach((entry, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const at = `${where}[${i}]`;
    if (typeof e.name !== 'string' || e.name.trim() === '') { problems.push(`${at}: "name" is missing.`); return; }
    if (typeof e.url !== 'string' || !httpUrl(e.url)) { problems.push(`${at} ("${e.name}"): "url" must be the webserver's http(s) address, e.g. http://localhost:3000.`); return; }
    const kind = e.kind ?? 'oss';
    if (kind !== 'oss' && kind !== 'dagster-plus') { problems.push(`${at} ("${e.name}"): "kind" must be "oss" or "dagster-plus", not ${JSON.stringify(kind)}.`); return; }
    if ('token' in e) problems.push(`${at} ("${e.name}"): "token" is ignored here: a token is never kept in settings (VS Code keeps it in its SecretStorage; the CLI reads it from the environment).`);
    if (deployments.some((d) => d.name === e.name)) { problems.push(`${at}: a second deployment named "${e.name}"; the first is used.`); return; }
    deployments.push({ name: e.name, url: e.url, kind });
  });
  return { deployments, problems };
}

/**
 * The deployment a `--deployment` argument means: a configured one by name, else an http(s) URL taken as is
 * (Dagster+ when its host is under dagster.cloud). Throws a message naming the configured ones otherwise.
 */
export function findDagsterDeployment(nameOrUrl: string, configured: readonly DagsterDeployment[], token?: string): DagsterDeployment {
  const named = configured.find((d) => d.name === nameOrUrl);
  const base = named ?? (httpUrl(nameOrUrl)
    ? { name: new URL(nameOrUrl).host, url: nameOrUrl, kind: /(^|\.)dagster\.cloud$/.test(new URL(nameOrUrl).hostname) ? 'dagster-plus' as const : 'oss' as const }
    : undefined);
  if (!base) {
    throw new Error(`no Dagster deployment "${nameOrUrl}": give a webserver URL (http://host:3000) or one of the configured names (${configured.map((d) => `"${d.name}"`).join(', ') || 'none configured'}).`);
  }
  return token ? { ...base, token } : base;
}
