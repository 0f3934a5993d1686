// The identity a panel's page saves with its webview state, read back by the panel serializers after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelIdentityOf } from '../../../src/shared/panelIdentity';

test('a saved state yields the folder and the target or backfill it names', () => {
  assert.deepEqual(panelIdentityOf({ view: 'partitions', model: {}, panel: { folder: 'file:///w', target: 'daily_counts', location: 'defs' } }),
    { folder: 'file:///w', target: 'daily_counts', location: 'defs' });
  assert.deepEqual(panelIdentityOf({ panel: { folder: 'file:///w', backfillId: 'abcdefgh' } }), { folder: 'file:///w', backfillId: 'abcdefgh' });
});

test('no identity, or a malformed one, is null: the serializer says the panel cannot be restored', () => {
  for (const state of [undefined, null, 'x', {}, { panel: null }, { panel: {} }, { panel: { target: 'a' } }, { panel: { folder: 3 } },
    { panel: { folder: 'file:///w', target: '' } }, { panel: { folder: 'file:///w', backfillId: ['x'] } }]) {
    assert.equal(panelIdentityOf(state), null, JSON.stringify(state));
  }
});

test('fields other than the identity are not carried over', () => {
  assert.deepEqual(panelIdentityOf({ panel: { folder: 'file:///w', extra: 'x' } }), { folder: 'file:///w' });
});
