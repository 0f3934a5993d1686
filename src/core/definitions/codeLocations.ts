// Dagster code locations of a workspace: pyproject.toml [tool.dagster]/[tool.dg], workspace.yaml, setup.py.
import type { DefinitionDiagnostic } from './definition';
import type { YamlNode } from '../targets/yamlDocument';
import { YamlError, parseYamlDocument } from '../targets/yamlDocument';
import { TomlError, parse as parseToml } from 'smol-toml';

export interface CodeLocation {
  name: string;
  /** Folder the location is declared in (relative, '' for the workspace root): an import root. */
  root: string;
  /** Modules whose definitions the location loads (their Definitions object when they have one). */
  modules: string[];
  /** Python files it loads (workspace.yaml `python_file`), relative to the workspace root. */
  files: string[];
  /** A `dg` project's defs module: every module under it is loaded when no Definitions object says otherwise. */
  defsModule: string | null;
  /** The file and line that declares the location. */
  declaredIn: { file: string; line: number };
}

export const CODE_LOCATION_FILES = ['pyproject.toml', 'workspace.yaml', 'setup.py'];

/** Reads every code-location file; problems become diagnostics. `read` returns undefined for missing files. */
export function codeLocationsFrom(files: { path: string; text: string }[], diagnostics: DefinitionDiagnostic[]): CodeLocation[] {
  const out: CodeLocation[] = [];
  for (const { path, text } of files) {
    const name = path.split('/').pop();
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (name === 'pyproject.toml') out.push(...fromPyproject(path, dir, text, diagnostics));
    else if (name === 'workspace.yaml') out.push(...fromWorkspaceYaml(path, dir, text, diagnostics));
    else if (name === 'setup.py') out.push(...fromSetupPy(path, dir, text, out));
  }
  return out;
}

type TomlTable = { [key: string]: unknown };

/** The table at a dotted path of a parsed TOML document, or undefined. */
function table(doc: TomlTable, path: string[]): TomlTable | undefined {
  let t: unknown = doc;
  for (const part of path) {
    if (typeof t !== 'object' || t === null || Array.isArray(t)) return undefined;
    t = (t as TomlTable)[part];
  }
  return typeof t === 'object' && t !== null && !Array.isArray(t) ? (t as TomlTable) : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * The line a key of a table is written on. smol-toml gives values, not positions: the text is searched for the
 * key under its table's header, then for the key written dotted (`dagster.module_name = ...`), then the header.
 */
export function tomlKeyLine(text: string, tablePath: string[], key: string): number {
  const lines = text.split(/\r\n|\n|\r/);
  const unquote = (h: string) => h.split('.').map((p) => p.trim().replace(/^["']|["']$/g, '')).join('.');
  const wanted = tablePath.join('.');
  const keyPattern = (k: string) => new RegExp(`^\\s*["']?${k.replace(/[.]/g, '["\']?\\s*\\.\\s*["\']?')}["']?\\s*=`);
  let current = '';
  let header = 0;
  let inString: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const wasInString = inString !== null;
    // Lines inside a multi-line string are text, not headers or keys.
    for (const m of line.matchAll(/"""|'''/g)) inString = inString === null ? m[0] : inString === m[0] ? null : inString;
    if (wasInString) continue;
    const h = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (h) {
      current = unquote(h[1]);
      if (current === wanted && header === 0) header = i + 1;
      continue;
    }
    if (current === wanted && keyPattern(key).test(line)) return i + 1;
    // In a parent table: a dotted key (`dagster.module_name = ...`) or an inline table (`dagster = { ... }`).
    const prefix = current === '' ? '' : `${current}.`;
    if (current !== wanted && wanted.startsWith(prefix)) {
      const rest = wanted.slice(prefix.length);
      if (keyPattern(`${rest}.${key}`).test(line) || keyPattern(rest).test(line)) return i + 1;
    }
  }
  return header || 1;
}

function fromPyproject(path: string, dir: string, text: string, diagnostics: DefinitionDiagnostic[]): CodeLocation[] {
  let doc: TomlTable;
  try {
    doc = parseToml(text) as TomlTable;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    diagnostics.push({ location: { file: path, line: e.line, column: e.column }, severity: 'error',
      message: `pyproject.toml is not valid TOML: ${e.message.split('\n')[0].replace(/^Invalid TOML document: /, '')}; its code locations are not read` });
    return [];
  }
  const project = str(table(doc, ['project'])?.name);
  const out: CodeLocation[] = [];
  const dagster = table(doc, ['tool', 'dagster']);
  if (dagster) {
    const modules = [...strings(dagster.module_name), ...strings(dagster.package_name)];
    const nameEntry = str(dagster.code_location_name);
    const workingDirectory = str(dagster.working_directory);
    const declaringKey = dagster.module_name !== undefined ? 'module_name' : 'package_name';
    out.push({
      name: nameEntry ?? modules[0] ?? project ?? (dir || 'workspace'),
      root: workingDirectory !== undefined ? joinRelative(dir, workingDirectory) : dir,
      modules,
      files: [],
      defsModule: null,
      declaredIn: { file: path, line: tomlKeyLine(text, ['tool', 'dagster'], declaringKey) },
    });
  }
  const dg = table(doc, ['tool', 'dg']);
  const dgProject = table(doc, ['tool', 'dg', 'project']);
  if (!dagster && (dgProject || str(dg?.directory_type) === 'project')) {
    const root = str(dgProject?.root_module) ?? (project ? project.replace(/-/g, '_') : undefined);
    if (root) {
      const target = str(dgProject?.code_location_target_module);
      out.push({
        name: str(dgProject?.code_location_name) ?? project ?? root,
        root: dir,
        modules: [target ?? `${root}.definitions`],
        files: [],
        defsModule: str(dgProject?.defs_module) ?? `${root}.defs`,
        declaredIn: { file: path, line: tomlKeyLine(text, ['tool', 'dg', 'project'], 'root_module') },
      });
    }
  }
  return out;
}

function fromWorkspaceYaml(path: string, dir: string, text: string, diagnostics: DefinitionDiagnostic[]): CodeLocation[] {
  let doc: YamlNode | null;
  try {
    doc = parseYamlDocument(path, text);
  } catch (e) {
    if (!(e instanceof YamlError)) throw e;
    diagnostics.push({ location: { file: path, line: e.line, column: e.column }, message: e.reason, severity: 'error' });
    return [];
  }
  const loadFrom = doc?.kind === 'mapping' ? doc.entries.find((e) => e.key === 'load_from')?.value : undefined;
  if (!loadFrom || loadFrom.kind !== 'sequence') {
    diagnostics.push({ location: { file: path, line: 1 }, message: 'workspace.yaml has no load_from list', severity: 'warning' });
    return [];
  }
  const out: CodeLocation[] = [];
  for (const item of loadFrom.items) {
    if (item.kind !== 'mapping' || item.entries.length === 0) continue;
    const entry = item.entries[0];
    const v = entry.value;
    const field = (name: string) => {
      if (v.kind !== 'mapping') return undefined;
      const f = v.entries.find((e) => e.key === name)?.value;
      return f?.kind === 'scalar' && f.value !== null ? String(f.value) : undefined;
    };
    const scalar = v.kind === 'scalar' && v.value !== null ? String(v.value) : undefined;
    const workingDirectory = field('working_directory');
    const root = workingDirectory ? joinRelative(dir, workingDirectory) : dir;
    const declaredIn = { file: path, line: entry.line };
    const named = field('location_name');
    if (entry.key === 'python_module' || entry.key === 'python_package') {
      const module = scalar ?? field('module_name') ?? field('package_name');
      if (module) out.push({ name: named ?? module, root, modules: [module], files: [], defsModule: null, declaredIn });
    } else if (entry.key === 'python_file') {
      const file = scalar ?? field('relative_path');
      // Dagster names a python_file location by the file's basename (origin.py, _assign_loadable_target_origin_name).
      if (file) out.push({ name: named ?? file.replace(/\\/g, '/').split('/').pop() as string, root, modules: [], files: [joinRelative(dir, file)], defsModule: null, declaredIn });
    } else {
      diagnostics.push({ location: { file: path, line: entry.line }, message: `load_from entry '${entry.key}' is not read by discovery (python_module, python_package and python_file are)`, severity: 'warning' });
    }
  }
  return out;
}

/** setup.py names packages, not a Definitions module: the location loads every module of those packages. */
function fromSetupPy(path: string, dir: string, text: string, known: CodeLocation[]): CodeLocation[] {
  if (known.some((l) => l.root === dir)) return [];
  const packages = /packages\s*=\s*\[([^\]]*)\]/.exec(text);
  const names = packages ? [...packages[1].matchAll(/["']([A-Za-z_][\w.]*)["']/g)].map((m) => m[1]) : [];
  if (names.length === 0) return [];
  return [{ name: names[0], root: dir, modules: [], files: [], defsModule: names[0], declaredIn: { file: path, line: 1 } }];
}

function joinRelative(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const p of rel.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}
