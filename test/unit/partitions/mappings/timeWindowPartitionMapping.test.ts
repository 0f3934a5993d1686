// TimeWindowPartitionMapping against Dagster's behaviour (PM vectors) and DST lags in several zones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePartitionsExpression } from '../../../../src/core/definitions/evaluatePartitionsExpression';
import type { PartitionsDefinition } from '../../../../src/core/partitions/partitionsDefinition';
import { TimeWindowPartitionMapping } from '../../../../src/core/partitions/mappings/timeWindowPartitionMapping';
import { PartitionMappingError, upstreamKeysOrThrow } from '../../../../src/core/partitions/mappings/partitionMapping';

const def = (expr: string): PartitionsDefinition => evaluatePartitionsExpression(expr);
const daily = (start: string, extra = '') => def(`DailyPartitionsDefinition(start_date="${start}"${extra})`);
const hourly = (start: string, extra = '') => def(`HourlyPartitionsDefinition(start_date="${start}"${extra})`);
const overlap = new TimeWindowPartitionMapping();
const lag = new TimeWindowPartitionMapping({ startOffset: -1, endOffset: -1 });
const LATER = '2030-01-01T00:00:00Z';

function upstreamOf(m: TimeWindowPartitionMapping, down: PartitionsDefinition, up: PartitionsDefinition, keys: string[], now = LATER) {
  return m.upstreamPartitions(keys, down, up, new Date(now));
}
function downstreamOf(m: TimeWindowPartitionMapping, up: PartitionsDefinition, down: PartitionsDefinition, keys: string[], now = LATER) {
  return m.downstreamPartitions(keys, up, down, new Date(now));
}

test('PM1–PM6: overlap between equal, finer and coarser definitions', () => {
  const d = daily('2021-05-05');
  assert.deepEqual(upstreamOf(overlap, d, d, ['2021-05-07']), { keys: ['2021-05-07'], requiredButNonexistent: [] });
  const slashes = daily('2021/05/05', ', fmt="%Y/%m/%d"');
  assert.deepEqual(upstreamOf(overlap, slashes, slashes, ['2021/05/07', '2021/05/08', '2021/05/09']).keys, ['2021/05/07', '2021/05/08', '2021/05/09']);
  const h = hourly('2021-05-05-00:00');
  assert.deepEqual(upstreamOf(overlap, h, d, ['2021-05-07-05:00']).keys, ['2021-05-07']);
  const range = (h as { keysInRange(a: string, b: string, n: Date): string[] }).keysInRange('2021-05-07-05:00', '2021-05-09-09:00', new Date(LATER));
  assert.deepEqual(upstreamOf(overlap, h, d, range).keys, ['2021-05-07', '2021-05-08', '2021-05-09']);
  const pm5 = upstreamOf(overlap, d, h, ['2021-05-07']).keys;
  assert.equal(pm5.length, 24);
  assert.deepEqual([pm5[0], pm5[23]], ['2021-05-07-00:00', '2021-05-07-23:00']);
  const monthly = def('MonthlyPartitionsDefinition(start_date="2021-05-01")');
  const pm6 = upstreamOf(overlap, monthly, daily('2021-05-01'), ['2021-05-01', '2021-06-01', '2021-07-01']).keys;
  assert.deepEqual([pm6.length, pm6[0], pm6[pm6.length - 1]], [92, '2021-05-01', '2021-07-31']);
});

test('PM10–PM13, PM15, PM16: lags and start offsets on daily definitions', () => {
  const d = daily('2021-05-05');
  assert.deepEqual(upstreamOf(lag, d, d, ['2021-05-07']).keys, ['2021-05-06']);
  assert.deepEqual(downstreamOf(lag, d, d, ['2021-05-06']), ['2021-05-07']);
  assert.deepEqual(upstreamOf(lag, d, d, ['2021-05-05']), { keys: [], requiredButNonexistent: [] });
  assert.deepEqual(upstreamOf(lag, d, d, ['2021-05-07', '2021-05-08', '2021-05-09']).keys, ['2021-05-06', '2021-05-07', '2021-05-08']);
  assert.deepEqual(upstreamOf(lag, d, d, ['2021-05-05', '2021-05-06', '2021-05-07']).keys, ['2021-05-05', '2021-05-06']);
  assert.deepEqual(downstreamOf(lag, d, d, ['2021-05-06', '2021-05-07', '2021-05-08']), ['2021-05-07', '2021-05-08', '2021-05-09']);
  assert.deepEqual(upstreamOf(lag, daily('2021-05-06'), d, ['2021-05-06']).keys, ['2021-05-05']);
  const startOnly = new TimeWindowPartitionMapping({ startOffset: -1 });
  const j = daily('2022-07-01');
  assert.deepEqual(upstreamOf(startOnly, j, j, ['2022-07-04']).keys, ['2022-07-03', '2022-07-04']);
  assert.deepEqual(upstreamOf(startOnly, j, j, ['2022-07-04', '2022-07-05']).keys, ['2022-07-03', '2022-07-04', '2022-07-05']);
  assert.deepEqual(downstreamOf(startOnly, j, j, ['2022-07-03']), ['2022-07-03', '2022-07-04']);
  assert.deepEqual(downstreamOf(startOnly, j, j, ['2022-07-04']), ['2022-07-04', '2022-07-05']);
});

test('PM17–PM21: downstream keys only where they exist at now', () => {
  const h = hourly('2021-05-05-00:00');
  const d = daily('2021-05-05');
  assert.deepEqual(downstreamOf(overlap, h, d, ['2021-05-05-00:00'], '2021-05-05T01:00:00Z'), []);
  const ups = ['2021-05-05-23:00', '2021-05-06-00:00', '2021-05-06-01:00'];
  assert.deepEqual(downstreamOf(overlap, h, d, ups, '2021-05-06T01:00:00Z'), ['2021-05-05']);
  assert.deepEqual(downstreamOf(overlap, h, d, ups, '2021-05-08T00:00:00Z'), ['2021-05-05', '2021-05-06']);
  const central = ', timezone="US/Central"';
  assert.deepEqual(downstreamOf(overlap, hourly('2021-05-05-00:00', central), daily('2021-05-05', central), ups, '2021-05-06T06:00:00Z'), ['2021-05-05']);
  assert.deepEqual(downstreamOf(overlap, h, daily('2021-05-05', ', end_offset=1'), ups, '2021-05-06T01:00:00Z'), ['2021-05-05', '2021-05-06']);
  assert.deepEqual(downstreamOf(overlap, daily('2022-01-01'), daily('2021-01-01'), ['2022-12-30'], '2022-12-31T01:00:00Z'), ['2022-12-30']);
});

test('PM22–PM27: upstream keys that do not exist yet are reported, and raise when required', () => {
  const h = hourly('2021-05-05-00:00');
  const d = daily('2021-05-05');
  assert.deepEqual(upstreamOf(overlap, h, d, ['2021-06-01-00:00'], '2021-06-01T01:00:00Z'), { keys: [], requiredButNonexistent: ['2021-06-01'] });
  const downs = ['2021-05-05-23:00', '2021-05-06-00:00', '2021-05-06-01:00'];
  const pm23 = upstreamOf(overlap, h, d, downs, '2021-05-06T01:00:00Z');
  assert.deepEqual(pm23, { keys: ['2021-05-05'], requiredButNonexistent: ['2021-05-06'] });
  assert.throws(() => upstreamKeysOrThrow(pm23, downs, 'daily_asset'), /depends on invalid partition keys \['2021-05-06'\] in upstream asset daily_asset/);
  assert.deepEqual(upstreamOf(overlap, h, d, ['2021-05-05-23:00'], '2021-05-06T01:00:00Z'), { keys: ['2021-05-05'], requiredButNonexistent: [] });
  const central = ', timezone="US/Central"';
  const [hc, dc] = [hourly('2021-05-05-00:00', central), daily('2021-05-05', central)];
  assert.deepEqual(upstreamOf(overlap, hc, dc, downs, '2021-05-06T05:00:00Z').keys, ['2021-05-05']);
  assert.deepEqual(upstreamOf(overlap, hc, dc, ['2021-05-05-22:00'], '2021-05-06T04:00:00Z'), { keys: [], requiredButNonexistent: ['2021-05-05'] });
  assert.deepEqual(upstreamOf(overlap, h, daily('2021-05-05', ', end_offset=1'), downs, '2021-05-06T01:00:00Z').keys, ['2021-05-05', '2021-05-06']);
});

test('PM28–PM30b, PM32, PM33: different starts and ends', () => {
  const [up, down] = [daily('2022-01-01'), daily('2021-01-01')];
  assert.deepEqual(upstreamOf(overlap, down, up, ['2021-06-06']), { keys: [], requiredButNonexistent: ['2021-06-06'] });
  assert.deepEqual(upstreamOf(overlap, down, up, ['2022-01-01']), { keys: ['2022-01-01'], requiredButNonexistent: [] });
  assert.deepEqual(upstreamOf(overlap, down, up, ['2021-12-31']).requiredButNonexistent, ['2021-12-31']);
  assert.deepEqual(upstreamOf(overlap, down, up, ['2021-12-30'], '2021-12-31T00:00:00Z').requiredButNonexistent, ['2021-12-30']);
  const jan = daily('2023-01-01', ', end_date="2023-01-31"');
  const janFeb = daily('2023-01-01', ', end_date="2023-02-28"');
  assert.deepEqual(downstreamOf(overlap, jan, janFeb, ['2023-01-15']), ['2023-01-15']);
  assert.deepEqual(downstreamOf(overlap, janFeb, jan, ['2023-02-15']), []);
  assert.deepEqual(upstreamOf(overlap, janFeb, jan, ['2023-02-15']), { keys: [], requiredButNonexistent: ['2023-02-15'] });
  const [janStart, febStart] = [daily('2023-01-01'), daily('2023-02-01')];
  assert.deepEqual(downstreamOf(overlap, janStart, febStart, ['2023-01-15']), []);
  assert.deepEqual(upstreamOf(overlap, janStart, febStart, ['2023-01-15']), { keys: [], requiredButNonexistent: ['2023-01-15'] });

  const june = daily('2021-06-01');
  const may = daily('2021-05-01');
  const downs = ['2021-05-10', '2021-05-30', '2021-06-01'];
  assert.deepEqual(upstreamOf(overlap, may, june, downs, '2021-06-05T00:00:00Z'), { keys: ['2021-06-01'], requiredButNonexistent: ['2021-05-10', '2021-05-30'] });
  const allow = new TimeWindowPartitionMapping({ allowNonexistentUpstreamPartitions: true });
  assert.deepEqual(upstreamOf(allow, may, june, downs, '2021-06-05T00:00:00Z'), { keys: ['2021-06-01'], requiredButNonexistent: [] });
  const ended = daily('2021-05-01', ', end_date="2021-05-10"');
  assert.deepEqual(upstreamOf(overlap, may, ended, ['2021-05-09', '2021-05-10'], '2021-05-12T00:00:00Z'), { keys: ['2021-05-09'], requiredButNonexistent: ['2021-05-10'] });
  assert.deepEqual(upstreamOf(allow, may, ended, ['2021-05-09', '2021-05-10'], '2021-05-12T00:00:00Z'), { keys: ['2021-05-09'], requiredButNonexistent: [] });
});

test('PM34–PM37: lags across DST in America/Los_Angeles', () => {
  const d = daily('2023-01-01', ', timezone="America/Los_Angeles"');
  for (const [down, up] of [['2023-11-04', '2023-11-03'], ['2023-11-05', '2023-11-04'], ['2023-11-06', '2023-11-05'], ['2023-11-07', '2023-11-06'],
    ['2024-03-09', '2024-03-08'], ['2024-03-10', '2024-03-09'], ['2024-03-11', '2024-03-10'], ['2024-03-12', '2024-03-11']]) {
    assert.deepEqual(upstreamOf(lag, d, d, [down!]).keys, [up], `upstream of ${down}`);
    assert.deepEqual(downstreamOf(lag, d, d, [up!]), [down], `downstream of ${up}`);
  }
  const h = hourly('2023-01-01-00:00', ', timezone="America/Los_Angeles"');
  assert.deepEqual(upstreamOf(lag, h, h, ['2024-03-10-03:00']).keys, ['2024-03-10-01:00']);
  assert.deepEqual(downstreamOf(lag, h, h, ['2024-03-10-03:00']), ['2024-03-10-04:00']);
  chain(h, ['2023-11-05-00:00', '2023-11-05-01:00', '2023-11-05-01:00-0800', '2023-11-05-02:00']);
});

/** Each key's lag-downstream is the next one, and its lag-upstream the previous one. */
function chain(h: PartitionsDefinition, keys: string[]): void {
  for (let i = 0; i + 1 < keys.length; i++) {
    assert.deepEqual(downstreamOf(lag, h, h, [keys[i]!]), [keys[i + 1]], `downstream of ${keys[i]}`);
    assert.deepEqual(upstreamOf(lag, h, h, [keys[i + 1]!]).keys, [keys[i]], `upstream of ${keys[i + 1]}`);
  }
}

test('lags across DST in Europe/Berlin, Australia/Sydney, America/Sao_Paulo and Asia/Kolkata', () => {
  const berlin = daily('2024-01-01', ', timezone="Europe/Berlin"');
  assert.deepEqual(upstreamOf(lag, berlin, berlin, ['2024-04-01']).keys, ['2024-03-31']);
  assert.deepEqual(downstreamOf(lag, berlin, berlin, ['2024-10-27']), ['2024-10-28']);
  const berlinHourly = hourly('2024-01-01-00:00', ', timezone="Europe/Berlin"');
  chain(berlinHourly, ['2024-10-27-01:00', '2024-10-27-02:00', '2024-10-27-02:00+0100', '2024-10-27-03:00']);
  chain(berlinHourly, ['2024-03-31-01:00', '2024-03-31-03:00']);
  const sydney = hourly('2024-01-01-00:00', ', timezone="Australia/Sydney"');
  chain(sydney, ['2024-04-07-01:00', '2024-04-07-02:00', '2024-04-07-02:00+1000', '2024-04-07-03:00']);
  chain(sydney, ['2024-10-06-01:00', '2024-10-06-03:00']);
  // Sao Paulo's DST began at midnight, so 2018-11-04 started at 01:00.
  const saoPaulo = daily('2018-10-01', ', timezone="America/Sao_Paulo"');
  assert.deepEqual(upstreamOf(lag, saoPaulo, saoPaulo, ['2018-11-05']).keys, ['2018-11-04']);
  assert.deepEqual(downstreamOf(lag, saoPaulo, saoPaulo, ['2018-11-03']), ['2018-11-04']);
  const hourlyUp = hourly('2018-10-01-00:00', ', timezone="America/Sao_Paulo"');
  const nov4 = upstreamOf(overlap, saoPaulo, hourlyUp, ['2018-11-04']).keys;
  assert.deepEqual([nov4.length, nov4[0], nov4[22]], [23, '2018-11-04-01:00', '2018-11-04-23:00']);
  const kolkata = hourly('2024-01-01-00:00', ', timezone="Asia/Kolkata"');
  chain(kolkata, ['2024-03-31-01:00', '2024-03-31-02:00']);
  assert.equal(upstreamOf(overlap, daily('2024-01-01', ', timezone="Asia/Kolkata"'), kolkata, ['2024-03-31']).keys.length, 24);
});

test('validation: time-window definitions in one timezone, integer offsets', () => {
  const d = daily('2024-01-01');
  assert.throws(() => overlap.validate(d, daily('2024-01-01', ', timezone="Europe/Berlin"')), /Timezones UTC and Europe\/Berlin don't match/);
  assert.throws(() => overlap.validate(def('StaticPartitionsDefinition(["a"])'), d), /Upstream partitions definition must be a TimeWindowPartitionsDefinition/);
  assert.throws(() => overlap.validate(d, null), PartitionMappingError);
  assert.throws(() => new TimeWindowPartitionMapping({ startOffset: 0.5 }), /start_offset/);
  assert.equal(lag.toString(), 'TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)');
  assert.match(lag.description, /offsetted by -1 and -1 partitions/);
});

test('PM7–PM9, PM14, PM31: custom crons align by overlap, and lag window by window', () => {
  const twice = def('TimeWindowPartitionsDefinition(cron_schedule="0 0,11 * * *", start="2021-05-01 00:00", fmt="%Y-%m-%d %H:%M")');
  const d = daily('2021-05-01');
  assert.deepEqual(upstreamOf(overlap, d, twice, ['2021-05-01', '2021-05-02', '2021-05-03']).keys,
    ['2021-05-01 00:00', '2021-05-01 11:00', '2021-05-02 00:00', '2021-05-02 11:00', '2021-05-03 00:00', '2021-05-03 11:00']);
  assert.deepEqual(upstreamOf(overlap, twice, d, ['2021-05-01 00:00', '2021-05-01 11:00', '2021-05-02 00:00', '2021-05-02 11:00', '2021-05-03 00:00']).keys,
    ['2021-05-01', '2021-05-02', '2021-05-03']);
  const eleven = def('TimeWindowPartitionsDefinition(cron_schedule="0 11 * * *", start="2021-05-01", fmt="%Y-%m-%d")');
  assert.deepEqual(upstreamOf(overlap, d, eleven, ['2021-05-02', '2021-05-03', '2021-05-04']).keys, ['2021-05-01', '2021-05-02', '2021-05-03', '2021-05-04']);

  const four = def('TimeWindowPartitionsDefinition(cron_schedule="0 */4 * * *", start="2021-05-05_00", fmt="%Y-%m-%d_%H")');
  assert.deepEqual(upstreamOf(lag, four, four, ['2021-05-06_04']).keys, ['2021-05-06_00']);
  assert.deepEqual(upstreamOf(lag, four, four, ['2021-05-05_00']).keys, []);
  assert.deepEqual(upstreamOf(lag, four, four, ['2021-05-07_04', '2021-05-07_08', '2021-05-07_12']).keys, ['2021-05-07_00', '2021-05-07_04', '2021-05-07_08']);
  assert.deepEqual(downstreamOf(lag, four, four, ['2021-05-07_04', '2021-05-07_08', '2021-05-07_12']), ['2021-05-07_08', '2021-05-07_12', '2021-05-07_16']);
  assert.deepEqual(upstreamOf(lag, four, four, ['2021-05-05_00', '2021-05-05_04', '2021-05-05_08']).keys, ['2021-05-05_00', '2021-05-05_04']);

  const yearly = def('TimeWindowPartitionsDefinition(cron_schedule="0 0 1 1 *", start="2022-01-01", fmt="%Y-%m-%d", end_offset=1)');
  const allow = new TimeWindowPartitionMapping({ allowNonexistentUpstreamPartitions: true });
  for (const down of ['2023-01-01', '2023-01-02', '2023-01-03', '2023-01-04']) {
    assert.deepEqual(upstreamOf(allow, daily('2023-01-01'), yearly, [down], '2023-01-05T00:00:00Z'), { keys: ['2023-01-01'], requiredButNonexistent: [] }, down);
  }
});
