// Starts the fake Dagster webserver for one test and checks, when the test ends, that every request the client
// sent was valid for that server's schema (none answered 400 or left unmatched).
import assert from 'node:assert/strict';
import { DagsterDeployment, DagsterDeploymentError } from '../../../src/core/deployment/dagsterGraphqlClient';
import { DeploymentBackfills } from '../../../src/core/deployment/deploymentBackfills';
import { FakeDagsterWebserver, FakeDagsterWebserverOptions, startFakeDagsterWebserver } from '../../harness/fakeDagsterWebserver';

export async function withDeployment(
  options: FakeDagsterWebserverOptions & { deployment?: Partial<DagsterDeployment>; timeoutMs?: number; allowRejected?: boolean },
  body: (backfills: DeploymentBackfills, server: FakeDagsterWebserver) => Promise<void>,
): Promise<void> {
  const server = await startFakeDagsterWebserver(options);
  try {
    const deployment: DagsterDeployment = { name: 'prod', url: server.url, kind: 'oss', ...options.deployment };
    await body(new DeploymentBackfills(deployment, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), server);
    if (!options.allowRejected) {
      assert.deepEqual(server.requests.filter((r) => r.status === 400).map((r) => r.query), [], 'the client sent a request the schema rejects');
      assert.deepEqual(server.requests.flatMap((r) => r.unmatched), [], 'the client sent a request no exchange answers');
    }
  } finally {
    await server.close();
  }
}

/** Awaits the rejection and returns the DagsterDeploymentError, failing on anything else. */
export async function deploymentError(promise: Promise<unknown>): Promise<DagsterDeploymentError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof DagsterDeploymentError, `expected a DagsterDeploymentError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the operation to fail');
}
