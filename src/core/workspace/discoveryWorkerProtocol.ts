// The messages between WorkerDiscovery (the caller's thread) and the discovery worker thread (discoveryWorker.ts).
import type { TransferredDefinitions } from '../definitions/transferredDefinitions';
import type { DefinitionIndexOptions } from '../definitions/definitionIndex';

/** The worker's `workerData`: which folder it discovers, and how it parses. */
export interface DiscoveryWorkerData {
  root: string;
  index: DefinitionIndexOptions;
}

/** Requests are answered one at a time, in order, each by one DiscoveryReply with the same id. */
export type DiscoveryRequest =
  | { id: number; kind: 'load' }
  | { id: number; kind: 'update'; paths: string[] };

export type DiscoveryReply =
  | { id: number; kind: 'definitions'; threadId: number; definitions: TransferredDefinitions }
  | { id: number; kind: 'error'; message: string };
