// A command target for coordinator tests: a Node script that records its starts, ends and completions in a
// shared folder, checks the concurrency limits itself, and can wait for a release file, fail or sleep.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import type { PartitionsDefinition } from '../../../src/core/partitions/partitionsDefinition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

/**
 * Environment of the script (all optional): LIMIT_ALL, LIMIT_PER_BACKFILL, LIMIT_TEAM_<value>: exit 7 when
 * more siblings run than allowed; GATE=1: wait for <dir>/release; GATE_KEYS=k1,k2: only those keys wait for
 * it; SLEEP_MS; FAIL_KEYS=k1,k2: exit 1 for
 * those keys; FAIL_UNTIL_ATTEMPT=n: exit 1 while BACKFILL_RUN_ATTEMPT < n; SLOW_KEY, SLOW_MS: that key sleeps longer.
 */
const SCRIPT = String.raw`
const fs = require('fs'), path = require('path');
const [dir, name, key] = process.argv.slice(2);
const e = process.env;
const tags = JSON.parse(e.BACKFILL_RUN_TAGS || '{}');
const team = tags.team || '-';
const running = path.join(dir, 'running');
fs.mkdirSync(running, { recursive: true });
const mine = path.join(running, [e.BACKFILL_ID, team, process.pid].join('~'));
fs.writeFileSync(mine, key);
const others = fs.readdirSync(running).map((f) => f.split('~'));
const problems = [];
if (e.LIMIT_ALL && others.length > Number(e.LIMIT_ALL)) problems.push(others.length + ' runs at once, limit ' + e.LIMIT_ALL);
const sameBackfill = others.filter((o) => o[0] === e.BACKFILL_ID).length;
if (e.LIMIT_PER_BACKFILL && sameBackfill > Number(e.LIMIT_PER_BACKFILL)) problems.push(sameBackfill + ' runs of one backfill, limit ' + e.LIMIT_PER_BACKFILL);
const teamLimit = e['LIMIT_TEAM_' + team];
const sameTeam = others.filter((o) => o[1] === team).length;
if (teamLimit && sameTeam > Number(teamLimit)) problems.push(sameTeam + ' runs of team ' + team + ', limit ' + teamLimit);
const line = (o) => fs.appendFileSync(path.join(dir, 'log'), JSON.stringify(o) + '\n');
line({ event: 'start', name, key, backfill: e.BACKFILL_ID, attempt: Number(e.BACKFILL_RUN_ATTEMPT), tags, pid: process.pid });
const finish = () => {
  fs.rmSync(mine, { force: true });
  if (problems.length) { console.error(problems.join('; ')); process.exit(7); }
  const failKeys = (e.FAIL_KEYS || '').split(',');
  if (failKeys.includes(key) || Number(e.BACKFILL_RUN_ATTEMPT) < Number(e.FAIL_UNTIL_ATTEMPT || 0)) { line({ event: 'fail', name, key }); process.exit(1); }
  fs.mkdirSync(path.join(dir, 'done'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'done', [name, key, process.pid].join('~')), '');
  line({ event: 'end', name, key });
  process.exit(0);
};
const sleep = key === e.SLOW_KEY ? Number(e.SLOW_MS) : Number(e.SLEEP_MS || 0);
const gated = e.GATE || (e.GATE_KEYS ? e.GATE_KEYS.split(',') : []).includes(key);
const wait = () => (gated && !fs.existsSync(path.join(dir, 'release')) ? setTimeout(wait, 10) : setTimeout(finish, sleep));
wait();
`;

export interface TargetEvent {
  event: 'start' | 'end' | 'fail';
  name: string;
  key: string;
  backfill?: string;
  attempt?: number;
  tags?: Record<string, string>;
  pid?: number;
}

export class RecordingFolder {
  readonly script: string;

  /** A new folder, or (in a child process) the one a test made. */
  constructor(readonly dir: string = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-coord-'))) {
    this.script = path.join(dir, 'target.js');
    if (!fs.existsSync(this.script)) fs.writeFileSync(this.script, SCRIPT);
  }

  target(name: string, env: Record<string, string> = {}, deps: string[] = [], partitions: PartitionsDefinition = dailyPartitionsDefinition({ start_date: '2024-01-01' })): CommandTarget {
    return {
      kind: 'command', name, location: { file: 'backfills.yaml', line: 1 }, partitions, deps, backfillPolicy: null,
      command: [process.execPath, this.script, this.dir, name, '{partition_key}'], cwd: '', env,
    };
  }

  events(): TargetEvent[] {
    const file = path.join(this.dir, 'log');
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TargetEvent);
  }

  starts(): TargetEvent[] {
    return this.events().filter((e) => e.event === 'start');
  }

  /** Successful completions per "name key" (a target run that exited 0 left one file each). */
  completions(): Map<string, number> {
    const counts = new Map<string, number>();
    const done = path.join(this.dir, 'done');
    if (!fs.existsSync(done)) return counts;
    for (const f of fs.readdirSync(done)) {
      const [name, key] = f.split('~');
      counts.set(`${name} ${key}`, (counts.get(`${name} ${key}`) ?? 0) + 1);
    }
    return counts;
  }

  release(): void {
    fs.writeFileSync(path.join(this.dir, 'release'), '');
  }
}

/** Polls until `condition` holds; the guard only turns a hang into a failure that says what was awaited. */
export async function until(what: string, condition: () => boolean, guardMs = 60_000): Promise<void> {
  const deadline = Date.now() + guardMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
