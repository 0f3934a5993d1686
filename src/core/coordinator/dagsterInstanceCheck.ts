// Asks the user's Dagster instance, through the runner's check mode, what became of an interrupted run: whether an
// asset partition was materialized since a time, and which status Dagster recorded for a run id; and marks a canceled
// run CANCELED when its runner was killed before it could.
import { RunnerProcess } from './runnerProcess';

export interface InstanceCheckOptions {
  python: string;
  runnerScript: string;
  workspaceRoot: string;
  env?: NodeJS.ProcessEnv;
}

export interface InstanceCheckQuery {
  asset?: string;
  partition?: string | null;
  since?: Date;
  dagsterRunId?: string;
  /** A run the user canceled whose runner was killed before it told Dagster: marked CANCELED unless it ended SUCCESS. */
  canceledDagsterRunId?: string;
}

export interface InstanceCheckAnswer {
  materialized: boolean;
  /** The run that materialized it, when one did. */
  runId?: string;
  /** Dagster's status of the asked run id (SUCCESS, FAILURE, CANCELED, STARTED...), null when the instance has no such run. */
  runStatus?: string | null;
}

/** One runner process in check mode; rejects when the runner cannot answer. */
export async function checkInstance(options: InstanceCheckOptions, query: InstanceCheckQuery): Promise<InstanceCheckAnswer> {
  let answer: InstanceCheckAnswer | undefined;
  let log = '';
  const child = new RunnerProcess({
    python: options.python, script: options.runnerScript, mode: 'check', cwd: options.workspaceRoot,
    ...(options.env ? { env: options.env } : {}),
    onMessage: (m) => {
      if (m.event === 'check_result') answer = { materialized: m.materialized, ...(m.runId ? { runId: m.runId } : {}), ...(m.runStatus !== undefined ? { runStatus: m.runStatus } : {}) };
      if (m.event === 'dagster_missing') log += m.message;
    },
    onOutput: (text) => (log += text),
  });
  child.send({
    workspaceRoot: options.workspaceRoot,
    ...(query.asset ? { asset: query.asset, partition: query.partition ?? null, since: (query.since?.getTime() ?? 0) / 1000 } : {}),
    ...(query.dagsterRunId ? { dagsterRunId: query.dagsterRunId } : {}),
    ...(query.canceledDagsterRunId ? { canceledDagsterRunId: query.canceledDagsterRunId } : {}),
  });
  child.endInput();
  const exit = await child.exited;
  if (!answer) {
    const what = query.asset ? `${query.asset} ${query.partition ?? ''}`.trim() : `Dagster run ${query.dagsterRunId ?? query.canceledDagsterRunId}`;
    throw new Error(`could not check ${what}: ${exit.spawnError ?? (log.trim().split('\n').pop() || `runner exited with code ${exit.code}`)}`);
  }
  return answer;
}
