// evaluatePartitionsExpression: Dagster constructor expressions, and errors that say what and at which column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionsExpressionError, evaluatePartitionsExpression } from '../../../src/core/definitions/evaluatePartitionsExpression';

const json = (expr: string) => evaluatePartitionsExpression(expr).toJSON();
const now = new Date('2024-01-04T00:00:00Z');

test('helpers with keyword and positional arguments and dg./dagster. prefixes', () => {
  assert.deepEqual(json('DailyPartitionsDefinition(start_date="2024-01-01")'),
    { kind: 'time_window', cron: '0 0 * * *', start: '2024-01-01T00:00:00+00:00', end: null, timezone: 'UTC', fmt: '%Y-%m-%d', endOffset: 0 });
  assert.deepEqual(json('HourlyPartitionsDefinition(start_date="2022-01-01-00:00", timezone="US/Pacific")'),
    { kind: 'time_window', cron: '0 * * * *', start: '2022-01-01T00:00:00-08:00', end: null, timezone: 'US/Pacific', fmt: '%Y-%m-%d-%H:%M', endOffset: 0 });
  assert.equal((json('dg.WeeklyPartitionsDefinition("2024-01-01", None, 30, 2, 1)') as { cron: string }).cron, '30 2 * * 1');
  assert.equal((json('dagster.MonthlyPartitionsDefinition(start_date="2024-01-01", day_offset=5, end_offset=-1)') as { cron: string }).cron, '0 0 5 * *');
  assert.deepEqual(evaluatePartitionsExpression('DailyPartitionsDefinition("2024-01-01", end_date="2024-01-03")  # two days').keys(now), ['2024-01-01', '2024-01-02']);
});

test('datetime and date values, and the base class with a cron', () => {
  assert.deepEqual(evaluatePartitionsExpression('DailyPartitionsDefinition(start_date=datetime(2024, 1, 2))').keys(now), ['2024-01-02', '2024-01-03']);
  assert.deepEqual(evaluatePartitionsExpression('DailyPartitionsDefinition(start_date=datetime.date(2024, 1, 3))').keys(now), ['2024-01-03']);
  const tw = evaluatePartitionsExpression('TimeWindowPartitionsDefinition(cron_schedule="0 7 * * *", start="2024-01-01", fmt="%Y-%m-%d", end_offset=1)');
  assert.deepEqual(tw.keys(new Date('2024-01-02T08:00:00Z')), ['2024-01-01', '2024-01-02']);
  assert.equal((json('TimeWindowPartitionsDefinition(start="2024-01-01", fmt="%Y-%m-%d", schedule_type=ScheduleType.WEEKLY, day_offset=1)') as { cron: string }).cron, '0 0 * * 1');
});

test('static partitions from a list or tuple', () => {
  assert.deepEqual(json('StaticPartitionsDefinition(["a", \'b\', "c"])'), { kind: 'static', keys: ['a', 'b', 'c'] });
  assert.deepEqual(json('dg.StaticPartitionsDefinition(partition_keys=("x",))'), { kind: 'static', keys: ['x'] });
});

/** `at` is the text the error must point at (its first occurrence), or a column number. */
function fails(expr: string, pattern: RegExp, at: string | number): void {
  const column = typeof at === 'number' ? at : expr.indexOf(at) + 1;
  assert.throws(() => evaluatePartitionsExpression(expr), (e: unknown) => {
    assert.ok(e instanceof PartitionsExpressionError, `expected PartitionsExpressionError, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.equal(e.column, column, e.message);
    assert.match(e.message, new RegExp(`at column ${column}$`));
    return true;
  });
}

test('errors name the problem and its column', () => {
  fails('FooPartitionsDefinition(start_date="2024-01-01")', /unknown partitions constructor 'FooPartitionsDefinition'/, 1);
  fails('DailyPartitionsDefinition(start_date="2024-01-01", bogus=1)', /unknown keyword argument 'bogus' for DailyPartitionsDefinition/, 'bogus');
  fails('DailyPartitionsDefinition(start_date="2024-13-01")', /Start '2024-13-01' does not match the format '%Y-%m-%d'/, '"2024-13');
  fails('DailyPartitionsDefinition(start_date=datetime(2024, 2, 30))', /bad date: day 30 is out of range/, '30');
  fails('WeeklyPartitionsDefinition(start_date="2024-01-01", day_offset=8)', /Found invalid cron schedule '0 0 \* \* 8'/, '8)');
  fails('TimeWindowPartitionsDefinition(cron_schedule="0 -24 * * *", start="2024-01-01", fmt="%Y-%m-%d")', /Found invalid cron schedule '0 -24 \* \* \*'/, '"0 -24');
  fails('TimeWindowPartitionsDefinition(cron_schedule="0 0 30 2 *", start="2024-01-01", fmt="%Y-%m-%d")', /Found invalid cron schedule '0 0 30 2 \*'/, '"0 0 30');
  fails('HourlyPartitionsDefinition(start_date="2022-01-01")', /does not match the format '%Y-%m-%d-%H:%M'/, '"2022');
  // Formats Python's strptime cannot read: the reason is Python's, on the fmt argument.
  fails('DailyPartitionsDefinition(start_date="2024-01-1", fmt="%Y-%m-%e")', /'e' is a bad directive in format '%Y-%m-%e'/, '"%Y-%m-%e');
  fails('TimeWindowPartitionsDefinition(cron_schedule="0 0 * * *", start="2024-1", fmt="%G-%V")', /ISO year directive '%G' must be used with/, '"%G');
  fails('DailyPartitionsDefinition(start_date="2024-01-01", timezone="Mars/Olympus")', /Unknown timezone 'Mars\/Olympus'/, '"Mars');
  fails('DailyPartitionsDefinition()', /missing the required argument 'start_date'/, 1);
  fails('DailyPartitionsDefinition(start_date="2024-01-01"', /Python syntax error/, 49);
  fails('StaticPartitionsDefinition(["a", "a"])', /Partition keys must be unique/, '[');
  fails('StaticPartitionsDefinition(["a", 1])', /must contain only strings, got the number 1/, '1]');
  fails('daily_partitions', /expected a partitions definition/, 1);
  fails('x = DailyPartitionsDefinition(start_date="2024-01-01")', /expected a single expression/, 1);
  fails('MultiPartitionsDefinition({"a": StaticPartitionsDefinition(["x"])})', /only supports multi-partitions definitions with 2 partitions definitions\. Your multi-partitions definition has 1 partitions definitions\./, '{');
  fails('DailyPartitionsDefinition(start_date="2024-01-01", minute_offset="5")', /minute_offset must be an integer, got the string "5"/, '"5"');
  fails('DailyPartitionsDefinition(start_date="2024-01-01", start_date="2024-01-02")', /multiple values for argument 'start_date'/, 'start_date="2024-01-02');
});
