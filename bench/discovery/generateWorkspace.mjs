// Writes a synthetic Dagster project for the discovery benchmark: N modules in packages, a fifth partitioned.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Deterministic so every run measures the same workspace. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARTITIONS = [
  'DailyPartitionsDefinition(start_date="2023-01-01")',
  'dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00", timezone="US/Pacific")',
  'StaticPartitionsDefinition(["us", "eu", "apac"])',
  'daily_partitions',
];

/** A body of ordinary data-engineering Python: loops, comprehensions, dicts, f-strings, try/except, a class. */
function body(rand, name, lines) {
  const out = [];
  out.push(`    """Build ${name} from its upstream tables, cleaning and aggregating rows."""`);
  out.push(`    rows = []`);
  for (let i = 0; i < lines; i++) {
    switch (Math.floor(rand() * 6)) {
      case 0:
        out.push(`    for index, record in enumerate(source_rows_${i}(context)):`);
        out.push(`        if record.get("value") is not None and index % ${2 + i} == 0:`);
        out.push(`            rows.append({"id": record["id"], "value": float(record["value"]) * ${i + 1}.5, "tag": f"{name}-{index}"})`);
        break;
      case 1:
        out.push(`    totals_${i} = {key: sum(v for v in values if v > ${i}) for key, values in grouped.items() if key}`);
        break;
      case 2:
        out.push(`    try:`);
        out.push(`        payload_${i} = json.loads(context.resources.store.read("${name}/${i}.json"))`);
        out.push(`    except (KeyError, ValueError) as error:`);
        out.push(`        context.log.warning(f"missing payload ${i}: {error!r}")`);
        out.push(`        payload_${i} = {"items": [], "count": 0, "name": "${name}"}`);
        break;
      case 3:
        out.push(`    frame_${i} = [row for row in rows if row["value"] > ${i * 3} and not row.get("deleted", False)]`);
        out.push(`    context.add_output_metadata({"rows_${i}": len(frame_${i}), "preview": str(frame_${i}[:5])})`);
        break;
      case 4:
        out.push(`    with open(os.path.join(BASE_DIR, "${name}_${i}.csv"), "w", encoding="utf-8") as handle:`);
        out.push(`        writer = csv.writer(handle)`);
        out.push(`        writer.writerows((r["id"], r["value"], r.get("tag", "")) for r in rows)`);
        break;
      default:
        out.push(`    window_${i} = (context.partition_time_window.start, context.partition_time_window.end) if context.has_partition_key else None`);
        out.push(`    lookup_${i} = lambda x, y=${i}: (x or 0) * y + len(str(window_${i}))`);
    }
  }
  out.push(`    return rows`);
  return out;
}

/** Module `i`: imports, constants, helpers, a class and three assets (partitioned when `partitioned`). */
export function moduleText(i, partitioned, rand = prng(i + 1)) {
  const pkg = `pkg_${i % 20}`;
  const lines = [
    `"""Generated module ${i} of the discovery benchmark."""`,
    'import csv',
    'import json',
    'import os',
    '',
    'import dagster as dg',
    'from dagster import AssetExecutionContext, AssetIn, DailyPartitionsDefinition, StaticPartitionsDefinition, asset',
    i > 0 ? `from bench_project.pkg_${(i - 1) % 20}.module_${i - 1} import asset_${i - 1}_c as previous_asset` : 'previous_asset = None',
    'from bench_project.partitions import daily_partitions',
    '',
    `BASE_DIR = os.environ.get("DATA_DIR", "/tmp/data/${pkg}")`,
    `THRESHOLDS = {"low": ${i % 7}, "high": ${(i % 7) + 10}, "names": ["a_${i}", "b_${i}"]}`,
    '',
    '',
    `class Module${i}Helper:`,
    `    """Helper state for module ${i}."""`,
    '',
    '    def __init__(self, scale: float = 1.0):',
    '        self.scale = scale',
    '        self.cache: dict[str, list[int]] = {}',
    '',
    '    def normalise(self, values):',
    '        return [v * self.scale / max(1, len(values)) for v in values if v is not None]',
    '',
    '',
    `def source_rows_0(context):`,
    `    return [{"id": n, "value": n * ${i % 13}} for n in range(100)]`,
    '',
  ];
  for (let k = 1; k < 12; k++) lines.push(`source_rows_${k} = source_rows_0`);
  lines.push('grouped = {}', '', '');
  const part = partitioned ? `partitions_def=${PARTITIONS[i % PARTITIONS.length]}, ` : '';
  lines.push(`@asset(${part}group_name="${pkg}")`);
  lines.push(`def asset_${i}_a(context: AssetExecutionContext):`);
  lines.push(...body(rand, `asset_${i}_a`, 10), '', '');
  lines.push(`@dg.asset(${part}key_prefix=["bench", "${pkg}"], deps=[asset_${i}_a${i > 0 ? ', previous_asset' : ''}])`);
  lines.push(`def asset_${i}_b(context):`);
  lines.push(...body(rand, `asset_${i}_b`, 10), '', '');
  lines.push(`@asset(${part}ins={"upstream": AssetIn("asset_${i}_a")})`);
  lines.push(`def asset_${i}_c(context, upstream):`);
  lines.push(...body(rand, `asset_${i}_c`, 10), '');
  return lines.join('\n') + '\n';
}

/** Writes the workspace under `root` and returns the module paths (relative). */
export function generateWorkspace(root, count) {
  const rand = prng(12345);
  const files = [];
  const write = (rel, text) => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    files.push(rel);
  };
  write('pyproject.toml', '[project]\nname = "bench-project"\n\n[tool.dagster]\nmodule_name = "bench_project.definitions"\n');
  write('bench_project/__init__.py', '');
  write('bench_project/partitions.py', 'import dagster as dg\n\ndaily_partitions = dg.DailyPartitionsDefinition(start_date="2022-06-01")\n');
  for (let p = 0; p < 20; p++) write(`bench_project/pkg_${p}/__init__.py`, '');
  for (let i = 0; i < count; i++) {
    write(`bench_project/pkg_${i % 20}/module_${i}.py`, moduleText(i, i % 5 === 0, prng(Math.floor(rand() * 1e9))));
  }
  const packages = Array.from({ length: 20 }, (_, p) => `pkg_${p}`);
  write('bench_project/definitions.py', [
    'import dagster as dg',
    `from bench_project import ${packages.join(', ')}`,
    '',
    'defs = dg.Definitions(',
    `    assets=[${packages.map((p) => `*dg.load_assets_from_package_module(${p})`).join(', ')}],`,
    ')',
    '',
  ].join('\n'));
  return files;
}
