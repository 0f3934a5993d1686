// Signals a run's process group: runs lead their own group, so the run's pid is the group id and its children get the signal too.
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}
