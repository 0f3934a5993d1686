// Partition mappings Dagster refuses at load (validate_partition_mappings), reported on the mapping's line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverDefinitions } from '../../../src/core/definitions/discoverDefinitions';
import { NodeSourceFiles } from '../../../src/core/workspace/nodeSourceFiles';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/discovery/mappings');

test('mappings that cannot relate their two definitions are errors with Dagster\'s reason, on the mapping', async () => {
  const defs = await discoverDefinitions(new NodeSourceFiles(fixtures));
  const messages = defs.diagnostics.map((d) => `${d.location.file}:${d.location.line} ${d.severity} ${d.message}`);
  assert.deepEqual(messages.slice(0, 2), [
    "assets.py:38 error Invalid partition mapping from unknown_source to paint: mapping source partitions not in the upstream partitions definition: {'green'}",
    "assets.py:45 error Invalid partition mapping from unknown_target to paint: mapping target partitions not in the downstream partitions definition: {'xl'}",
  ]);
  assert.match(messages[2]!, /^assets\.py:54 error Invalid partition mapping from missing_dimension to tiles: Provided partition dimension name day not found in multipartitions definition /);
  assert.deepEqual(messages.slice(3), [
    "assets.py:61 error Invalid partition mapping from other_zone to events: Timezones UTC and America/New_York don't match",
    // The inferred default (IdentityPartitionMapping between a static parent and a daily child), on the asset.
    'assets.py:66 error Invalid partition mapping from inferred_identity to paint: Upstream and downstream partitions definitions must match, ' +
      'or a different partition mapping must be provided. Got upstream definition StaticPartitionsDefinition and downstream definition TimeWindowPartitionsDefinition',
  ]);
  // The assets are still listed, with their mapping text and where it is written.
  const unknownSource = defs.assets.find((a) => a.key[0] === 'unknown_source');
  assert.deepEqual(unknownSource?.deps, [{ key: ['paint'], mapping: 'StaticPartitionMapping({"red": "s", "green": ["m"]})', mappingLocation: { file: 'assets.py', line: 38, column: 45 } }]);
});
