// Reads the command targets of a backfills.yaml file, turning every problem into a located diagnostic.
import * as path from 'node:path';
import type { CommandTarget, DefinitionDiagnostic } from '../definitions/definition';
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import { parseProtectedSpec } from '../backfill/protectedPartitions';
import { YamlError, parseYamlDocument } from './yamlDocument';
import type { YamlNode } from './yamlDocument';

export const COMMAND_PLACEHOLDERS: readonly string[] = ['partition_key', 'partition_start', 'partition_end', 'range_start', 'range_end'];
const KNOWN_FIELDS = new Set(['partitions', 'command', 'deps', 'backfill_policy', 'cwd', 'env', 'protected']);
const TARGET_NAME = /^[A-Za-z0-9_]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BACKFILL_POLICY = /^(?:(?:dg|dagster)\.)?BackfillPolicy\.(?:single_run\(\s*\)|multi_run\(\s*(?:(?:max_partitions_per_run\s*=\s*)?(\d+)\s*)?\))$/;

export interface LoadedCommandTargets {
  targets: CommandTarget[];
  diagnostics: DefinitionDiagnostic[];
  /** The top-level `protected:` map (asset key "a/b" or job name → keys and ranges); {} when absent. */
  protectedPartitions: Record<string, string[]>;
}

/**
 * `file` is the workspace-relative `/`-separated path of the yaml file. A target with any error is left out
 * (with every error reported); the other targets are still returned.
 */
export function loadCommandTargets(
  file: string,
  text: string,
  evaluatePartitions: (expr: string) => PartitionsDefinition,
): LoadedCommandTargets {
  const diagnostics: DefinitionDiagnostic[] = [];
  const report = (node: { line: number; column: number }, message: string, severity: 'error' | 'warning' = 'error'): void => {
    diagnostics.push({ location: { file, line: node.line, column: node.column }, message, severity });
  };
  let root: YamlNode | null;
  try {
    root = parseYamlDocument(file, text);
  } catch (err) {
    if (!(err instanceof YamlError)) throw err;
    report(err, err.reason);
    return { targets: [], diagnostics, protectedPartitions: {} };
  }
  if (root === null) {
    report({ line: 1, column: 1 }, `${file} is empty; expected a "targets:" mapping`, 'warning');
    return { targets: [], diagnostics, protectedPartitions: {} };
  }
  if (root.kind !== 'mapping') {
    report(root, `expected a mapping with a "targets:" key at the top of ${file}, found ${describe(root)}`);
    return { targets: [], diagnostics, protectedPartitions: {} };
  }
  const targetsEntry = root.entries.find((e) => e.key === 'targets');
  for (const entry of root.entries) {
    if (entry.key !== 'targets' && entry.key !== 'protected') report(entry, `unknown top-level key "${entry.key}" (ignored); only "targets" and "protected" are read`, 'warning');
  }
  const protectedPartitions = readProtectedMap(root.entries.find((e) => e.key === 'protected')?.value, report);
  if (!targetsEntry) {
    report(root, `missing the top-level "targets:" mapping in ${file}`);
    return { targets: [], diagnostics, protectedPartitions: {} };
  }
  if (targetsEntry.value.kind !== 'mapping') {
    report(targetsEntry.value, `"targets" must be a mapping of target names to their settings, found ${describe(targetsEntry.value)}`);
    return { targets: [], diagnostics, protectedPartitions: {} };
  }
  const folder = path.posix.dirname(file);
  const targets: CommandTarget[] = [];
  for (const entry of targetsEntry.value.entries) {
    const errorsBefore = diagnostics.filter((d) => d.severity === 'error').length;
    const target = readTarget(entry.key, entry, entry.value, folder === '.' ? '' : folder, file, evaluatePartitions, report);
    const errorsAfter = diagnostics.filter((d) => d.severity === 'error').length;
    if (target && errorsAfter === errorsBefore) targets.push(target);
  }
  return { targets, diagnostics, protectedPartitions };
}

type Report = (node: { line: number; column: number }, message: string, severity?: 'error' | 'warning') => void;

function readTarget(
  name: string,
  at: { line: number; column: number },
  node: YamlNode,
  folder: string,
  file: string,
  evaluatePartitions: (expr: string) => PartitionsDefinition,
  report: Report,
): CommandTarget | null {
  const where = `target "${name}"`;
  if (!TARGET_NAME.test(name)) {
    report(at, `${where}: the name may only contain letters, digits and underscores (as Dagster names)`);
  }
  if (node.kind !== 'mapping') {
    report(node.kind === 'scalar' && node.value === null ? at : node, `${where} must be a mapping with "partitions" and "command", found ${describe(node)}`);
    return null;
  }
  for (const entry of node.entries) {
    if (!KNOWN_FIELDS.has(entry.key)) {
      report(entry, `${where}: unknown field "${entry.key}" (ignored); known fields: ${[...KNOWN_FIELDS].join(', ')}`, 'warning');
    }
  }
  const field = (key: string): YamlNode | undefined => {
    const value = node.entries.find((e) => e.key === key)?.value;
    // An empty optional field ("deps:") means the same as leaving it out.
    return value && !(value.kind === 'scalar' && value.value === null && !value.quoted) ? value : undefined;
  };

  let partitions: PartitionsDefinition | null = null;
  const partitionsNode = field('partitions');
  if (!partitionsNode) {
    report(at, `${where}: missing "partitions" (a Dagster expression such as DailyPartitionsDefinition(start_date="2024-01-01"))`);
  } else if (partitionsNode.kind !== 'scalar' || typeof partitionsNode.value !== 'string' || partitionsNode.text.trim() === '') {
    report(partitionsNode, `${where}: "partitions" must be a Dagster expression string, found ${describe(partitionsNode)}`);
  } else {
    try {
      partitions = evaluatePartitions(partitionsNode.text.trim());
    } catch (err) {
      // The evaluator's errors may carry a column within the expression; map it into the file when it can be.
      const inner = err as { reason?: unknown; column?: unknown };
      if (!partitionsNode.quoted && typeof inner.reason === 'string' && typeof inner.column === 'number') {
        report({ line: partitionsNode.line, column: partitionsNode.column + inner.column - 1 }, `${where}: partitions: ${inner.reason}`);
      } else {
        report(partitionsNode, `${where}: partitions: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  const command = readCommand(where, at, field('command'), report);
  const deps = readDeps(where, field('deps'), report);

  let backfillPolicy: string | null = null;
  const policyNode = field('backfill_policy');
  if (policyNode) {
    const policy = policyNode.kind === 'scalar' && typeof policyNode.value === 'string' ? policyNode.text.trim() : null;
    const match = policy === null ? null : BACKFILL_POLICY.exec(policy);
    if (policy === null || !match || (match[1] !== undefined && Number(match[1]) < 1)) {
      report(policyNode, `${where}: "backfill_policy" must be BackfillPolicy.single_run() or BackfillPolicy.multi_run(N) with N >= 1, found ${describe(policyNode)}`);
    } else {
      backfillPolicy = policy;
    }
  }

  let cwd = folder;
  const cwdNode = field('cwd');
  if (cwdNode) {
    if (cwdNode.kind !== 'scalar' || typeof cwdNode.value !== 'string') {
      report(cwdNode, `${where}: "cwd" must be a folder path relative to ${file}, found ${describe(cwdNode)}`);
    } else {
      const resolved = resolveCwd(folder, cwdNode.text);
      if (resolved === null) report(cwdNode, `${where}: "cwd" must be a relative path that stays inside the workspace, found "${cwdNode.text}"`);
      else cwd = resolved;
    }
  }

  const env = readEnv(where, field('env'), report);
  const protectedNode = field('protected');
  const protectedKeys = protectedNode ? readProtectedList(`${where}: "protected"`, protectedNode, report, partitions) : [];
  if (!partitions || !command || !deps || !env || !protectedKeys) return null;
  return {
    kind: 'command', name, location: { file, line: at.line, column: at.column }, partitions, command, cwd, env, deps, backfillPolicy,
    ...(protectedKeys.length > 0 ? { protected: protectedKeys } : {}),
  };
}

/**
 * A list of partition keys and ranges in Dagster's selection syntax ("2024-01-05", "2024-02-01...2024-02-03").
 * With the target's partitions, keys it does not have are warned about (they protect nothing).
 */
function readProtectedList(where: string, node: YamlNode, report: Report, partitions: PartitionsDefinition | null): string[] | null {
  if (node.kind !== 'sequence') {
    report(node, `${where} must be a list of partition keys or ranges, e.g. ["2024-01-05", "2024-02-01...2024-02-03"]; found ${describe(node)}`);
    return null;
  }
  const specs: string[] = [];
  node.items.forEach((item, i) => {
    if (item.kind !== 'scalar' || (item.value === null && !item.quoted)) {
      report(item, `${where}[${i}] must be a partition key or range string, found ${describe(item)}`);
      return;
    }
    let parts: ReturnType<typeof parseProtectedSpec>;
    try {
      parts = parseProtectedSpec(item.text);
    } catch (err) {
      report(item, `${where}[${i}]: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    specs.push(item.text);
    if (!partitions) return;
    const now = new Date();
    const keys = parts.flatMap((p) => (p.kind === 'list' ? p.keys : [p.from, p.to]));
    const unknown = keys.filter((k) => !partitions.hasKey(k, now));
    if (unknown.length > 0) report(item, `${where}[${i}]: ${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is not a partition' : 'are not partitions'} of ${partitions.describe()} (yet); it protects nothing until it is`, 'warning');
  });
  return specs.length === node.items.length ? specs : null;
}

/** The top-level `protected:` map, for Dagster definitions: asset key ("a/b") or job name → list. Bad entries are reported and left out. */
function readProtectedMap(node: YamlNode | undefined, report: Report): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!node || (node.kind === 'scalar' && node.value === null && !node.quoted)) return out;
  if (node.kind !== 'mapping') {
    report(node, `"protected" must be a mapping of asset keys ("a/b") or job names to lists of partition keys or ranges, found ${describe(node)}`);
    return out;
  }
  for (const entry of node.entries) {
    if (entry.key.trim() === '') {
      report(entry, '"protected": an asset key or job name must not be empty');
      continue;
    }
    const list = readProtectedList(`protected "${entry.key}"`, entry.value, report, null);
    if (list) out[entry.key] = [...(out[entry.key] ?? []), ...list];
  }
  return out;
}

function readCommand(where: string, at: { line: number; column: number }, node: YamlNode | undefined, report: Report): string[] | null {
  if (!node) {
    report(at, `${where}: missing "command" (an argv list such as ["python3", "job.py", "--date", "{partition_key}"])`);
    return null;
  }
  if (node.kind !== 'sequence') {
    report(node, `${where}: "command" must be a list of arguments (it is never run through a shell), e.g. ["python3", "job.py", "{partition_key}"]; found ${describe(node)}`);
    return null;
  }
  if (node.items.length === 0) {
    report(node, `${where}: "command" must not be empty`);
    return null;
  }
  const argv: string[] = [];
  node.items.forEach((item, i) => {
    if (item.kind !== 'scalar' || (item.value === null && !item.quoted)) {
      report(item, `${where}: command[${i}] must be a string, found ${describe(item)}`);
      return;
    }
    if (i === 0 && item.text === '') report(item, `${where}: command[0] (the program to run) must not be empty`);
    for (const m of item.text.matchAll(/\{([a-z_]+)\}/g)) {
      if (!COMMAND_PLACEHOLDERS.includes(m[1]!)) {
        report(item, `${where}: command[${i}] has unknown placeholder "{${m[1]}}" (left as written); known: ${COMMAND_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`, 'warning');
      }
    }
    argv.push(item.text);
  });
  return argv.length === node.items.length ? argv : null;
}

function readDeps(where: string, node: YamlNode | undefined, report: Report): string[] | null {
  if (!node) return [];
  if (node.kind !== 'sequence') {
    report(node, `${where}: "deps" must be a list of target names or asset keys ("a/b"), found ${describe(node)}`);
    return null;
  }
  const deps: string[] = [];
  node.items.forEach((item, i) => {
    if (item.kind !== 'scalar' || typeof item.value !== 'string' || item.text.trim() === '') {
      report(item, `${where}: deps[${i}] must be a target name or asset key string, found ${describe(item)}`);
    } else {
      deps.push(item.text.trim());
    }
  });
  return deps.length === node.items.length ? deps : null;
}

function readEnv(where: string, node: YamlNode | undefined, report: Report): Record<string, string> | null {
  if (!node) return {};
  if (node.kind !== 'mapping') {
    report(node, `${where}: "env" must be a mapping of variable names to values, e.g. {LOG_LEVEL: info}; found ${describe(node)}`);
    return null;
  }
  const env: Record<string, string> = {};
  let ok = true;
  for (const entry of node.entries) {
    if (!ENV_NAME.test(entry.key)) {
      report(entry, `${where}: env variable name "${entry.key}" is not valid (letters, digits and underscores, not starting with a digit)`);
      ok = false;
    } else if (entry.value.kind !== 'scalar' || (entry.value.value === null && !entry.value.quoted)) {
      report(entry.value.kind === 'scalar' ? entry : entry.value, `${where}: env ${entry.key} must have a string value, found ${describe(entry.value)}`);
      ok = false;
    } else {
      env[entry.key] = entry.value.text;
    }
  }
  return ok ? env : null;
}

/** Resolves `cwd` against the yaml file's folder; null when it is absolute or leaves the workspace. */
function resolveCwd(folder: string, cwd: string): string | null {
  const value = cwd.trim().replace(/\\/g, '/');
  if (value === '' || value.startsWith('/') || /^[A-Za-z]:/.test(value)) return null;
  const joined = path.posix.normalize(path.posix.join(folder === '' ? '.' : folder, value));
  if (joined === '..' || joined.startsWith('../')) return null;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function describe(node: YamlNode): string {
  if (node.kind === 'mapping') return 'a mapping';
  if (node.kind === 'sequence') return 'a list';
  if (node.value === null && !node.quoted) return 'nothing';
  if (typeof node.value === 'string') return `"${node.text}"`;
  return `${typeof node.value} ${node.text}`;
}
