// Tests for reading YAML into located nodes (the `yaml` package underneath): forms, positions and errors.
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
  rejects('targets:\n\tdaily: 1\n', 2, 1, /Tabs are not allowed as indentation/);
});

test('duplicate keys are rejected at the second one, naming the first line', () => {
  rejects('targets:\n  a: 1\n  b: 2\n  a: 3\n', 4, 3, /duplicate key "a" \(first defined on line 2\)/);
  rejects('env: {A: 1, A: 2}', 1, 13, /duplicate key "A"/);
});

test('block scalars, anchors, aliases, merge keys and tags: YAML the old subset parser refused', () => {
  const text = [
    'defaults: &defaults',
    '  partitions: DailyPartitionsDefinition(start_date="2024-01-01")',
    '  env: {LOG_LEVEL: info}',
    'targets:',
    '  a:',
    '    <<: *defaults',
    '    command: [python3, a.py]',
    '    env: {LOG_LEVEL: debug}',
    '  b:',
    '    <<: [*defaults]',
    '    description: |',
    '      two',
    '      lines',
    '    folded: >-',
    '      one',
    '      line',
    '    tagged: !!str 7',
  ].join('\n');
  const root = parse(text);
  assert.deepEqual(plain(root), {
    defaults: { partitions: 'DailyPartitionsDefinition(start_date="2024-01-01")', env: { LOG_LEVEL: 'info' } },
    targets: {
      a: { command: ['python3', 'a.py'], env: { LOG_LEVEL: 'debug' }, partitions: 'DailyPartitionsDefinition(start_date="2024-01-01")' },
      b: { description: 'two\nlines\n', folded: 'one line', tagged: '7', partitions: 'DailyPartitionsDefinition(start_date="2024-01-01")', env: { LOG_LEVEL: 'info' } },
    },
  });
  // A merged value keeps the position where it is written, so a diagnostic on it points at the anchor's text.
  assert.ok(root?.kind === 'mapping');
  const a = root.entries[1]!.value;
  assert.ok(a.kind === 'mapping' && a.entries[0]!.value.kind === 'mapping');
  const partitions = a.entries[0]!.value.entries.find((e) => e.key === 'partitions')!;
  assert.deepEqual([partitions.line, partitions.value.line, partitions.value.column], [2, 2, 15]);
  rejects('a: 1\nb: *base\n', 2, 4, /the alias \*base names no anchor: define &base before it/);
  rejects('a: {x: 1}\nb:\n  <<: 3\n', 3, 7, /a merge key \("<<"\) takes a mapping or a list of mappings/);
});

test('structural errors point at the offending place', () => {
  rejects('a: [1, 2\nb: 3\n', 2, 1, /Flow sequence in block collection must be sufficiently indented and end with a \]/);
  rejects('a: {k: 1\n', 2, 1, /end with a \}/);
  rejects('a: [1] extra\n', 1, 8, /Unexpected scalar/);
  rejects('a: "unterminated\n', 2, 1, /Missing closing "quote/);
  rejects('a: "bad \\q escape"\n', 1, 9, /Invalid escape sequence \\q/);
  rejects('a:\n    b: 1\n  c: 2\n', 3, 1, /All mapping items must start at the same column/);
  rejects('a: 1\n  b: 2\n', 1, 4, /Nested mappings are not allowed in compact mappings/);
  rejects('- x\nb: 1\n', 2, 1, /Unexpected scalar/);
  rejects('a: - b\n', 1, 4, /Unexpected block-seq-ind on same line with key/);
  rejects('---\na: 1\n---\nb: 2\n', 3, 1, /only one YAML document/);
  rejects('? [a]\n: 1\n', 1, 3, /a key must be a plain or quoted text, not a list or mapping/);
});
