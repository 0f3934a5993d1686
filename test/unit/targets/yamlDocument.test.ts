// Tests for the backfills.yaml YAML subset parser: accepted forms, positions and each rejected feature.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { YamlError, parseYamlDocument } from '../../../src/core/targets/yamlDocument';
import type { YamlNode } from '../../../src/core/targets/yamlDocument';

/** Plain JS value of a node, to compare whole documents at once. */
function plain(node: YamlNode | null): unknown {
  if (node === null) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'sequence') return node.items.map(plain);
  return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
}

function parse(text: string): YamlNode | null {
  return parseYamlDocument('backfills.yaml', text);
}

function rejects(text: string, line: number, column: number, pattern: RegExp): void {
  assert.throws(() => parse(text), (err: unknown) => {
    assert.ok(err instanceof YamlError, `expected YamlError, got ${String(err)}`);
    assert.equal(err.line, line, err.message);
    assert.equal(err.column, column, err.message);
    assert.match(err.reason, pattern);
    assert.equal(err.message, `backfills.yaml:${line}:${column}: ${err.reason}`);
    return true;
  });
}

test('parses the documented backfills.yaml form with comments', () => {
  const text = [
    '---',
    '# targets for the quickstart',
    'targets:',
    '  daily_counts:',
    '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")',
    '    command: ["python3", "pipelines/daily_counts.py", "--date", "{partition_key}"]',
    '    deps: [raw_events]                           # optional: other targets or asset keys ("a/b")',
    '    backfill_policy: BackfillPolicy.single_run()  # optional, as in Dagster',
    '    cwd: .                                       # optional, relative to the file',
    '    env: {LOG_LEVEL: info}                       # optional',
    '',
  ].join('\n');
  assert.deepEqual(plain(parse(text)), {
    targets: {
      daily_counts: {
        partitions: 'DailyPartitionsDefinition(start_date="2024-01-01")',
        command: ['python3', 'pipelines/daily_counts.py', '--date', '{partition_key}'],
        deps: ['raw_events'],
        backfill_policy: 'BackfillPolicy.single_run()',
        cwd: '.',
        env: { LOG_LEVEL: 'info' },
      },
    },
  });
});

test('keeps 1-based lines and columns of keys and values', () => {
  const root = parse('targets:\n  a:\n    command: [x, "y"]\n');
  assert.ok(root?.kind === 'mapping');
  const targets = root.entries[0]!;
  assert.deepEqual([targets.line, targets.column], [1, 1]);
  assert.ok(targets.value.kind === 'mapping');
  const a = targets.value.entries[0]!;
  assert.deepEqual([a.key, a.line, a.column], ['a', 2, 3]);
  assert.ok(a.value.kind === 'mapping');
  const command = a.value.entries[0]!.value;
  assert.ok(command.kind === 'sequence');
  assert.deepEqual([command.line, command.column], [3, 14]);
  assert.deepEqual(command.items.map((i) => [i.line, i.column]), [[3, 15], [3, 18]]);
});

test('block sequences, nested mappings in items and a sequence at its key\'s indentation', () => {
  const text = 'a:\n  - one\n  - k: v\n    k2: w\n  - - x\n    - y\nb:\n- p\n- q\nc:\n';
  assert.deepEqual(plain(parse(text)), { a: ['one', { k: 'v', k2: 'w' }, ['x', 'y']], b: ['p', 'q'], c: null });
});

test('scalars: quotes, escapes, comments inside quotes, plain resolution', () => {
  const text = [
    `a: "tab\\there \\"q\\" \\u00e9 # not a comment"`,
    `b: 'it''s # also not'`,
    `c: it's plain # a comment`,
    'd: ~',
    'e: true',
    'f: False',
    'g: -42',
    'h: 3.5',
    'i: "123"',
    'j: 99999999999999999999',
    'k: x#y',
  ].join('\n');
  assert.deepEqual(plain(parse(text)), {
    a: 'tab\there "q" é # not a comment',
    b: "it's # also not",
    c: "it's plain",
    d: null,
    e: true,
    f: false,
    g: -42,
    h: '3.5',
    i: '123',
    j: '99999999999999999999',
    k: 'x#y',
  });
});

test('flow collections: quoting, nesting, trailing commas and several lines', () => {
  const text = 'a: [a, "b c", \'d\', {k: [1, 2]}, ]\nb: {X: 1, "Y": "two", Z: }\nc: [\n  first,  # comment\n  "second",\n]\nd: []\ne: {}\n';
  assert.deepEqual(plain(parse(text)), {
    a: ['a', 'b c', 'd', { k: [1, 2] }],
    b: { X: 1, Y: 'two', Z: null },
    c: ['first', 'second'],
    d: [],
    e: {},
  });
});

test('a plain value continued on deeper lines is folded with spaces', () => {
  const text = 'p: TimeWindowPartitionsDefinition(cron_schedule="0 0 * * *",\n     start="2024-01-01")\nq: 1\n';
  assert.deepEqual(plain(parse(text)), { p: 'TimeWindowPartitionsDefinition(cron_schedule="0 0 * * *", start="2024-01-01")', q: 1 });
});

test('empty documents, comment-only documents and CRLF line ends', () => {
  assert.equal(parse(''), null);
  assert.equal(parse('# nothing\n\n---\n'), null);
  assert.deepEqual(plain(parse('a: 1\r\nb:\r\n  - x\r\n')), { a: 1, b: ['x'] });
});

test('tab indentation is rejected at the tab', () => {
  rejects('targets:\n\tdaily: 1\n', 2, 1, /tabs are not allowed/);
});

test('duplicate keys are rejected at the second one, naming the first line', () => {
  rejects('targets:\n  a: 1\n  b: 2\n  a: 3\n', 4, 3, /duplicate key "a" \(first defined on line 2\)/);
  rejects('env: {A: 1, A: 2}', 1, 13, /duplicate key "A"/);
});

test('anchors, aliases, tags and block scalars are rejected', () => {
  rejects('a: &base 1\n', 1, 4, /anchors/);
  rejects('a: 1\nb: *base\n', 2, 4, /aliases/);
  rejects('a: !!str 1\n', 1, 4, /tags/);
  rejects('a: |\n  text\n', 1, 4, /block scalars/);
  rejects('a: >-\n  text\n', 1, 4, /block scalars/);
  rejects('a: [x, *y]\n', 1, 8, /aliases/);
});

test('structural errors point at the offending place', () => {
  rejects('a: [1, 2\nb: 3\n', 1, 4, /"\[" is never closed/);
  rejects('a: [1,\nb: 3\n', 1, 4, /"\[" is never closed/);
  rejects('a: {k: \nb: 3\n', 1, 4, /"\{" is never closed/);
  rejects('a: {k: 1\n', 1, 4, /"\{" is never closed/);
  rejects('a: [1] extra\n', 1, 8, /unexpected text after the closing "\]"/);
  rejects('a: "unterminated\n', 1, 4, /unterminated double-quoted string/);
  rejects('a: "bad \\q escape"\n', 1, 9, /invalid escape "\\q"/);
  rejects('a:\n    b: 1\n  c: 2\n', 3, 3, /unexpected indentation/);
  rejects('a: 1\n  b: 2\n', 2, 3, /unexpected "key: value"/);
  rejects('- x\nb: 1\n', 2, 1, /unexpected content/);
  rejects('a:\n  b: 1\n  - c\n', 3, 3, /found a list item/);
  rejects('a: - b\n', 1, 4, /a list cannot start on the same line/);
  rejects('---\na: 1\n---\nb: 2\n', 3, 1, /only one YAML document/);
  rejects('a: [k: v]\n', 1, 6, /inside \[\.\.\.\] is not supported/);
});
