// A seeded Python module using, at random, the many ways imports, assignments and decorated defs can be written:
// what the fast statement parser must read exactly as @lezer/python does (fastScannerDifferential.test).
import { seededRandom } from '../seededRandom';

const IMPORTS = [
  ['import dagster as dg'],
  ['from dagster import (', '    asset,  # the decorator', '    AssetIn,', '    DailyPartitionsDefinition as Daily,', ')'],
  ['from dagster import asset, AssetIn, DailyPartitionsDefinition as Daily'],
  ['from dagster import \\', '    asset, AssetIn, DailyPartitionsDefinition as Daily'],
  ['import os, json', 'import os.path as osp'],
  ['from typing import Any ; import collections'],
];

/** Module-level assignments; each defines the names later statements use (START, TZ, REGIONS, DAILY, STATIC, …). */
const START = ['START = "2024-01-01"', 'START: str = "2024-01-01"', 'START = "2024-01-" + "0" + "1"', 'START = ("2024-01"\n         "-01")',
  'START = "2024-01-" \\\n    "01"', 'YEAR = "2024"\nSTART = f"{YEAR}-01-01"', 'START = FIRST = "2024-01-01"', 'START = \'2024-01-01\'  # a comment'];
const TZ = ['TZ = "UTC"', 'TZ = \'Europe/Paris\'', 'TZ: "str" = "America/New_York"', 'TZ = None', 'TZ = "Asia/Tokyo" if True else "UTC"'];
const REGIONS = ['REGIONS = ["eu", "us", "apac"]', 'REGIONS = ["eu", "us", \'apac\',]', 'REGIONS = ("eu", "us")', 'REGIONS = [r for r in ("eu", "us")]',
  'REGIONS = ["eu"] + ["us"]', 'REGIONS = [\n    "eu",  # europe\n    "us",\n]'];
const OTHER = ['N = 0x1F', 'F = 1_000.5e-3', 'NEG = -3', 'T1 = 1,', 'FLAG = not True', 'CFG = {"a": 1, "b": [1, 2]}', 'CFG2 = {**{"a": 1}}',
  'fn = lambda x: x', 'x = 1; y = 2', 'first = ["a", "b"][0]', 'BYTES = b"raw"', 'RAW = r"C:\\path"', 'MULTI_LINE = """one\ntwo"""', 'a, b = 1, 2', 'COUNT += 1' ];
const DAILY = ['DAILY = Daily(start_date=START)', 'DAILY = Daily(start_date=START, timezone=TZ)', 'DAILY = Daily(start_date=START, end_offset=-1)',
  'DAILY = Daily(\n    start_date=START,\n    fmt="%Y-%m-%d",  # default\n)', 'DAILY = Daily(START)'];
const STATIC = ['STATIC = dg.StaticPartitionsDefinition(REGIONS)', 'STATIC = dg.StaticPartitionsDefinition(list(REGIONS))', 'STATIC = dg.StaticPartitionsDefinition([*REGIONS, "latam"])',
  'STATIC = dg.StaticPartitionsDefinition(["a", "b"])'];

/** Statements around the definitions that a statement scanner must step over (strings, nesting, blocks). */
const AROUND = [
  'NOTE = """\n@asset\ndef not_an_asset():\n    pass\n"""',
  'TEXT = "# not a comment ( [ {"',
  'if TYPE_CHECKING:\n    from pandas import DataFrame\nelse:\n    DataFrame = object',
  'class Helper:\n    @staticmethod\n    def make():\n        return 1\n\n    @property\n    def value(self):\n\treturn 2',
  'for n in range(2):\n    @asset(name=f"loop_{n}")\n    def looped():\n        return n',
  'def factory(name):\n    @asset(name=name)\n    def made():\n        return 1\n    return made',
  'try:\n    import polars\nexcept ImportError:  # optional\n    polars = None',
  'VALUE = (1 +\n         2) \\\n    * 3',
  'x = 1 ; FLAGGED = "after a semicolon"',
];

const PARTITIONS = ['DAILY', 'STATIC', 'dg.MultiPartitionsDefinition({"date": DAILY, "region": STATIC})', 'dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00")',
  'dg.WeeklyPartitionsDefinition(start_date=START)', 'None'];
const PARAMS = ['()', '(context)', '(context: dg.AssetExecutionContext)', '(context, upstream: "pd.DataFrame" = None, *args, key: int = 1, **kwargs)',
  '(a, /, b, *, c=lambda: 1)', '(x: dict[str, list[int]] = {"a": [1]})', '(\n    context,  # the context\n    upstream,\n)'];
const RETURNS = ['', ' -> None', ' -> dg.Output[int]', ' -> "Frame"'];

export function pythonVarietyModule(seed: number): string {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const lines: string[] = ['"""Seeded module ' + seed + '."""', 'import dagster as dg', 'from dagster import asset, AssetIn, DailyPartitionsDefinition as Daily'];
  for (let i = 0; i < 2; i++) lines.push(...pick(IMPORTS));
  lines.push('', pick(START), pick(TZ), pick(REGIONS));
  for (let i = 0; i < 3; i++) lines.push(pick(OTHER));
  lines.push(pick(DAILY), pick(STATIC), '');
  // GROUP and PREFIX are used below, so a binding the scanner misses changes the snapshot.
  lines.push(pick(['GROUP = "semi"; PREFIX = "colon"', 'GROUP = "g"\nPREFIX = "p"', 'GROUP, PREFIX = "t", "u"']));
  for (let i = 0; i < 3; i++) lines.push(pick(AROUND), '');
  const assets: string[] = [];
  const count = 2 + Math.floor(rand() * 4);
  for (let n = 0; n < count; n++) {
    const name = `asset_${seed}_${n}`;
    const args: string[] = [];
    if (rand() < 0.7) args.push(`partitions_def=${pick(PARTITIONS)}`);
    if (rand() < 0.4) args.push(pick([`group_name="group_${n % 2}"`, 'group_name=GROUP']));
    if (rand() < 0.2) args.push('key_prefix=PREFIX');
    if (rand() < 0.2) args.push('description="a # not a comment ( and a : colon"');
    if (rand() < 0.3) args.push(pick(['key_prefix=["pre", "fix"]', 'key_prefix="pre"', 'key_prefix=[\'a\',]']));
    if (rand() < 0.3 && assets.length > 0) args.push(`deps=[${pick(assets)}]`);
    if (rand() < 0.2 && assets.length > 0) args.push(`ins={"up": AssetIn("${pick(assets)}")}`);
    if (rand() < 0.2) args.push(pick(['backfill_policy=dg.BackfillPolicy.single_run()', 'backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=3)']));
    if (rand() < 0.15) args.push('**{"description": "spread"}');
    const decorator = pick(['asset', 'dg.asset']);
    const multiline = rand() < 0.3;
    if (args.length === 0 && rand() < 0.5) lines.push(`@${decorator}`);
    else if (multiline) lines.push(`@${decorator}(`, ...args.map((a) => `    ${a},  # ${a.length}`), ')');
    else lines.push(`@${decorator}(${args.join(', ')})`);
    if (rand() < 0.15) lines.push('# between the decorator and the def');
    const def = rand() < 0.15 ? 'async def' : 'def';
    if (rand() < 0.2) lines.push(`${def} ${name}${pick(PARAMS)}${pick(RETURNS)}: return 1`, '');
    else lines.push(`${def} ${name}${pick(PARAMS)}${pick(RETURNS)}:`, '    """Docs."""', '    return [row for row in range(3)]', '');
    assets.push(name);
  }
  if (rand() < 0.5) lines.push(`job_${seed} = dg.define_asset_job("job_${seed}", selection=[${assets.map((a) => `"${a}"`).join(', ')}][:1], partitions_def=DAILY)`);
  if (rand() < 0.3) lines.push('', '@dg.op', 'def my_op(): pass', '', `@dg.job(partitions_def=STATIC)`, `def op_job_${seed}():`, '    my_op()');
  // Some modules are written with Windows line endings.
  return (lines.join('\n') + '\n').replace(/\n/g, seed % 4 === 0 ? '\r\n' : '\n');
}
