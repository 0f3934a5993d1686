// Reading configured deployments (bad entries named, a token in settings refused) and resolving --deployment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDagsterDeployment, readDagsterDeployments } from '../../../src/core/deployment/dagsterDeployments';

test('deployments from settings: good entries kept, each bad one named with where it is', () => {
  const { deployments, problems } = readDagsterDeployments([
    { name: 'prod', url: 'https://acme.dagster.cloud/prod', kind: 'dagster-plus' },
    { name: 'local', url: 'http://localhost:3000' },
    { name: 'bad', url: 'localhost:3000' },
    { url: 'http://x' },
    { name: 'odd', url: 'http://x', kind: 'cloud' },
    { name: 'leaky', url: 'http://y', token: 'user:secret' },
    { name: 'prod', url: 'http://z' },
  ], 'backfillStudio.deployments');
  assert.deepEqual(deployments, [
    { name: 'prod', url: 'https://acme.dagster.cloud/prod', kind: 'dagster-plus' },
    { name: 'local', url: 'http://localhost:3000', kind: 'oss' },
    { name: 'leaky', url: 'http://y', kind: 'oss' },
  ]);
  assert.deepEqual(problems, [
    'backfillStudio.deployments[2] ("bad"): "url" must be the webserver\'s http(s) address, e.g. http://localhost:3000.',
    'backfillStudio.deployments[3]: "name" is missing.',
    'backfillStudio.deployments[4] ("odd"): "kind" must be "oss" or "dagster-plus", not "cloud".',
    'backfillStudio.deployments[5] ("leaky"): "token" is ignored here: a token is never kept in settings (VS Code keeps it in its SecretStorage; the CLI reads it from the environment).',
    'backfillStudio.deployments[6]: a second deployment named "prod"; the first is used.',
  ]);
  assert.equal(JSON.stringify(deployments).includes('user:secret'), false);
  assert.deepEqual(readDagsterDeployments({ name: 'x' }, 'settings').problems, ['settings: expected a list of deployments ({ "name", "url", "kind" }), got object.']);
});

test('--deployment: a configured name, else a URL (Dagster+ under dagster.cloud), with the token given', () => {
  const configured = [{ name: 'prod', url: 'https://acme.dagster.cloud/prod', kind: 'dagster-plus' as const }];
  assert.deepEqual(findDagsterDeployment('prod', configured, 'user:t'), { ...configured[0], token: 'user:t' });
  assert.deepEqual(findDagsterDeployment('http://127.0.0.1:3000', configured), { name: '127.0.0.1:3000', url: 'http://127.0.0.1:3000', kind: 'oss' });
  assert.equal(findDagsterDeployment('https://acme.dagster.cloud/staging', configured).kind, 'dagster-plus');
  assert.throws(() => findDagsterDeployment('staging', configured), /no Dagster deployment "staging": give a webserver URL \(http:\/\/host:3000\) or one of the configured names \("prod"\)\./);
});
