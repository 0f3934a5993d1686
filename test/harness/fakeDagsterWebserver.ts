// Test double of a Dagster webserver's /graphql endpoint: validates each request against the server's schema as
// the real one does, then answers from recorded (or test-authored) exchanges; can also refuse tokens, fail or hang.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import {
  buildClientSchema, buildSchema, defaultFieldResolver, execute, getArgumentValues, getVariableValues, GraphQLError,
  GraphQLSchema, parse, validate, type DocumentNode, type GraphQLFieldResolver, type OperationDefinitionNode,
} from 'graphql';

/** One exchange as the recordings store it: the request sent and the answer given. */
export interface RecordedExchange {
  name: string;
  request: { query: string; variables?: Record<string, unknown> };
  http_status: number;
  response: { data?: Record<string, unknown> | null; errors?: { message: string }[] };
}

export interface ReceivedRequest {
  operationName: string | undefined;
  query: string;
  variables: Record<string, unknown>;
  token: string | undefined;
  status: number;
  /** Root fields that found no recorded exchange (the test then fails on the error the client reports). */
  unmatched: string[];
}

export type FixtureSet = '1.2' | 'newer';

export interface FakeDagsterWebserverOptions {
  fixtures: FixtureSet;
  /** Recording files to load, by name prefix; default every file but the opt-in ones (see OPT_IN). */
  only?: string[];
  /** Exchanges written in the test itself, served before the recordings for the same request. */
  exchanges?: RecordedExchange[];
  /** When set, a request without this `Dagster-Cloud-Api-Token` gets HTTP 401. */
  requireToken?: string;
  /** A token the server knows but that may not use the API: HTTP 403. */
  forbiddenToken?: string;
  /** Called once a request has its status (answered, or -1: hung or dropped), e.g. to record it for another process. */
  onRequest?: (request: ReceivedRequest) => void;
}

export type NextResponse = 'hang' | 'python-error-500' | 'drop-connection';

export interface FakeDagsterWebserver {
  url: string;
  schema: GraphQLSchema;
  /** The exchanges it answers from (those whose request validated against the schema), by file name. */
  exchangeNames: string[];
  requests: ReceivedRequest[];
  /** The next request gets this instead of an answer from the exchanges. */
  respondNext(behaviour: NextResponse): void;
  close(): Promise<void>;
}

// 87 answers repositoriesOrError with a resolver error: same request as 03, so only loaded when asked for.
const OPT_IN = ['87_'];

function fixturesDir(set: FixtureSet): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'esbuild.mjs'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = up;
  }
  return path.join(dir, 'test', 'fixtures', 'dagster-graphql', set);
}

export function loadFixtureSchema(set: FixtureSet): GraphQLSchema {
  const dir = fixturesDir(set);
  if (set === '1.2') return buildClientSchema(JSON.parse(fs.readFileSync(path.join(dir, 'introspection.json'), 'utf8')).response.data);
  return buildSchema(fs.readFileSync(path.join(dir, 'schema.graphql'), 'utf8'));
}

export function loadRecordedExchanges(set: FixtureSet, only?: string[]): RecordedExchange[] {
  const dir = fixturesDir(set);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'introspection.json').sort()
    .filter((f) => (only ? only.some((p) => f.startsWith(p)) : !OPT_IN.some((p) => f.startsWith(p))))
    .map((f) => ({ name: f, ...JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** Stable text of a value with object keys sorted, so coerced arguments compare by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function rootKeys(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): string[] | undefined {
  const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  if (!op) return undefined;
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], variables);
  if (coerced.errors) return undefined;
  const root = op.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const keys: string[] = [];
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== 'Field' || sel.name.value.startsWith('__')) continue;
    const def = root?.getFields()[sel.name.value];
    if (!def) return undefined;
    keys.push(`${op.operation} ${sel.name.value}${canonical(getArgumentValues(def, sel, coerced.coerced))}`);
  }
  return keys;
}

/**
 * Starts the double on 127.0.0.1 with an ephemeral port. Exchanges are matched by operation type, root field and
 * coerced arguments; several for one request (polls) are served in file order, the last one repeating.
 */
export async function startFakeDagsterWebserver(options: FakeDagsterWebserverOptions): Promise<FakeDagsterWebserver> {
  const schema = loadFixtureSchema(options.fixtures);
  const queues = new Map<string, RecordedExchange[]>();
  const exchangeNames: string[] = [];
  for (const exchange of [...(options.exchanges ?? []), ...loadRecordedExchanges(options.fixtures, options.only)]) {
    let document: DocumentNode;
    try { document = parse(exchange.request.query); } catch { continue; }
    // Requests the real server rejected before running them are reproduced by validation here, not replayed.
    if (validate(schema, document).length > 0) continue;
    const keys = rootKeys(schema, document, exchange.request.variables ?? {});
    if (!keys) continue;
    for (const key of keys) queues.set(key, [...(queues.get(key) ?? []), exchange]);
    exchangeNames.push(exchange.name);
  }
  const served = new Map<string, number>();
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let next: NextResponse | undefined;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/graphql') { res.writeHead(404); res.end('Not Found'); return; }
      const tokenHeader = req.headers['dagster-cloud-api-token'];
      const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
      let body: { query?: unknown; variables?: unknown; operationName?: unknown };
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { send(400, { errors: [{ message: 'POST body sent invalid JSON.' }] }); return; }
      const query = typeof body.query === 'string' ? body.query : '';
      const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
      const record: ReceivedRequest = { operationName: typeof body.operationName === 'string' ? body.operationName : undefined, query, variables, token, status: 0, unmatched: [] };
      requests.push(record);
      const reply = (status: number, payload: unknown): void => { record.status = status; send(status, payload); options.onRequest?.(record); };
      const behaviour = next;
      next = undefined;
      if (behaviour === 'hang') { record.status = -1; options.onRequest?.(record); return; }
      if (behaviour === 'drop-connection') { record.status = -1; req.socket.destroy(); options.onRequest?.(record); return; }
      if (options.forbiddenToken !== undefined && token === options.forbiddenToken) { reply(403, { error: 'Forbidden' }); return; }
      if (options.requireToken !== undefined && token !== options.requireToken) { reply(401, { error: 'Unauthorized' }); return; }
      if (behaviour === 'python-error-500') {
        reply(500, { data: null, errors: [{ message: 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not connect to server', extensions: { errorInfo: { message: 'sqlalchemy.exc.OperationalError: could not connect to server\n', stack: ['<stack removed>'], cls_name: 'OperationalError', cause: null, context: null, __class__: 'SerializableErrorInfo' } } }] });
        return;
      }
      let document: DocumentNode;
      try { document = parse(query); } catch (e) { reply(400, { data: null, errors: [{ message: (e as GraphQLError).message }] }); return; }
      const invalid = validate(schema, document);
      if (invalid.length > 0) { reply(400, { data: null, errors: invalid.map((e) => e.toJSON()) }); return; }
      const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      const coerced = getVariableValues(schema, op?.variableDefinitions ?? [], variables);
      if (coerced.errors) {
        // As recorded (81-83, 85): a value of the wrong shape is an HTTP 500, a missing required variable a 400.
        const status = coerced.errors.every((e) => /was not provided/.test(e.message) && !/got invalid value/.test(e.message)) ? 400 : 500;
        reply(status, { data: null, errors: coerced.errors.map((e) => e.toJSON()) });
        return;
      }
      let status = 200;
      const rootResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
        if (info.path.prev !== undefined) return defaultFieldResolver(source, args, context, info);
        const key = `${info.operation.operation} ${info.fieldName}${canonical(args)}`;
        const queue = queues.get(key);
        if (!queue) {
          record.unmatched.push(key);
          status = Math.max(status, 500);
          throw new Error(`fake Dagster webserver: no recorded exchange for ${key}`);
        }
        const index = served.get(key) ?? 0;
        served.set(key, index + 1);
        const exchange = queue[Math.min(index, queue.length - 1)];
        status = Math.max(status, exchange.http_status);
        if (exchange.response.errors && !exchange.response.data) throw new Error(exchange.response.errors[0].message);
        return exchange.response.data?.[info.fieldName];
      };
      Promise.resolve(execute({ schema, document, variableValues: variables, fieldResolver: rootResolver }))
        .then((result) => reply(result.errors && status === 200 ? 500 : status, result))
        .catch((e: unknown) => reply(500, { data: null, errors: [{ message: String(e) }] }));
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    schema,
    exchangeNames,
    requests,
    respondNext(behaviour) { next = behaviour; },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** A loopback port nothing listens on (bound, then released), for "connection refused". */
export async function closedLoopbackPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
