// `backfill job`, `backfill asset` and `backfill plan`: plan a backfill, confirm, run it with live progress.
import { countRuns, endedRuns, type BackfillRecord } from '../core/backfill/backfill';
import { runStatusLabel } from '../core/backfill/backfillStatusLabel';
import * as fs from 'node:fs';
import { SKIP_REASON_TEXT, runPartitionLabel } from '../core/backfill/backfillPlan';
import type { BackfillPlan } from '../core/backfill/planBackfill';
import { planDocument } from './planDocument';
import { savedPlanText, type PlanRequest } from '../core/backfill/savedPlanFile';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';
import { compactPartitionList } from './partitionList';
import { askYesNo } from './prompt';
import { renderProgress, renderSummary } from './progressReport';

export interface LaunchOptions {
  targets: string[];
  plan: BackfillPlan;
  noprompt: boolean;
  dryRun: boolean;
  /** `plan --json --key-space`: the plan as saved, with every key of the definitions (runs point into them). */
  keySpace?: boolean;
  /** What was asked for (saved with the plan so it can be re-checked at launch). */
  request: PlanRequest;
  /** `plan --save FILE`: where to write the plan. */
  save?: string | undefined;
  /** `--tags`: added to every run's tags. */
  tags?: Record<string, string> | undefined;
}

/** Runs listed in the text form of a plan before "… and N more". */
const PLAN_LINES = 200;

function printPlan(out: CliOutput, plan: BackfillPlan, partitionsLine: string): void {
  out.line(`Plan: ${plan.runs.length} runs over ${plan.partitionKeys.length} partitions of ${plan.targets.join(', ')} (${plan.partitionCount} asset partitions, reprocess ${plan.reprocess})`);
  out.line(`Partitions: ${partitionsLine}`);
  plan.runs.slice(0, PLAN_LINES).forEach((r, i) => {
    out.line(`  #${i} ${r.targets.join(',')} ${runPartitionLabel(r) || '(unpartitioned)'}${r.upstream.length ? `  after ${r.upstream.length > 6 ? `${r.upstream.length} runs` : r.upstream.map((u) => `#${u}`).join(' ')}` : ''}`);
  });
  if (plan.runs.length > PLAN_LINES) out.line(`  … and ${plan.runs.length - PLAN_LINES} more runs (--json lists them all)`);
  for (const s of plan.skipped) {
    const ranges = s.ranges.slice(0, 5).map((r) => (r.start === r.end ? r.start : `${r.start}...${r.end}`)).join(', ');
    out.line(`Skipped ${s.target}: ${s.count} partition(s), ${SKIP_REASON_TEXT[s.reason]}: ${ranges}${s.ranges.length > 5 ? ', …' : ''}`);
  }
}

export async function runLaunch(ws: BackfillWorkspace, out: CliOutput, o: LaunchOptions): Promise<number> {
  const { plan } = o;
  const definition = ws.findTargets(plan.targets).find((d) => d.partitions !== null);
  const allKeys = definition?.partitions?.keys(new Date(plan.plannedAt)) ?? plan.partitionKeys;
  if (o.dryRun) {
    if (o.save) {
      fs.writeFileSync(o.save, savedPlanText(o.request, plan));
      out.error(`Saved the plan to ${o.save}; launch it with: backfill asset --plan ${o.save}`);
    }
    if (out.json) out.document(o.keySpace ? plan : planDocument(plan));
    else printPlan(out, plan, compactPartitionList(plan.partitionKeys, allKeys));
    return 0;
  }
  ws.assertLaunchable(plan);
  if (plan.runs.length === 0) {
    const why = plan.skipped.map((k) => `${k.count} of ${k.target} ${SKIP_REASON_TEXT[k.reason]}`).join('; ');
    out.line(`Nothing to run: every selected partition is skipped (${why}). Backfill not launched.`);
    return 0;
  }
  if (!o.noprompt && !process.stdin.isTTY) {
    throw new CliError('standard input is not a terminal, so nothing can be confirmed: add --noprompt to launch without asking');
  }
  out.line(`Backfill of ${plan.targets.join(', ')}: ${plan.partitionKeys.length} partitions, ${plan.runs.length} runs`);
  out.line(`Partitions: ${compactPartitionList(plan.partitionKeys, allKeys)}`);
  if (!o.noprompt) {
    const yes = await askYesNo(`Do you want to proceed with the backfill (${plan.partitionKeys.length} partitions)? [y/N] `);
    if (!yes) {
      out.line('Backfill not launched.');
      return 0;
    }
  }
  const record = await ws.launch(plan, o.tags ? { tags: o.tags } : {});
  out.line(`Launched backfill ${record.id}`);
  return followBackfill(ws, out, record);
}

/** Shows a running backfill's progress until it ends (Ctrl-C cancels it); the exit code says how it ended. */
export async function followBackfill(ws: BackfillWorkspace, out: CliOutput, record: BackfillRecord): Promise<number> {
  const { daemon, store } = await ws.engine();
  const started = Date.now();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) return;
    interrupted = true;
    out.error(`\nInterrupted: canceling backfill ${record.id} (running runs are terminated)`);
    daemon.cancel(record.id);
  };
  process.on('SIGINT', onSigint);
  const sub = daemon.onDidChange((e) => {
    if (e.backfillId !== record.id || !e.runId) return;
    const run = store.getRun(e.runId);
    const counts = countRuns(store.listRuns(record.id));
    if (out.tty) out.status(renderProgress(counts, Date.now() - started));
    else if (run && (run.status === 'SUCCESS' || run.status === 'FAILURE')) {
      out.line(`${(run.status === 'SUCCESS' ? 'ok' : runStatusLabel(run.status).label).padEnd(6)} ${run.target} ${run.partitionKey}${run.error ? `: ${run.error}` : ''}  (${endedRuns(counts)}/${counts.total})`);
    }
  });
  let final: BackfillRecord;
  try {
    final = await daemon.whenDone(record.id);
    await store.flush();
  } finally {
    sub.dispose();
    process.off('SIGINT', onSigint);
  }
  const runs = store.listRuns(record.id);
  // `error` is the CLI's own failure document: a backfill's stored error is `backfillError`.
  if (out.json) out.document({ backfillId: final.id, status: final.status, counts: countRuns(runs), ...(final.error ? { backfillError: final.error } : {}) });
  else renderSummary(final, runs, Date.now() - started).forEach((l) => out.line(l));
  if (interrupted) return 130;
  return final.status === 'COMPLETED_SUCCESS' ? 0 : 1;
}
