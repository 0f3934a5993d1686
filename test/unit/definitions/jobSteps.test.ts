// The steps of @job bodies as discovery finds them: tables of Python sources and the step keys Dagster would name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionIndex } from '../../../src/core/definitions/definitionIndex';

const OPS = [
  'from dagster import op, graph, job, Out',
  '',
  '@op',
  'def a(): return 1',
  '',
  '@op',
  'def b(x=None): return x',
  '',
  '@op',
  'def c(x=None, y=None): return x',
  '',
  '@op(name="renamed", tags={"k": "v"})',
  'def d(x=None): return x',
  '',
  '@op(out={"left": Out(), "right": Out()})',
  'def split(): return 1, 2',
  '',
  '@graph',
  'def inner(x):',
  '    return b(a.alias("first")())',
  '',
  '@graph(name="outer_graph")',
  'def outer():',
  '    inner(a())',
  '    return c()',
  '',
].join('\n');

/** Steps of the job `j` whose body is `body` (indented lines), with the ops above in the same module. */
function stepsOf(body: string[], extra: Record<string, string> = {}): string[] | undefined {
  const index = new DefinitionIndex();
  const text = `${OPS}\n@job\ndef j():\n${body.map((l) => `    ${l}`).join('\n')}\n`;
  index.update(Object.entries({ 'ops.py': text, ...extra }).map(([path, t]) => ({ path, text: t })));
  const job = index.snapshot().jobs.find((x) => x.name === 'j');
  assert.ok(job, 'job j is discovered');
  return job.steps;
}

const FOLLOWED: [string, string[], string[]][] = [
  ['one op', ['a()'], ['a']],
  ['a docstring, comments and pass', ['"""The job."""', '# nothing here', 'a()', 'pass'], ['a']],
  ['nested calls run innermost first', ['c(b(a()))'], ['a', 'b', 'c']],
  ['assignments feed later ops', ['x = a()', 'y = b(x)', 'c(x, y=y)'], ['a', 'b', 'c']],
  ['independent ops keep source order', ['x = a()', 'y = b()', 'c(y)', 'd(x)'], ['a', 'b', 'c', 'renamed']],
  ['arguments are evaluated left to right', ['c(b(), a())'], ['b', 'a', 'c']],
  ['fan-in lists and dicts', ['c([a(), b()])'], ['a', 'b', 'c']],
  ['@op(name=...) names the step', ['d(a())'], ['a', 'renamed']],
  ['tuple outputs unpacked and read by name', ['left, right = split()', 'b(left)', 'c(right, split().left)'], ['split', 'b', 'split_2', 'c']],
  ['repeated invocations are numbered', ['a()', 'a()', 'b(a())'], ['a', 'a_2', 'a_3', 'b']],
  ['.alias names the step and does not count', ['a.alias("first")()', 'a()', 'a.alias(name="third")()'], ['first', 'a', 'third']],
  ['alias with tags and hooks', ['b.tag({"x": "1"}).alias("tagged")(a())'], ['a', 'tagged']],
  ['a graph expands to graph.op, nested graphs too', ['outer_graph_result = outer()', 'inner(a())'],
    ['outer_graph.a', 'outer_graph.inner.first', 'outer_graph.inner.b', 'outer_graph.c', 'a', 'inner.first', 'inner.b']],
  ['an aliased graph prefixes its alias', ['inner.alias("again")(a())'], ['a', 'again.first', 'again.b']],
  ['return of an invocation', ['return b(a())'], ['a', 'b']],
  ['a body that invokes nothing has no steps', ['pass'], []],
];

for (const [what, body, steps] of FOLLOWED) {
  test(`job steps: ${what}`, () => {
    assert.deepEqual(stepsOf(body), steps);
  });
}

const NOT_FOLLOWED: [string, string[]][] = [
  ['a conditional', ['if True:', '    a()']],
  ['a loop', ['for i in range(3):', '    a()']],
  ['a call of something that is not an op', ['print("x")', 'a()']],
  ['an undefined name', ['missing_op()']],
  ['dynamic outputs mapped', ['a().map(b)']],
  ['a comprehension', ['[a() for _ in range(2)]']],
  ['a conditional expression', ['a() if True else b()']],
  ['an alias that is not a literal', ['a.alias(NAME)()']],
  ['two invocations with one alias', ['a.alias("x")()', 'a.alias("x")()']],
  ['an alias clashing with a numbered name', ['a()', 'a.alias("a_2")()', 'a()']],
  ['a nested function', ['def helper():', '    return a()', 'helper()']],
  ['calling a local value', ['x = a', 'x()']],
  ['an op from outside the workspace', ['external_op()']],
];

for (const [what, body] of NOT_FOLLOWED) {
  test(`job steps are left to the runs: ${what}`, () => {
    const imports = what.includes('outside') ? ['from dagster_dbt import external_op'] : [];
    const index = new DefinitionIndex();
    const text = `${imports.join('\n')}\n${OPS}\n@job\ndef j():\n${body.map((l) => `    ${l}`).join('\n')}\n`;
    index.update([{ path: 'ops.py', text }]);
    const job = index.snapshot().jobs.find((x) => x.name === 'j');
    assert.ok(job, 'job j is still discovered');
    assert.equal(job.steps, undefined);
    assert.ok(!('steps' in job), 'no steps property when not followed');
  });
}

test('job steps: ops and graphs imported from other modules, in their own scopes', () => {
  const index = new DefinitionIndex();
  index.update([
    { path: 'pkg/__init__.py', text: '' },
    { path: 'pkg/ops.py', text: 'import dagster as dg\n\n@dg.op(name="load_" + "raw")\ndef load(): ...\n\n@dg.op\ndef clean(x): ...\n' },
    { path: 'pkg/graphs.py', text: 'from dagster import graph\nfrom .ops import clean as tidy\n\n@graph\ndef cleaning(x):\n    return tidy(tidy(x))\n' },
    { path: 'pkg/jobs.py', text: [
      'from dagster import job',
      'from pkg import ops',
      'from pkg.graphs import cleaning',
      '',
      '@job',
      'def pipeline():',
      '    cleaning(ops.load())',
      '',
      '@job(name="renamed_job")',
      'def other():',
      '    ops.clean(ops.load())',
    ].join('\n') },
  ]);
  const jobs = index.snapshot().jobs;
  assert.deepEqual(jobs.map((j) => [j.name, j.steps]), [
    ['pipeline', ['load_raw', 'cleaning.clean', 'cleaning.clean_2']],
    ['renamed_job', ['load_raw', 'clean']],
  ]);
});

test('job steps follow a change of an imported op module', () => {
  const index = new DefinitionIndex();
  index.update([
    { path: 'ops.py', text: 'from dagster import op\n\n@op\ndef load(): ...\n' },
    { path: 'jobs.py', text: 'from dagster import job\nfrom ops import load\n\n@job\ndef j():\n    load()\n' },
  ]);
  assert.deepEqual(index.snapshot().jobs[0]!.steps, ['load']);
  index.update([{ path: 'ops.py', text: 'from dagster import op\n\n@op(name="ingest")\ndef load(): ...\n' }]);
  assert.deepEqual(index.snapshot().jobs[0]!.steps, ['ingest']);
  index.update([{ path: 'ops.py', text: 'def load(): ...\n' }]);
  assert.equal(index.snapshot().jobs[0]!.steps, undefined, 'a plain function is not an op: not followed');
});

test('job steps of the quickstart job', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const file = path.resolve(__dirname, '../../../../examples/quickstart/definitions.py');
  const index = new DefinitionIndex();
  index.update([{ path: 'definitions.py', text: fs.readFileSync(file, 'utf8') }]);
  assert.deepEqual(index.snapshot().jobs.find((j) => j.name === 'do_stuff_partitioned')?.steps, ['do_stuff']);
});
