// A Python module of daily-partitioned assets sharing one DailyPartitionsDefinition, for the worker discovery tests.

/** `@asset(partitions_def=daily)` for each name, in a module that imports dagster. */
export function dailyAssetsModule(names: readonly string[]): string {
  return [
    'from dagster import DailyPartitionsDefinition, asset',
    '',
    'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
    ...names.flatMap((n) => ['', '', '@asset(partitions_def=daily)', `def ${n}():`, '    return 1']),
    '',
  ].join('\n');
}
