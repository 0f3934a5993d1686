// Actions are offered only when they can act: the Backfills view's context menu, as package.json's `when` clauses
// read each row's context value (backfillContextValue), for every kind of backfill.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BackfillCounts, BackfillRecord } from '../../../src/core/backfill/backfill';
import type { RemoteBackfill } from '../../../src/core/deployment/remoteBackfill';
import { backfillContextValue } from '../../../src/extension/backfillContextValue';
import { repoRoot } from '../project/repoRoot';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };

/** The backfill commands a row with `contextValue` offers in a trusted workspace, evaluating the `when` clauses' viewItem terms. */
function offered(contextValue: string): string[] {
  return manifest.contributes.menus['view/item/context']!
    .filter((m) => m.when?.includes('view == backfillStudio.backfills'))
    .filter((m) => m.when!.split('&&').map((t) => t.trim()).every((term) => {
      const equals = /^viewItem == (\S+)$/.exec(term);
      if (equals) return contextValue === equals[1];
      const matches = /^viewItem =~ \/(.*)\/$/.exec(term);
      if (matches) return new RegExp(matches[1]!).test(contextValue);
      assert.ok(term === 'view == backfillStudio.backfills' || term === 'isWorkspaceTrusted', `a term this test does not read: ${term}`);
      return true;
    }))
    .map((m) => m.command.replace('backfillStudio.', ''))
    .filter((c) => c !== 'showBackfillDetails');
}

const record = (status: BackfillRecord['status'], pausedAt: number | null = null): BackfillRecord =>
  ({ id: 'abcdefgh', status, targets: ['t'], partitionCount: 4, origin: 'cli', createdAt: 0, endedAt: null, selection: 'x', pausedAt });
const counts = (over: Partial<BackfillCounts>): BackfillCounts => ({ total: 4, queued: 0, inProgress: 0, succeeded: 2, failed: 1, canceled: 0, skipped: 1, ...over });

test('each kind of backfill offers exactly the actions that can act on it', () => {
  const rows: [string, BackfillRecord, BackfillCounts][] = [
    ['running', record('REQUESTED'), counts({ queued: 1, succeeded: 1 })],
    ['paused', record('REQUESTED', 5), counts({ queued: 1, succeeded: 1 })],
    ['canceling', record('CANCELING'), counts({ inProgress: 1, succeeded: 1 })],
    ['canceled, runs to launch again', record('CANCELED'), counts({ canceled: 1, succeeded: 1 })],
    ['canceled, nothing left to launch', record('CANCELED'), counts({})],
    ['failed at its failure limit', record('FAILED'), counts({ canceled: 2, succeeded: 0 })],
    ['completed with failures', record('COMPLETED_FAILED'), counts({})],
    ['completed, all succeeded', record('COMPLETED_SUCCESS'), counts({ succeeded: 4, failed: 0, skipped: 0 })],
  ];
  const menus = Object.fromEntries(rows.map(([name, b, c]) => [name, offered(backfillContextValue(b, c))]));
  assert.deepEqual(menus, {
    running: ['cancelBackfill', 'pauseBackfill'],
    paused: ['cancelBackfill', 'resumeBackfill'],
    canceling: [],
    'canceled, runs to launch again': ['resumeBackfill', 'reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    'canceled, nothing left to launch': ['reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    'failed at its failure limit': ['resumeBackfill', 'reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    'completed with failures': ['reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    'completed, all succeeded': ['reexecuteBackfill'],
  });
});

test("a backfill on a Dagster deployment offers what the server allows: no pause, nothing while FAILING or CANCELING, no resume for an asset backfill", () => {
  const remote = (status: BackfillRecord['status'], dagster: string): BackfillRecord =>
    ({ ...record(status), remote: { deployment: 'prod', url: 'http://127.0.0.1:3000', kind: 'oss', backfillId: 'cikfincq', status: dagster } });
  const none = counts({ total: 0, succeeded: 0, failed: 0, skipped: 0 });
  const rows: [string, BackfillRecord, RemoteBackfill?][] = [
    ['requested', remote('REQUESTED', 'REQUESTED')],
    ['failing', remote('REQUESTED', 'FAILING')],
    ['canceling', remote('CANCELING', 'CANCELING')],
    ['canceled job backfill', remote('CANCELED', 'CANCELED')],
    ['canceled asset backfill', remote('CANCELED', 'CANCELED'), { kind: 'asset', status: 'CANCELED', hasCancelPermission: true, hasResumePermission: true } as RemoteBackfill],
    ['failed', remote('FAILED', 'FAILED')],
    ['completed with failures', remote('COMPLETED_FAILED', 'COMPLETED_FAILED')],
    ['1.2 completed, a run failed', remote('COMPLETED_FAILED', 'COMPLETED')],
    ['completed, all succeeded', remote('COMPLETED_SUCCESS', 'COMPLETED_SUCCESS')],
    ['no cancel permission', remote('REQUESTED', 'REQUESTED'), { kind: 'job', status: 'REQUESTED', hasCancelPermission: false, hasResumePermission: false } as RemoteBackfill],
  ];
  const menus = Object.fromEntries(rows.map(([name, b, latest]) => [name, offered(backfillContextValue(b, none, latest))]));
  assert.deepEqual(menus, {
    requested: ['cancelBackfill'],
    failing: [],
    canceling: [],
    'canceled job backfill': ['resumeBackfill', 'reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    'canceled asset backfill': ['reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    failed: ['resumeBackfill', 'reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    'completed with failures': ['reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    '1.2 completed, a run failed': ['reexecuteBackfill', 'reexecuteBackfillFromFailure'],
    'completed, all succeeded': ['reexecuteBackfill'],
    'no cancel permission': [],
  });
});
