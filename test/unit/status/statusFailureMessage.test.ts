// What a failed status read tells the user: the instance or code location, Dagster's whole reason, and the fix that fits it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DagsterStatusError, statusErrorText } from '../../../src/core/coordinator/dagsterStatusReader';
import { statusFailureMessage } from '../../../src/core/status/statusFailureMessage';

const location = { name: 'quickstart', root: '', entryFiles: ['definitions.py'] };
const failure = (message: string, phase: 'instance' | 'location' | 'status', instance: string | null = '/home/me/dagster_home') =>
  statusFailureMessage(new DagsterStatusError(message, phase, instance), location, null, false);

test('an instance folder that does not exist: create it or point DAGSTER_HOME at the instance', () => {
  const m = failure('DagsterInvariantViolationError: $DAGSTER_HOME "/home/me/dagster_home" is not a directory or does not exist.', 'instance');
  assert.match(m, /^Could not open the Dagster instance at \/home\/me\/dagster_home to read partition statuses: DagsterInvariantViolationError/);
  assert.match(m, /Create that folder .* or set DAGSTER_HOME to your instance's folder\./);
  assert.match(m, /Statuses come from the project's own run records meanwhile\.$/);
});

test('a dagster.yaml Dagster rejects: fix it, with Dagster\'s own error lines kept on one line', () => {
  const text = statusErrorText({ class: 'DagsterInvalidConfigError', message: 'Errors whilst loading dagster instance config at dagster.yaml.\n    Error 1: Received unexpected config entry "bogus" at the root.', stack: '' });
  assert.equal(text, 'DagsterInvalidConfigError: Errors whilst loading dagster instance config at dagster.yaml. Error 1: Received unexpected config entry "bogus" at the root.');
  assert.match(failure(text, 'instance'), /"bogus" at the root\. Fix its dagster\.yaml as the error says/);
});

test('any other instance failure (a database that cannot be reached) points at the storage it configures', () => {
  assert.match(failure('OperationalError: could not connect to server: Connection refused', 'instance'), /Check the storage its dagster\.yaml configures/);
});

test('a code location that fails to load names the location; kept statuses are said to be the last ones read', () => {
  const m = statusFailureMessage(new DagsterStatusError('SyntaxError: invalid syntax (definitions.py, line 3)', 'location', '/h'), location, null, true);
  assert.match(m, /^Could not load code location "quickstart" to read partition statuses from the Dagster instance at \/h: SyntaxError/);
  assert.match(m, /The statuses shown are the last ones read\.$/);
});
