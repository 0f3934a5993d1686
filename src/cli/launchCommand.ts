// `backfill job`, `backfill asset` and `backfill plan`: plan a backfill, confirm, run it with live progress.
import { countRuns, type BackfillRecord } from '../core/backfill/backfill';
import type { BackfillPlan } from '../core/backfill/planBackfill';
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
}

export async function runLaunch(ws: BackfillWorkspace, out: CliOutput, o: LaunchOptions): Promise<number> {
  const { plan } = o;
  const definition = ws.findTargets([plan.targets[0]!])[0]!;
  const allKeys = definition.partitions!.keys(ws.clock.now());
  if (o.dryRun) {
    if (out.json) out.document({ targets: plan.targets, partitionKeys: plan.partitionKeys, runs: plan.runs });
    else {
      out.line(`Plan: ${plan.runs.length} runs over ${plan.partitionKeys.length} partitions of ${plan.targets.join(', ')}`);
      out.line(`Partitions: ${compactPartitionList(plan.partitionKeys, allKeys)}`);
    }
    return 0;
  }
  ws.assertLaunchable(plan);
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
  const record = await ws.launch(plan);
  const { daemon, store } = await ws.engine();
  out.line(`Launched backfill ${record.id}`);
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
      out.line(`${run.status === 'SUCCESS' ? 'ok    ' : 'FAILED'} ${run.target} ${run.partitionKey}${run.error ? `: ${run.error}` : ''}  (${counts.succeeded + counts.failed}/${counts.total})`);
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
  if (out.json) out.document({ backfillId: final.id, status: final.status, counts: countRuns(runs) });
  else renderSummary(final, runs, Date.now() - started).forEach((l) => out.line(l));
  if (interrupted) return 130;
  return final.status === 'COMPLETED_SUCCESS' ? 0 : 1;
}
