// The messages between WorkerDiscovery (the caller's thread) and the discovery worker thread (discoveryWorker.ts).
import type { TransferredChunk, TransferredDefinitions } from '../definitions/transferredDefinitions';
import type { DefinitionIndexOptions } from '../definitions/definitionIndex';

/** The worker's `workerData`: which folder it discovers, and how it parses. */
export interface DiscoveryWorkerData {
  root: string;
  index: DefinitionIndexOptions;
}

/**
 * Every request is answered by one reply with its id. Loads and updates are run one at a time, in order, and
 * answered with the snapshot's head; the caller then asks for its chunks one by one (`of`: the load's or update's
 * id), so no single message takes long to deserialize. Chunks are answered at once and forgotten once all were sent.
 */
export type DiscoveryRequest =
  | { id: number; kind: 'load' }
  | { id: number; kind: 'update'; paths: string[] }
  | { id: number; kind: 'chunk'; of: number; index: number };

export type DiscoveryReply =
  | { id: number; kind: 'definitions'; threadId: number; head: TransferredDefinitions }
  | { id: number; kind: 'chunk'; chunk: TransferredChunk }
  | { id: number; kind: 'error'; message: string };
