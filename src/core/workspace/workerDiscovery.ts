// WorkerDiscovery: discovery in a worker thread (dist/discoveryWorker.js), so the thread asking never reads or parses.
import { Worker } from 'node:worker_threads';
import type { DiscoveredDefinitions } from '../definitions/assembleDefinitions';
import type { DefinitionIndexOptions } from '../definitions/definitionIndex';
import type { DefinitionsDiscovery } from '../definitions/definitionsDiscovery';
import { DefinitionsRevival } from '../definitions/transferredDefinitions';
import type { Disposable } from '../emitter';
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import type { DiscoveryReply, DiscoveryRequest, DiscoveryWorkerData } from './discoveryWorkerProtocol';

export interface WorkerDiscoveryOptions {
  root: string;
  /** The worker's bundle: dist/discoveryWorker.js beside the engine's. */
  workerScript: string;
  index?: DefinitionIndexOptions;
  /** The worker crashed, exited or failed a request: told once per failure; the next request starts a new worker. */
  onWorkerFailure?: (message: string) => void;
}

interface Pending {
  resolve: (reply: DiscoveryReply) => void;
  reject: (e: Error) => void;
}

type Body = { kind: 'load' } | { kind: 'update'; paths: string[] } | { kind: 'chunk'; of: number; index: number };

/**
 * The worker starts on the first request, not before. It keeps the index between requests; one that fails in any
 * way (an uncaught error, an exit, an error reply, after which its index may be half-updated) is ended, its requests
 * rejected, and the next request starts a fresh worker with a full load.
 */
export class WorkerDiscovery implements DefinitionsDiscovery, Disposable {
  private worker: Worker | undefined;
  /** Whether the current worker was sent a load: updates go to it only then. */
  private loaded = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  /** Revived partitions definitions by JSON, reused across snapshots (see DefinitionsRevival). */
  private readonly revived = new Map<string, PartitionsDefinition>();
  /** The worker thread that answered last (its threadId), and how many workers were started: what the tests check. */
  lastThreadId: number | undefined;
  workersStarted = 0;

  constructor(private readonly options: WorkerDiscoveryOptions) {}

  load(): Promise<DiscoveredDefinitions> {
    return this.request({ kind: 'load' });
  }

  update(changedPaths: readonly string[]): Promise<DiscoveredDefinitions> {
    return this.loaded && this.worker ? this.request({ kind: 'update', paths: [...changedPaths] }) : this.load();
  }

  /** The snapshot's head, then its chunks one message at a time: between them, this thread's event loop runs on. */
  private async request(body: { kind: 'load' } | { kind: 'update'; paths: string[] }): Promise<DiscoveredDefinitions> {
    if (this.disposed) throw new Error('discovery was closed');
    const worker = this.worker ?? this.start();
    if (body.kind === 'load') this.loaded = true;
    const { id, reply } = this.send(worker, body);
    const head = await reply;
    if (head.kind !== 'definitions') throw new Error(`the discovery worker answered a ${body.kind} with a ${head.kind}`);
    const revival = new DefinitionsRevival(head.head, this.revived);
    for (let index = 0; index < head.head.chunkCount; index++) {
      const got = await this.send(worker, { kind: 'chunk', of: id, index }).reply;
      if (got.kind !== 'chunk') throw new Error(`the discovery worker answered a chunk with a ${got.kind}`);
      revival.add(got.chunk);
    }
    this.lastThreadId = head.threadId;
    return revival.finish();
  }

  private send(worker: Worker, body: Body): { id: number; reply: Promise<DiscoveryReply> } {
    const id = this.nextId++;
    const reply = new Promise<DiscoveryReply>((resolve, reject) => {
      if (worker !== this.worker) {
        reject(new Error('the discovery worker ended'));
        return;
      }
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...body } satisfies DiscoveryRequest);
    });
    return { id, reply };
  }

  private start(): Worker {
    const workerData: DiscoveryWorkerData = { root: this.options.root, index: this.options.index ?? {} };
    const worker = new Worker(this.options.workerScript, { workerData });
    this.worker = worker;
    this.loaded = false;
    this.workersStarted++;
    worker.on('message', (reply: DiscoveryReply) => this.answer(worker, reply));
    worker.on('error', (e) => this.fail(worker, `the discovery worker crashed: ${e.stack ?? e.message}`));
    worker.on('exit', (code) => this.fail(worker, `the discovery worker exited (code ${code})`));
    return worker;
  }

  private answer(worker: Worker, reply: DiscoveryReply): void {
    if (worker !== this.worker) return;
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.kind === 'error') {
      waiting?.reject(new Error(reply.message));
      this.fail(worker, `discovery failed in the worker: ${reply.message}`);
      return;
    }
    // An idle worker must not keep a process (the CLI's tests, a closing host) alive.
    if (this.pending.size === 0) worker.unref();
    waiting?.resolve(reply);
  }

  /** Ends `worker` (if still current) and rejects what it had not answered. */
  private fail(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.loaded = false;
    const error = new Error(message);
    const waiting = [...this.pending.values()];
    this.pending.clear();
    void worker.terminate();
    for (const p of waiting) p.reject(error);
    if (!this.disposed) this.options.onWorkerFailure?.(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    if (worker) this.fail(worker, 'discovery was closed');
  }
}
