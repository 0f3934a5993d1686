// The discovery worker thread (bundled as dist/discoveryWorker.js): reads, parses and resolves a workspace's Python
// files and keeps the DefinitionIndex, so the thread that asks (the extension host) only receives snapshots.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { TransferredChunk } from '../definitions/transferredDefinitions';
import { transferableDefinitions } from '../definitions/transferredDefinitions';
import type { DiscoveryReply, DiscoveryRequest, DiscoveryWorkerData } from './discoveryWorkerProtocol';
import { InProcessDiscovery } from './inProcessDiscovery';
import { NodeSourceFiles } from './nodeSourceFiles';

const port = parentPort;
if (!port) throw new Error('discoveryWorker.js runs as a worker thread (see WorkerDiscovery)');
const data = workerData as DiscoveryWorkerData;
// Blocking reads are the fastest here, and block nobody: this thread does nothing else.
const discovery = new InProcessDiscovery(new NodeSourceFiles(data.root, { blockingReads: true }), data.index);

/** The chunks of each snapshot sent but not yet fetched in full, by the id of the request that made it. */
const unsent = new Map<number, { chunks: TransferredChunk[]; left: number }>();

// Loads and updates one at a time, in order: an update must apply to the index its preceding load built.
let queue = Promise.resolve();
port.on('message', (request: DiscoveryRequest) => {
  if (request.kind === 'chunk') {
    const snapshot = unsent.get(request.of);
    const chunk = snapshot?.chunks[request.index];
    if (!snapshot || !chunk) {
      port.postMessage({ id: request.id, kind: 'error', message: `no chunk ${request.index} of snapshot ${request.of}` } satisfies DiscoveryReply);
      return;
    }
    if (--snapshot.left === 0) unsent.delete(request.of);
    port.postMessage({ id: request.id, kind: 'chunk', chunk } satisfies DiscoveryReply);
    return;
  }
  queue = queue.then(async () => {
    let reply: DiscoveryReply;
    try {
      const discovered = request.kind === 'load' ? await discovery.load() : await discovery.update(request.paths);
      const { head, chunks } = transferableDefinitions(discovered);
      if (chunks.length > 0) unsent.set(request.id, { chunks, left: chunks.length });
      reply = { id: request.id, kind: 'definitions', threadId, head };
    } catch (e) {
      reply = { id: request.id, kind: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) };
    }
    port.postMessage(reply);
  });
});
