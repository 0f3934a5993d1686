// The host <-> webview contract's types in one place; each direction's schemas and parsers live in their own file.
export type { BackfillDetailsModel, BackfillProgressModel, FailureGroupModel, PartitionStripModel, RemoteDetailsModel, RunRowModel, TargetCountsModel } from './backfillDetailsPanelModel';
export type { HostToWebviewMessage } from './hostToWebviewMessage';
export type { PartitionStatusName } from './partitionStatusName';
export type { StatusToneName } from './statusTone';
export type { WebviewToHostMessage } from './webviewToHostMessage';

/** Run-length encodes statuses in key order. */
export function encodeStatusRuns<S extends string>(statuses: readonly S[]): [S, number][] {
  const runs: [S, number][] = [];
  for (const s of statuses) {
    const last = runs[runs.length - 1];
    if (last && last[0] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs;
}
