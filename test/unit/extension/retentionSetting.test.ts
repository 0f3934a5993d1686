// The retention settings as the engine reads them: the manifest's defaults, 0 for "keep", bad values kept safe.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_RETENTION } from '../../../src/core/backfill/backfillRetention';
import { DEFAULT_MAX_AGE_DAYS, DEFAULT_MAX_LOG_MEGABYTES, retentionPolicy } from '../../../src/extension/retentionSetting';
import { repoRoot } from '../project/repoRoot';

const config = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

test('the settings become the policy; 0 turns a limit off; a value that is not a positive number keeps everything', () => {
  assert.deepEqual(retentionPolicy(config({})), { maxAgeDays: 30, maxLogBytes: 1024 * 1024 * 1024 });
  assert.deepEqual(retentionPolicy(config({ 'retention.maxAgeDays': 7, 'retention.maxLogMegabytes': 1.5 })), { maxAgeDays: 7, maxLogBytes: 1572864 });
  assert.deepEqual(retentionPolicy(config({ 'retention.maxAgeDays': 0, 'retention.maxLogMegabytes': 0 })), { maxAgeDays: null, maxLogBytes: null });
  assert.deepEqual(retentionPolicy(config({ 'retention.maxAgeDays': 'soon', 'retention.maxLogMegabytes': -3 })), { maxAgeDays: null, maxLogBytes: null });
});

test('the manifest declares both settings with the engine\'s defaults, and a restricted window ignores a folder\'s values', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  };
  const props = manifest.contributes.configuration.properties;
  assert.equal(props['backfillStudio.retention.maxAgeDays']!.default, DEFAULT_MAX_AGE_DAYS);
  assert.equal(props['backfillStudio.retention.maxLogMegabytes']!.default, DEFAULT_MAX_LOG_MEGABYTES);
  assert.equal(DEFAULT_RETENTION.maxAgeDays, DEFAULT_MAX_AGE_DAYS);
  assert.equal(DEFAULT_RETENTION.maxLogBytes, DEFAULT_MAX_LOG_MEGABYTES * 1024 * 1024);
  for (const key of ['backfillStudio.retention.maxAgeDays', 'backfillStudio.retention.maxLogMegabytes']) {
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
  }
});
