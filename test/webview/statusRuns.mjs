// Run-length encoding of partition statuses for test models, mirroring encodeStatusRuns in src/shared/protocol.ts.
export function encodeStatusRunsForTest(statuses) {
  const runs = [];
  for (const s of statuses) {
    const last = runs[runs.length - 1];
    if (last && last[0] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs;
}
