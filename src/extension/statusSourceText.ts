// The words that say where partition statuses come from (Dagster's instance, or only this project's runs, and why).
import type { PartitionStatusSource } from '../core/status/partitionStatusCache';

/** "Statuses: Dagster instance /home/me/dagster_home and this project's runs", or why only the project's runs. */
export function describeStatusSource(source: PartitionStatusSource, trusted: boolean): string {
  if (!trusted) return 'Statuses: this project\'s runs only. Dagster\'s statuses are not read in an untrusted workspace (reading them runs the workspace\'s code).';
  if (source.kind === 'instance') {
    const where = source.instance ? `Dagster instance ${source.instance}` : 'the Dagster instance';
    const base = `Statuses: ${where} and this project's runs.`;
    return source.error ? `${base} The last refresh failed, so these are the last statuses read: ${source.error}` : base;
  }
  return `Statuses: this project's runs only. Dagster's statuses are not shown because ${lowerFirst(conciseReason(source))}`;
}

/**
 * The Definitions view's one-line message, or undefined when there is nothing to say (statuses from Dagster, a
 * workspace without Dagster code, the first read still to come). Short: it sits above the tree, which must stay in
 * view; the whole reason is in the panels and the Output channel.
 */
export function statusSourceMessage(source: PartitionStatusSource, trusted: boolean): string | undefined {
  if (!trusted || source.kind === 'instance' || /has not been read yet|has no Dagster assets or jobs/.test(source.reason)) return undefined;
  if (source.dagsterMissing) return 'Counts are this project\'s runs only: the Python interpreter cannot import dagster. Run "Backfill Studio: Select Python Interpreter".';
  return 'Counts are this project\'s runs only: the Dagster instance could not be read (see the Backfill Studio output).';
}

/** A missing dagster's reason without the runner's how-to list: its first sentence and where to choose another interpreter. */
function conciseReason(source: Extract<PartitionStatusSource, { kind: 'project' }>): string {
  if (!source.dagsterMissing) return source.reason;
  const first = source.reason.split(/\.\s/)[0]!.replace(/\.$/, '');
  return `${first}. Choose one that has it with "Backfill Studio: Select Python Interpreter" (or backfillStudio.pythonPath).`;
}

function lowerFirst(text: string): string {
  const t = text.trim().replace(/\.$/, '');
  return `${t.charAt(0).toLowerCase()}${t.slice(1)}.`;
}
