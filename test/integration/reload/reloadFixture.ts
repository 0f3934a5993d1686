// The reload pass's workspace fixture (reload/workspace/ laid over the quickstart): daily_counts runs through
// pipelines/recorded_daily_counts.py, which logs each run's start and completion and holds partitions until released.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const TARGET = 'daily_counts';

function folder(): string {
  return vscode.workspace.workspaceFolders![0]!.uri.fsPath;
}

function fixturePath(...parts: string[]): string {
  return path.join(folder(), 'reload-fixture', ...parts);
}

/** Lets the wrapper of `partition` (or of every partition: 'all') go on and run daily_counts.py. */
export function release(partition: string): void {
  fs.mkdirSync(fixturePath('released'), { recursive: true });
  fs.writeFileSync(fixturePath('released', partition), '');
}

export interface RecordedEvent {
  event: 'start' | 'waiting' | 'done' | 'terminated';
  partition: string;
  pid: number;
  /** For 'terminated': the process that sent the SIGTERM. */
  sender?: number;
}

/** Every line the wrapper processes wrote so far, in order. */
export function recordedEvents(): RecordedEvent[] {
  const file = fixturePath('runs.log');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const m = /^(start|waiting|done|terminated) (\d{4}-\d{2}-\d{2}) (\d+)(?: (\d+))?$/.exec(line);
    if (!m || (m[1] === 'terminated') !== (m[4] !== undefined)) throw new Error(`unexpected line in ${file}: ${JSON.stringify(line)}`);
    return { event: m[1] as RecordedEvent['event'], partition: m[2]!, pid: Number(m[3]), ...(m[4] ? { sender: Number(m[4]) } : {}) };
  });
}

export function outputFile(partition: string): string {
  return path.join(folder(), 'output', TARGET, `${partition}.json`);
}
