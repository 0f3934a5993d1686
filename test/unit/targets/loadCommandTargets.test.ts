// Tests for reading command targets from backfills.yaml: the quickstart file and every validation error.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DefinitionDiagnostic } from '../../../src/core/definitions/definition';
import type { PartitionsDefinition } from '../../../src/core/partitions/partitionsDefinition';
import { loadCommandTargets } from '../../../src/core/targets/loadCommandTargets';

/**
 * Test double for the partitions evaluator (the real one is tested with the definitions): it knows a
 * "Fake" static constructor and rejects everything else, as the real evaluator does with unknown calls.
 */
function fakeEvaluatePartitions(expr: string): PartitionsDefinition {
  const match = /^(?:DailyPartitionsDefinition\(start_date="[^"]+"\)|StaticPartitionsDefinition\(\["a", "b"\]\))$/.exec(expr);
  const badDate = /start_date="(\d{4}-13-\d\d)"/.exec(expr);
  if (badDate) throw Object.assign(new Error(`bad date at column ${badDate.index + 13}`), { reason: `bad date ${badDate[1]}`, column: badDate.index + 13 });
  if (!match) throw new Error(`unknown partitions expression ${expr}`);
  const keys = expr.startsWith('Static') ? ['a', 'b'] : ['2024-01-01', '2024-01-02'];
  return {
    kind: 'static',
    keys: () => [...keys],
    count: () => keys.length,
    hasKey: (key) => keys.includes(key),
    keysInRange: (start, end) => keys.slice(keys.indexOf(start), keys.indexOf(end) + 1),
    timeWindow: () => null,
    describe: () => expr,
    toJSON: () => ({ kind: 'static', keys: [...keys] }),
  };
}

const QUICKSTART = `targets:
  daily_counts:
    partitions: DailyPartitionsDefinition(start_date="2024-01-01")
    command: ["python3", "pipelines/daily_counts.py", "--date", "{partition_key}"]
    deps: [raw_events]
`;

function load(text: string, file = 'backfills.yaml') {
  return loadCommandTargets(file, text, fakeEvaluatePartitions);
}

/** Each diagnostic as "line:severity:message" for compact assertions. */
function summary(diagnostics: DefinitionDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.location.line}:${d.severity}:${d.message}`);
}

function target(fields: string): string {
  return `targets:\n  t:\n${fields}`;
}

const GOOD_FIELDS = '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")\n    command: [run]\n';

test('the quickstart file gives one command target', () => {
  const { targets, diagnostics } = load(QUICKSTART);
  assert.deepEqual(diagnostics, []);
  assert.equal(targets.length, 1);
  const t = targets[0]!;
  assert.equal(t.kind, 'command');
  assert.equal(t.name, 'daily_counts');
  assert.deepEqual(t.location, { file: 'backfills.yaml', line: 2, column: 3 });
  assert.deepEqual(t.command, ['python3', 'pipelines/daily_counts.py', '--date', '{partition_key}']);
  assert.deepEqual(t.deps, ['raw_events']);
  assert.equal(t.cwd, '');
  assert.deepEqual(t.env, {});
  assert.equal(t.backfillPolicy, null);
  assert.equal(t.partitions.describe(), 'DailyPartitionsDefinition(start_date="2024-01-01")');
});

test('optional fields: policy, env values as text, cwd relative to the file\'s folder', () => {
  const text = target(GOOD_FIELDS + '    backfill_policy: BackfillPolicy.multi_run(max_partitions_per_run=10)\n    cwd: ../tools\n    env: {LOG_LEVEL: info, RETRIES: 3, DEBUG: true, EMPTY: ""}\n');
  const { targets, diagnostics } = load(text, 'pipelines/etl/backfills.yaml');
  assert.deepEqual(diagnostics, []);
  const t = targets[0]!;
  assert.equal(t.backfillPolicy, 'BackfillPolicy.multi_run(max_partitions_per_run=10)');
  assert.equal(t.cwd, 'pipelines/tools');
  assert.deepEqual(t.env, { LOG_LEVEL: 'info', RETRIES: '3', DEBUG: 'true', EMPTY: '' });
  assert.equal(t.location.file, 'pipelines/etl/backfills.yaml');
  assert.equal(load(target(GOOD_FIELDS), 'sub/backfills.yaml').targets[0]!.cwd, 'sub');
  assert.equal(load(target(GOOD_FIELDS + '    cwd: .\n'), 'sub/backfills.yaml').targets[0]!.cwd, 'sub');
  assert.equal(load(target(GOOD_FIELDS + '    cwd: ..\n'), 'sub/backfills.yaml').targets[0]!.cwd, '');
});

test('a YAML syntax error becomes one located diagnostic', () => {
  const { targets, diagnostics } = load('targets:\n  a:\n\tpartitions: x\n');
  assert.deepEqual(targets, []);
  assert.equal(diagnostics.length, 1);
  assert.deepEqual(diagnostics[0]!.location, { file: 'backfills.yaml', line: 3, column: 1 });
  assert.match(diagnostics[0]!.message, /Tabs are not allowed as indentation/);
  assert.equal(diagnostics[0]!.severity, 'error');
});

test('top-level shape problems', () => {
  assert.deepEqual(summary(load('# nothing yet\n').diagnostics), ['1:warning:backfills.yaml is empty; expected a "targets:" mapping']);
  assert.match(summary(load('- a\n').diagnostics)[0]!, /^1:error:expected a mapping with a "targets:" key/);
  assert.match(summary(load('target:\n  a: 1\n').diagnostics).join('\n'), /1:warning:unknown top-level key "target"[^\n]*\n1:error:missing the top-level "targets:" mapping/);
  assert.match(summary(load('targets: [a]\n').diagnostics)[0]!, /^1:error:"targets" must be a mapping/);
  assert.deepEqual(load('targets: {}\n'), { targets: [], diagnostics: [], protectedPartitions: {} });
});

test('one bad target does not drop the good ones', () => {
  const text = `targets:\n  good:\n${GOOD_FIELDS}  bad:\n    partitions: NoSuchPartitions()\n    command: [run]\n  also_good:\n${GOOD_FIELDS}`;
  const { targets, diagnostics } = load(text);
  assert.deepEqual(targets.map((t) => t.name), ['good', 'also_good']);
  assert.deepEqual(summary(diagnostics), ['6:error:target "bad": partitions: unknown partitions expression NoSuchPartitions()']);
  assert.deepEqual(diagnostics[0]!.location, { file: 'backfills.yaml', line: 6, column: 17 });
});

test('an evaluator error with a column points into the expression', () => {
  const { diagnostics } = load(target('    partitions: DailyPartitionsDefinition(start_date="2024-13-01")\n    command: [run]\n'));
  assert.equal(diagnostics.length, 1);
  assert.deepEqual(diagnostics[0]!.location, { file: 'backfills.yaml', line: 3, column: 17 + 'DailyPartitionsDefinition(start_date="'.length });
  assert.equal(diagnostics[0]!.message, 'target "t": partitions: bad date 2024-13-01');
});

const CASES: [string, string, RegExp][] = [
  ['missing partitions', '    command: [run]\n', /^2:error:target "t": missing "partitions"/],
  ['partitions not a string', '    partitions: [a]\n    command: [run]\n', /^3:error:target "t": "partitions" must be a Dagster expression string, found a list/],
  ['missing command', '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")\n', /^2:error:target "t": missing "command"/],
  ['command as one string', '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")\n    command: python3 job.py\n', /^4:error:target "t": "command" must be a list of arguments \(it is never run through a shell\)/],
  ['empty command', '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")\n    command: []\n', /^4:error:target "t": "command" must not be empty/],
  ['command item not a string', '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")\n    command:\n      - run\n      - {a: 1}\n', /^6:error:target "t": command\[1\] must be a string, found a mapping/],
  ['empty program', '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")\n    command: ["", x]\n', /^4:error:target "t": command\[0\] \(the program to run\) must not be empty/],
  ['deps not a list', GOOD_FIELDS + '    deps: raw_events\n', /^5:error:target "t": "deps" must be a list/],
  ['dep not a string', GOOD_FIELDS + '    deps: [ok, [nested]]\n', /^5:error:target "t": deps\[1\] must be a target name or asset key string, found a list/],
  ['bad backfill policy', GOOD_FIELDS + '    backfill_policy: BackfillPolicy.multi_run(0)\n', /^5:error:target "t": "backfill_policy" must be BackfillPolicy.single_run\(\) or BackfillPolicy.multi_run\(N\)/],
  ['cwd not a string', GOOD_FIELDS + '    cwd: [a]\n', /^5:error:target "t": "cwd" must be a folder path relative to backfills.yaml/],
  ['cwd outside the workspace', GOOD_FIELDS + '    cwd: ../elsewhere\n', /^5:error:target "t": "cwd" must be a relative path that stays inside the workspace/],
  ['absolute cwd', GOOD_FIELDS + '    cwd: /tmp\n', /^5:error:target "t": "cwd" must be a relative path/],
  ['env not a mapping', GOOD_FIELDS + '    env: [A]\n', /^5:error:target "t": "env" must be a mapping/],
  ['env value missing', GOOD_FIELDS + '    env:\n      A:\n', /^6:error:target "t": env A must have a string value, found nothing/],
  ['env value a list', GOOD_FIELDS + '    env: {A: [1]}\n', /^5:error:target "t": env A must have a string value, found a list/],
  ['env name invalid', GOOD_FIELDS + '    env: {"BAD-NAME": 1}\n', /^5:error:target "t": env variable name "BAD-NAME" is not valid/],
];

for (const [name, fields, expected] of CASES) {
  test(`validation: ${name}`, () => {
    const { targets, diagnostics } = load(target(fields));
    assert.deepEqual(targets, [], 'a target with an error is left out');
    assert.equal(diagnostics.length, 1, summary(diagnostics).join('\n'));
    assert.match(summary(diagnostics)[0]!, expected);
  });
}

test('a target that is not a mapping, and a name Dagster would not accept', () => {
  assert.match(summary(load('targets:\n  t:\n').diagnostics)[0]!, /^2:error:target "t" must be a mapping with "partitions" and "command", found nothing/);
  assert.match(summary(load('targets:\n  t: [x]\n').diagnostics)[0]!, /^2:error:target "t" must be a mapping/);
  const { targets, diagnostics } = load(`targets:\n  bad-name:\n${GOOD_FIELDS}`);
  assert.deepEqual(targets, []);
  assert.match(summary(diagnostics)[0]!, /^2:error:target "bad-name": the name may only contain letters, digits and underscores/);
});

test('every error of a target is reported, not only the first', () => {
  const { diagnostics } = load(target('    partitions: Nope()\n    command: []\n    deps: x\n'));
  assert.deepEqual(diagnostics.map((d) => d.location.line), [3, 4, 5]);
});

test('warnings keep the target: unknown fields and unknown placeholders', () => {
  const { targets, diagnostics } = load(target(GOOD_FIELDS + '    retries: 3\n    deps:\n').replace('command: [run]', 'command: [run, "{partiton_key}"]'));
  assert.equal(targets.length, 1);
  assert.deepEqual(targets[0]!.deps, []);
  const [unknownField, unknownPlaceholder] = summary(diagnostics);
  assert.equal(diagnostics.length, 2);
  assert.match(unknownField!, /^5:warning:target "t": unknown field "retries" \(ignored\); known fields: partitions, command/);
  assert.match(unknownPlaceholder!, /^4:warning:target "t": command\[1\] has unknown placeholder "\{partiton_key\}" \(left as written\); known: \{partition_key\}/);
});

test('protected partitions: a target\'s list and the top-level map for Dagster definitions, checked and located', () => {
  const ok = load(`protected:
  analytics/daily_events: ["2024-01-05", "[2024-02-01...2024-02-03]"]
  nightly_job: [a]
targets:
  t:
${GOOD_FIELDS}    protected: ["2024-01-01", "2024-01-01...2024-01-02"]
`);
  assert.deepEqual(ok.diagnostics, []);
  assert.deepEqual(ok.targets[0]!.protected, ['2024-01-01', '2024-01-01...2024-01-02']);
  assert.deepEqual(ok.protectedPartitions, { 'analytics/daily_events': ['2024-01-05', '[2024-02-01...2024-02-03]'], nightly_job: ['a'] });
  assert.equal('protected' in load(target(GOOD_FIELDS)).targets[0]!, false, 'absent when none');

  const bad = load(`protected:
  a/b: "2024-01-05"
  c: ["x...", 3]
targets:
  t:
${GOOD_FIELDS}    protected: ["2024-01-09", "[2024-01-01"]
`);
  assert.deepEqual(summary(bad.diagnostics), [
    '2:error:protected "a/b" must be a list of partition keys or ranges, e.g. ["2024-01-05", "2024-02-01...2024-02-03"]; found "2024-01-05"',
    '3:error:protected "c"[0]: partition selection "x...": range "x..." needs a start and an end at column 5',
    '8:warning:target "t": "protected"[0]: "2024-01-09" is not a partition of DailyPartitionsDefinition(start_date="2024-01-01") (yet); it protects nothing until it is',
    '8:error:target "t": "protected"[1]: partition selection "[2024-01-01": unclosed [ at column 1',
  ]);
  assert.deepEqual(bad.protectedPartitions, {}, 'a list with an error is left out');
  assert.deepEqual(bad.targets, [], 'a target with an error is left out');
});
