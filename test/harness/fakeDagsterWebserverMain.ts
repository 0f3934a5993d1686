// The fake Dagster webserver as a process, for tests that cannot start it in their own (e2e tests drive VS Code in
// another process): serves a fixture set on 127.0.0.1, prints {"url"} as its first stdout line, and rewrites a JSON
// file of the requests received after each one. Ends on SIGTERM/SIGINT or when its stdin closes (its parent ended).
//
//   node out/test/harness/fakeDagsterWebserverMain.js --fixtures 1.2|newer [--only 01_,03_] [--exchanges extra.json]
//        [--requests requests.json] [--require-token T] [--forbidden-token T]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeDagsterWebserver, type FakeDagsterWebserverOptions, type ReceivedRequest, type RecordedExchange } from './fakeDagsterWebserver';

const FLAGS = ['--fixtures', '--only', '--exchanges', '--requests', '--require-token', '--forbidden-token'];

function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (!FLAGS.includes(flag)) throw new Error(`unknown argument ${flag}; expected ${FLAGS.join(', ')}`);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    args.set(flag, value);
  }
  return args;
}

/** Writes beside and renames, so a reader never sees half a file. */
function writeRequests(file: string, requests: readonly ReceivedRequest[]): void {
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(requests, null, 1));
  fs.renameSync(partial, file);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const fixtures = args.get('--fixtures');
  if (fixtures !== '1.2' && fixtures !== 'newer') throw new Error(`--fixtures must be 1.2 or newer, not ${JSON.stringify(fixtures)}`);
  const requestsFile = args.has('--requests') ? path.resolve(args.get('--requests')!) : undefined;
  const exchangesFile = args.get('--exchanges');
  const exchanges = exchangesFile ? JSON.parse(fs.readFileSync(exchangesFile, 'utf8')) as RecordedExchange[] : undefined;
  const options: FakeDagsterWebserverOptions = {
    fixtures,
    ...(args.has('--only') ? { only: args.get('--only')!.split(',').filter(Boolean) } : {}),
    ...(exchanges ? { exchanges } : {}),
    ...(args.has('--require-token') ? { requireToken: args.get('--require-token')! } : {}),
    ...(args.has('--forbidden-token') ? { forbiddenToken: args.get('--forbidden-token')! } : {}),
  };
  let received: readonly ReceivedRequest[] = [];
  const server = await startFakeDagsterWebserver({ ...options, ...(requestsFile ? { onRequest: () => writeRequests(requestsFile, received) } : {}) });
  received = server.requests;
  if (requestsFile) writeRequests(requestsFile, received);
  process.stdout.write(`${JSON.stringify({ url: server.url, exchanges: server.exchangeNames.length })}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

main().catch((e: unknown) => {
  process.stderr.write(`fakeDagsterWebserverMain: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
