// The `backfill` command line's flags, shared by the help entry point and the commands bundle.
import type { parseArgs } from 'node:util';

export const OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  select: { type: 'string' },
  location: { type: 'string', short: 'l' },
  job: { type: 'string', short: 'j' },
  pipeline: { type: 'string', short: 'p' },
  partitions: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  all: { type: 'boolean' },
  latest: { type: 'string' },
  reprocess: { type: 'string' },
  save: { type: 'string' },
  plan: { type: 'string' },
  'from-failure': { type: 'boolean' },
  noprompt: { type: 'boolean' },
  'max-concurrent': { type: 'string' },
  tags: { type: 'string' },
  python: { type: 'string' },
  def: { type: 'string' },
  now: { type: 'string' },
  range: { type: 'string' },
  windows: { type: 'boolean' },
  upstream: { type: 'string' },
  downstream: { type: 'string' },
  mapping: { type: 'string' },
  keys: { type: 'string' },
  direction: { type: 'string' },
  'state-folder': { type: 'string' },
} as const;

export type CliValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
