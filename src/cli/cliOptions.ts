// The `backfill` command line's flags, shared by the help entry point and the commands bundle.
import type { parseArgs } from 'node:util';
import { CliError } from './cliError';

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
  tail: { type: 'string' },
  'older-than': { type: 'string' },
  'max-log-mb': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'key-space': { type: 'boolean' },
  deployment: { type: 'string' },
  'no-follow': { type: 'boolean' },
  poll: { type: 'string' },
  timeout: { type: 'string' },
  title: { type: 'string' },
  description: { type: 'string' },
} as const;

export type CliValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** --now: when the command takes "now" to be (keys that exist, ticks), an ISO 8601 time. */
export function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new CliError(`--now ${JSON.stringify(text)} is not an ISO 8601 time such as 2024-02-01T00:00:00+00:00`);
  return d;
}
