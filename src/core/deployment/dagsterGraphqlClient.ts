// The transport to one Dagster deployment's GraphQL endpoint: POST JSON, the Dagster+ token header, timeouts, and
// every way a request can fail turned into a DagsterDeploymentError that names the deployment and what to do.

/** A Dagster webserver (OSS) or Dagster+ deployment the engine can reach. */
export interface DagsterDeployment {
  name: string;
  /** The webserver's URL, e.g. http://localhost:3000 or https://org.dagster.cloud/prod (`/graphql` is appended). */
  url: string;
  kind: 'oss' | 'dagster-plus';
  /** Dagster+ user token, sent as `Dagster-Cloud-Api-Token`; held in memory only. */
  token?: string;
}

export type DagsterDeploymentErrorKind =
  | 'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'http' | 'not-graphql' | 'query-rejected'
  | 'python-error' | 'not-found' | 'ambiguous' | 'unsupported' | 'refused';

/** Every failure of a deployment request; `message` is meant for the user as is. */
export class DagsterDeploymentError extends Error {
  override readonly name = 'DagsterDeploymentError';
  constructor(readonly kind: DagsterDeploymentErrorKind, readonly deployment: string, message: string, readonly status?: number) {
    super(message);
  }
}

export interface GraphqlResponse {
  status: number;
  data: Record<string, unknown>;
}

export interface DagsterGraphqlClientOptions {
  /** Milliseconds before a request is abandoned; default 30 s. */
  timeoutMs?: number;
}

interface GraphqlErrorBody { message?: unknown; extensions?: { errorInfo?: { cls_name?: unknown } } }

/** The base URL of the deployment's UI (no trailing slash, no `/graphql`). */
export function deploymentBaseUrl(deployment: DagsterDeployment): string {
  return deployment.url.replace(/\/+$/, '').replace(/\/graphql$/, '');
}

/** Link to a run in the deployment's Dagster UI. */
export function dagsterRunUrl(deployment: DagsterDeployment, runId: string): string {
  return `${deploymentBaseUrl(deployment)}/runs/${encodeURIComponent(runId)}`;
}

export class DagsterGraphqlClient {
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly label: string;

  constructor(readonly deployment: DagsterDeployment, options: DagsterGraphqlClientOptions = {}) {
    let parsed: URL;
    try { parsed = new URL(deploymentBaseUrl(deployment)); } catch {
      throw new DagsterDeploymentError('unreachable', deployment.name, `Dagster deployment "${deployment.name}": "${deployment.url}" is not a URL. Give the webserver's address, e.g. http://localhost:3000.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new DagsterDeploymentError('unreachable', deployment.name, `Dagster deployment "${deployment.name}": "${deployment.url}" is not an http(s) URL.`);
    }
    this.endpoint = `${deploymentBaseUrl(deployment)}/graphql`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.label = `Dagster deployment "${deployment.name}" (${deploymentBaseUrl(deployment)})`;
  }

  /** A user-facing error about this deployment. */
  error(kind: DagsterDeploymentErrorKind, what: string, status?: number): DagsterDeploymentError {
    return new DagsterDeploymentError(kind, this.deployment.name, `${this.label}: ${what}`, status);
  }

  /**
   * Sends one operation. Resolves with `data` when the server ran it (HTTP 200, or 500 carrying a PythonError
   * member of a result union, which the caller reads); rejects with a DagsterDeploymentError otherwise.
   */
  async request(query: string, variables: Record<string, unknown> = {}, operationName?: string): Promise<GraphqlResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.deployment.token) headers['Dagster-Cloud-Api-Token'] = this.deployment.token;
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST', headers, body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
        // A redirect is refused rather than followed so the token is never sent to another address.
        signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error',
      });
    } catch (e) {
      throw this.transportError(e);
    }
    let text: string;
    try { text = await response.text(); } catch (e) { throw this.transportError(e); }
    if (response.status === 401) {
      throw this.error('unauthorized', this.deployment.kind === 'dagster-plus'
        ? (this.deployment.token ? 'the Dagster+ user token was not accepted (HTTP 401). Create a new user token in Dagster+ (Organization settings → Tokens) and set it again.' : 'Dagster+ asks for a user token (HTTP 401). Set the deployment\'s token (a Dagster+ user token).')
        : 'the server asks for authentication (HTTP 401). If this is a Dagster+ deployment, set its kind to Dagster+ and give a user token; otherwise check the proxy in front of the webserver.', 401);
    }
    if (response.status === 403) {
      throw this.error('forbidden', 'the token may not use this deployment (HTTP 403). Use a user token of someone with access to this deployment (Launcher role or above to launch backfills).', 403);
    }
    let body: { data?: unknown; errors?: GraphqlErrorBody[] };
    try { body = JSON.parse(text); } catch {
      throw this.error(response.ok ? 'not-graphql' : 'http', `${response.ok ? 'the answer' : `HTTP ${response.status}: the answer`} is not GraphQL JSON (${JSON.stringify(text.slice(0, 120))}). Check that the URL is the Dagster webserver's, not another page.`, response.status);
    }
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (errors.length > 0) {
      const messages = errors.map((e) => String(e.message ?? e).trim().replace(/\.$/, '')).join('; ');
      const pythonClass = errors.map((e) => e.extensions?.errorInfo?.cls_name).find((c) => typeof c === 'string');
      if (response.status === 400 || (!body.data && /^Variable |Cannot query field|Unknown (type|argument)|Fragment cannot be spread|of required type/.test(messages))) {
        throw this.error('query-rejected', `the server rejected the request as invalid GraphQL for its schema: ${messages}. This Dagster version may not support the operation; please report it with the server's version.`, response.status);
      }
      throw this.error('python-error', `the server failed while answering (HTTP ${response.status}${pythonClass ? `, ${pythonClass}` : ''}): ${messages}. Check the webserver's log; try again once it is healthy.`, response.status);
    }
    if (!body.data || typeof body.data !== 'object') {
      throw this.error(response.ok ? 'not-graphql' : 'http', `HTTP ${response.status} with no GraphQL data. Check that the URL is the Dagster webserver's.`, response.status);
    }
    return { status: response.status, data: body.data as Record<string, unknown> };
  }

  private transportError(e: unknown): DagsterDeploymentError {
    const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      return this.error('timeout', `no answer within ${this.timeoutMs / 1000} s. The webserver may be overloaded or the address wrong; try again, or raise the timeout.`);
    }
    const code = err.cause?.code;
    if (code === 'ECONNREFUSED') return this.error('unreachable', 'connection refused: nothing listens at this address. Start the webserver (dagster dev / dagster-webserver) or correct the URL.');
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return this.error('unreachable', `the host name does not resolve (${code}). Check the URL and your network/VPN.`);
    return this.error('unreachable', `the request failed (${code ?? err.cause?.message ?? err.message ?? String(e)}). Check the URL and that the webserver is running.`);
  }
}

/** A result-union member that is not the success type, turned into the error to throw; `undefined` for success. */
export function unionFailure(client: DagsterGraphqlClient, value: unknown, success: string, doing: string): DagsterDeploymentError | undefined {
  const member = value as { __typename?: string; message?: string; className?: string } | null | undefined;
  if (!member || typeof member !== 'object') return client.error('not-graphql', `no answer for ${doing}.`);
  if (member.__typename === success) return undefined;
  if (member.__typename === 'UnauthorizedError') return client.error('refused', `not allowed to ${doing}: ${member.message ?? ''} Ask an admin of the deployment for the permission.`);
  if (member.__typename === 'PythonError') return client.error('python-error', `Dagster failed to ${doing} (${member.className ?? 'error'}): ${(member.message ?? '').trim()}`);
  return client.error('refused', `Dagster refused to ${doing} (${member.__typename}): ${(member.message ?? '').trim()}`);
}
