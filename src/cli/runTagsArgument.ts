// `--tags JSON`: Dagster's run tags flag, a JSON object whose values are strings.
import { CliError } from './cliError';

const EXAMPLE = `'{"team": "data", "dagster/priority": "5"}'`;

/** The tags `--tags` gives, or undefined when it is absent; anything but an object of strings is a CliError. */
export function runTagsArgument(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError(`--tags ${JSON.stringify(text)} is not JSON (${(e as Error).message}); give an object such as ${EXAMPLE}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`--tags must be a JSON object of tag names to string values, such as ${EXAMPLE}; got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`);
  }
  const tags: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.trim() === '') throw new CliError('--tags has an empty tag name');
    // Dagster stores tag values as strings; a number or boolean would silently change type there, so say so here.
    if (typeof v !== 'string') throw new CliError(`--tags: the value of ${JSON.stringify(key)} must be a string (write ${JSON.stringify(String(JSON.stringify(v)))}), got ${JSON.stringify(v)}`);
    tags[key] = v;
  }
  return tags;
}
