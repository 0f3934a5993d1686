// Every error the recorded Dagster 1.2 webserver gave (7x, 8x), and the transport's failures (401, 403, timeout,
// refused, HTTP 500, dropped connection), each turned into a message naming the deployment and what to do.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DagsterGraphqlClient } from '../../../src/core/deployment/dagsterGraphqlClient';
import { DeploymentBackfills } from '../../../src/core/deployment/deploymentBackfills';
import { isBackfillSettled, partitionsWithoutRun } from '../../../src/core/deployment/remoteBackfill';
import { closedLoopbackPort, loadRecordedExchanges } from '../../harness/fakeDagsterWebserver';
import { deploymentError, withDeployment } from './deploymentTestServer';

const recorded = (prefix: string) => {
  const exchange = loadRecordedExchanges('1.2', [prefix])[0];
  assert.ok(exchange, `no recording ${prefix}`);
  return exchange;
};
const paramsOf = (prefix: string) => recorded(prefix).request.variables!.backfillParams as Record<string, unknown>;
// graphql-core (Python) quotes names with ', graphql-js with ".
const sameMessage = (a: string) => a.replace(/'/g, '"');

describe('Dagster 1.2 errors (recorded)', () => {
  test('70-72: unknown partition set, location or repository: not launched, and said so', () => withDeployment({ fixtures: '1.2', only: ['70_', '71_', '72_'] }, async (backfills) => {
    const set = await deploymentError(backfills.launch({ backfillParams: paramsOf('70_'), notSent: [] }));
    assert.equal(set.kind, 'not-found');
    assert.match(set.message, /^Dagster deployment "prod" \(http:\/\/127\.0\.0\.1:\d+\): partition set "no_such_partition_set" not found in location "defs\.py", repository "__repository__": .* Nothing was launched\. \(Dagster: Partition set no_such_partition_set could not be found\.\)$/);
    assert.match((await deploymentError(backfills.launch({ backfillParams: paramsOf('71_'), notSent: [] }))).message, /no code location "no_such_location\.py" on the deployment\. Choose one of its locations\. Nothing was launched\./);
    assert.match((await deploymentError(backfills.launch({ backfillParams: paramsOf('72_'), notSent: [] }))).message, /location "defs\.py" has no repository "no_such_repo"\. Nothing was launched\. \(Dagster: KeyError: 'no_such_repo'\)/);
  }));

  test('73-75: unknown partition names of a job are accepted, then completed without a run: those partitions are named', () => withDeployment({ fixtures: '1.2', only: ['01_', '73_', '74_', '75_'] }, async (backfills) => {
    const { backfillId } = await backfills.launch({ backfillParams: paramsOf('73_'), notSent: [] });
    let b = await backfills.getBackfill(backfillId);
    while (!isBackfillSettled(b)) b = await backfills.getBackfill(backfillId);
    assert.equal(b.status, 'COMPLETED');
    assert.deepEqual(partitionsWithoutRun(b), ['1999-01-01']);
    const sync = await backfills.launch({ backfillParams: paramsOf('75_'), notSent: [] });
    assert.deepEqual(sync.launchedRunIds, []);
  }));

  test('76: an unknown partition name of an asset is refused before launch; sent anyway, the daemon fails the backfill', () => withDeployment({ fixtures: '1.2', only: ['01_', '76_', '76b_', '96_'] }, async (backfills, server) => {
    const refused = await deploymentError(backfills.launchAssetBackfill({ assetKeys: [['raw_events']], partitionNames: ['2026-11-02', '1999-01-01'] }));
    assert.equal(refused.kind, 'not-found');
    assert.match(refused.message, /asset "raw_events" has no partition "1999-01-01" on the deployment \(its partitions: 2026-11-01 … 2026-11-23 \(23\)\)\. .*Nothing was launched\.$/);
    assert.equal(server.requests.some((r) => r.operationName === 'BackfillStudioLaunchPartitionBackfill'), false);
    const { backfillId } = await backfills.launchAssetBackfill({ assetKeys: [['raw_events']], partitionNames: ['1999-01-01'], checkPartitionKeys: false });
    let b = await backfills.getBackfill(backfillId);
    while (!isBackfillSettled(b)) b = await backfills.getBackfill(backfillId);
    assert.equal(b.status, 'FAILED');
    assert.match(b.error?.message ?? '', /At least one run should be requested on first backfill iteration$/);
  }));

  test('77-80: unknown asset key, no target, no partitions, synchronous asset backfill', () => withDeployment({ fixtures: '1.2', only: ['01_', '77_', '78_', '79_', '80_', '99b_'] }, async (backfills) => {
    const checked = await deploymentError(backfills.launchAssetBackfill({ assetKeys: [['no_such_asset']], partitionNames: ['2026-11-20'] }));
    assert.match(checked.message, /asset "no_such_asset" is not defined on the deployment/);
    const asset = await deploymentError(backfills.launchAssetBackfill({ assetKeys: [['no_such_asset']], partitionNames: ['2026-11-20'], checkPartitionKeys: false }));
    assert.match(asset.message, /an asset key of the selection \(no_such_asset\) is not defined on the deployment\. .*Nothing was launched\. \(Dagster: StopIteration\)/);
    assert.match((await deploymentError(backfills.launch({ backfillParams: paramsOf('78_'), notSent: [] }))).message, /Dagster failed before it could start the backfill .*Nothing was launched\. \(Dagster: Exception: Permission launch_partition_backfill was never checked during the request\)/);
    const none = await deploymentError(backfills.launch({ backfillParams: paramsOf('79_'), notSent: [] }));
    assert.equal(none.kind, 'python-error');
    assert.match(none.message, /Dagster failed to launch the backfill \(DagsterError\): .*without specifying either "allPartitions" or "partitionNames" arguments Nothing was launched\./);
    assert.equal((await deploymentError(backfills.launch({ backfillParams: paramsOf('80_'), notSent: [] }))).kind, 'refused');
  }));

  test('81-86: requests the schema rejects are rejected by the fake as by the real server, and reported as such', () => withDeployment({ fixtures: '1.2', only: ['01_'], allowRejected: true }, async (backfills, server) => {
    for (const [prefix, status, pattern] of [
      ['81_', 500, /at "backfillParams\.selector"; Field "repositorySelector" of required type "RepositorySelector!" was not provided\./],
      ['82_', 500, /Field "partitionSet" is not defined by type "PartitionSetSelector"\. Did you mean "partitionSetName"\?/],
      ['83_', 500, /String cannot represent a non string value: \["__repository__"\]/],
      ['84_', 400, /Field "PartitionSetSelector\.repositorySelector" of required type "RepositorySelector!" was not provided\./],
      ['85_', 400, /Variable "\$backfillParams" of required type "LaunchBackfillParams!" was not provided\./],
      ['86_', 400, /Fragment cannot be spread here as objects of type "RepositoriesOrError" can never be of type "RepositoryNotFoundError"\./],
    ] as const) {
      const { request, response, http_status } = recorded(prefix);
      assert.equal(http_status, status, prefix);
      const e = await deploymentError(backfills.client.request(request.query, request.variables));
      assert.equal(e.kind, 'query-rejected', prefix);
      assert.equal(e.status, status, prefix);
      assert.match(e.message, pattern, prefix);
      assert.match(e.message, /rejected the request as invalid GraphQL for its schema/);
      if (status === 400) assert.equal(sameMessage(e.message).includes(sameMessage(response.errors![0].message)), true, `${prefix}: ${e.message}`);
    }
    assert.deepEqual(server.requests.map((r) => r.status), [500, 500, 500, 400, 400, 400]);
  }));

  test('87: a resolver that raises is a server failure, not a rejected query', () => withDeployment({ fixtures: '1.2', only: ['87_'] }, async (backfills) => {
    const { request } = recorded('87_');
    const e = await deploymentError(backfills.client.request(request.query));
    assert.equal(e.kind, 'python-error');
    assert.match(e.message, /the server failed while answering \(HTTP 500\): Expected non-None value: depended_by_loader must exist .*Check the webserver's log/);
  }));

  test('88-90: an unknown backfill id: not found when read, and a clear refusal for cancel and resume', () => withDeployment({ fixtures: '1.2', only: ['01_', '88_', '89_', '90_'] }, async (backfills) => {
    const read = await deploymentError(backfills.getBackfill('nosuchid'));
    assert.equal(read.kind, 'not-found');
    assert.match(read.message, /no backfill with id "nosuchid"\. It may have been deleted on the deployment, or was launched on another one\./);
    assert.match((await deploymentError(backfills.cancelBackfill('nosuchid'))).message, /Dagster could not cancel backfill "nosuchid": .*when the backfill does not exist or is an asset backfill/);
    const resume = await deploymentError(backfills.resumeBackfill('nosuchid'));
    assert.match(resume.message, /Dagster could not resume backfill "nosuchid": .*when the backfill does not exist\. Nothing changed\./);
  }));

  test('the fake validates like the server: a field 1.2 does not have is rejected (PartitionBackfill.id)', () => withDeployment({ fixtures: '1.2', only: ['01_'], allowRejected: true }, async (backfills, server) => {
    const e = await deploymentError(backfills.client.request('query ($id: String!) { partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill { id } } }', { id: 'cikfincq' }));
    assert.equal(e.kind, 'query-rejected');
    assert.match(e.message, /Cannot query field "id" on type "PartitionBackfill"/);
    assert.equal(server.requests[0].status, 400);
  }));
});

describe('transport failures', () => {
  test('401: Dagster+ without a token, then with a wrong one; the token travels in Dagster-Cloud-Api-Token', () => withDeployment({ fixtures: '1.2', only: ['01_'], requireToken: 'user:secret', deployment: { kind: 'dagster-plus' } }, async (backfills, server) => {
    const missing = await deploymentError(backfills.serverCapabilities());
    assert.equal(missing.kind, 'unauthorized');
    assert.match(missing.message, /Dagster\+ asks for a user token \(HTTP 401\)\. Set the deployment's token/);
    const wrong = new DeploymentBackfills({ ...backfills.deployment, token: 'user:wrong' });
    assert.match((await deploymentError(wrong.serverCapabilities())).message, /the Dagster\+ user token was not accepted \(HTTP 401\)/);
    const right = new DeploymentBackfills({ ...backfills.deployment, token: 'user:secret' });
    assert.equal((await right.serverCapabilities()).version, '1!0+dev');
    assert.deepEqual(server.requests.map((r) => r.token), [undefined, 'user:wrong', 'user:secret']);
  }));

  test('403: a token without access', () => withDeployment({ fixtures: '1.2', only: ['01_'], forbiddenToken: 'viewer', deployment: { kind: 'dagster-plus', token: 'viewer' } }, async (backfills) => {
    const e = await deploymentError(backfills.serverCapabilities());
    assert.equal(e.kind, 'forbidden');
    assert.match(e.message, /^Dagster deployment "prod" .*: the token may not use this deployment \(HTTP 403\)/);
  }));

  test('timeout: a server that never answers', () => withDeployment({ fixtures: '1.2', only: ['01_'], timeoutMs: 300 }, async (backfills, server) => {
    server.respondNext('hang');
    const e = await deploymentError(backfills.serverCapabilities());
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /no answer within 0\.3 s\. The webserver may be overloaded or the address wrong/);
    // A failed detection is not kept: the next call asks again.
    assert.equal((await backfills.serverCapabilities()).version, '1!0+dev');
  }));

  test('HTTP 500 with a PythonError body, and a dropped connection', () => withDeployment({ fixtures: '1.2', only: ['01_'] }, async (backfills, server) => {
    server.respondNext('python-error-500');
    const e = await deploymentError(backfills.serverCapabilities());
    assert.equal(e.kind, 'python-error');
    assert.match(e.message, /the server failed while answering \(HTTP 500, OperationalError\): sqlalchemy\.exc\.OperationalError/);
    server.respondNext('drop-connection');
    assert.equal((await deploymentError(backfills.serverCapabilities())).kind, 'unreachable');
  }));

  test('connection refused, a URL that is not the webserver, a URL that is not http', async () => {
    const port = await closedLoopbackPort();
    const refused = await deploymentError(new DeploymentBackfills({ name: 'local', url: `http://127.0.0.1:${port}`, kind: 'oss' }).serverCapabilities());
    assert.equal(refused.kind, 'unreachable');
    assert.match(refused.message, new RegExp(`^Dagster deployment "local" \\(http://127\\.0\\.0\\.1:${port}\\): connection refused: nothing listens at this address\\. Start the webserver`));
    await withDeployment({ fixtures: '1.2', only: ['01_'] }, async (backfills, server) => {
      const elsewhere = await deploymentError(new DeploymentBackfills({ ...backfills.deployment, url: `${server.url}/nothing` }).serverCapabilities());
      assert.match(elsewhere.message, /HTTP 404: the answer is not GraphQL JSON \("Not Found"\)\. Check that the URL is the Dagster webserver's/);
    });
    assert.throws(() => new DagsterGraphqlClient({ name: 'x', url: 'ftp://host', kind: 'oss' }), /Dagster deployment "x": "ftp:\/\/host" is not an http\(s\) URL\./);
  });
});

describe('the fake webserver itself', () => {
  test('every recorded 1.2 request validates against the introspected schema, except the six the real server rejected', () => withDeployment({ fixtures: '1.2', only: [''] }, async (_backfills, server) => {
    const all = loadRecordedExchanges('1.2', ['']).map((e) => e.name);
    assert.deepEqual(all.filter((n) => !server.exchangeNames.includes(n)), ['81_error_malformed_selector_missing_field.json', '82_error_malformed_selector_unknown_field.json', '83_error_malformed_selector_wrong_type.json', '84_error_malformed_selector_inline.json', '85_error_missing_variable.json', '86_error_invalid_fragment.json']);
  }));

  test('every authored newer exchange validates against the newer schema', () => withDeployment({ fixtures: 'newer', only: [''] }, async (_backfills, server) => {
    assert.deepEqual(server.exchangeNames, loadRecordedExchanges('newer', ['']).map((e) => e.name));
  }));
});
