// statusFailureMessage: what a failed status request tells the user: which instance or code location, why, and the fix.
import { DagsterStatusError } from '../coordinator/dagsterStatusReader';
import type { DefinitionCodeLocation } from '../definitions/definition';

/** The instance by its path when the runner named it, else where the runner looks for it. */
export function instanceWhere(instance: string | null): string {
  return instance ? `the Dagster instance at ${instance}` : 'the Dagster instance ($DAGSTER_HOME, else .backfills/dagster_home in the workspace)';
}

/** `keptGood`: whether statuses read before are still shown (else the project's records alone are). */
export function statusFailureMessage(error: unknown, location: DefinitionCodeLocation, lastInstance: string | null, keptGood: boolean): string {
  const kept = keptGood ? ' The statuses shown are the last ones read.' : " Statuses come from the project's own run records meanwhile.";
  if (!(error instanceof DagsterStatusError)) return `Could not read partition statuses from ${instanceWhere(lastInstance)}: ${error instanceof Error ? error.message : String(error)}.${kept}`;
  const where = instanceWhere(error.instance ?? lastInstance);
  const reason = error.message.replace(/\.$/, '');
  switch (error.failure) {
    case 'instance':
      return `Could not open ${where} to read partition statuses: ${reason}. ${instanceFix(reason)}${kept}`;
    case 'location':
      return `Could not load code location ${JSON.stringify(location.name)} to read partition statuses from ${where}: ${reason}. Fix the error in its code; the next refresh tries again.${kept}`;
    default:
      return `Could not read partition statuses from ${where}: ${reason}.${kept}`;
  }
}

/** The fix for an instance that cannot be opened, by what Dagster said. */
function instanceFix(reason: string): string {
  if (/is not a directory or does not exist|must be an absolute path|DagsterHomeNotSetError/.test(reason)) {
    return 'Create that folder (an empty dagster.yaml in it makes it an instance), or set DAGSTER_HOME to your instance\'s folder.';
  }
  if (/DagsterInvalidConfigError|dagster\.yaml|YAMLError|ScannerError|ParserError|mapping values/.test(reason)) {
    return 'Fix its dagster.yaml as the error says, or set DAGSTER_HOME to a working instance.';
  }
  return 'Check the storage its dagster.yaml configures (a database that cannot be reached, missing credentials), or set DAGSTER_HOME to a working instance.';
}
