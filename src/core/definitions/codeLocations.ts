// Dagster code locations of a workspace: pyproject.toml [tool.dagster]/[tool.dg], workspace.yaml, setup.py.
import type { DefinitionDiagnostic } from './definition';
import type { YamlNode } from '../targets/yamlDocument';
import { YamlError, parseYamlDocument } from '../targets/yamlDocument';

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
    if (name === 'pyproject.toml') out.push(...fromPyproject(path, dir, text));
    else if (name === 'workspace.yaml') out.push(...fromWorkspaceYaml(path, dir, text, diagnostics));
    else if (name === 'setup.py') out.push(...fromSetupPy(path, dir, text, out));
  }
  return out;
}

/** The few TOML forms these sections use: `[section]`, `key = "string"`, `key = ["a", "b"]` (possibly multi-line). */
export function tomlSections(text: string): Map<string, Map<string, { value: string | string[]; line: number }>> {
  const sections = new Map<string, Map<string, { value: string | string[]; line: number }>>();
  let current = sections.get('') ?? new Map();
  sections.set('', current);
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^\s+/, '');
    const header = /^\[\s*([^\]]+?)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      current = sections.get(header[1]) ?? new Map();
      sections.set(header[1], current);
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    let raw = kv[2];
    const at = i + 1;
    if (raw.startsWith('[')) {
      while (!/\]\s*(#.*)?$/.test(raw) && i + 1 < lines.length) raw += ` ${lines[++i].trim()}`;
      const items = [...raw.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]);
      current.set(kv[1], { value: items, line: at });
    } else {
      const s = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(raw);
      if (s) current.set(kv[1], { value: s[1] ?? s[2], line: at });
    }
  }
  return sections;
}

function fromPyproject(path: string, dir: string, text: string): CodeLocation[] {
  const sections = tomlSections(text);
  const project = sections.get('project')?.get('name')?.value;
  const out: CodeLocation[] = [];
  const dagster = sections.get('tool.dagster');
  if (dagster) {
    const moduleName = dagster.get('module_name');
    const modules = moduleName ? (Array.isArray(moduleName.value) ? moduleName.value : [moduleName.value]) : [];
    const packageName = dagster.get('package_name');
    if (packageName) modules.push(...(Array.isArray(packageName.value) ? packageName.value : [packageName.value]));
    const nameEntry = dagster.get('code_location_name')?.value;
    const workingDirectory = dagster.get('working_directory')?.value;
    out.push({
      name: typeof nameEntry === 'string' ? nameEntry : modules[0] ?? (typeof project === 'string' ? project : dir || 'workspace'),
      root: typeof workingDirectory === 'string' ? joinRelative(dir, workingDirectory) : dir,
      modules,
      files: [],
      defsModule: null,
      declaredIn: { file: path, line: (moduleName ?? packageName)?.line ?? 1 },
    });
  }
  const dgProject = sections.get('tool.dg.project');
  if (!dagster && (dgProject || sections.get('tool.dg')?.get('directory_type')?.value === 'project')) {
    const rootModule = dgProject?.get('root_module')?.value;
    const root = typeof rootModule === 'string' ? rootModule : typeof project === 'string' ? project.replace(/-/g, '_') : null;
    if (root) {
      const defs = dgProject?.get('defs_module')?.value;
      const defsModule = typeof defs === 'string' ? defs : `${root}.defs`;
      const nameEntry = dgProject?.get('code_location_name')?.value;
      out.push({
        name: typeof nameEntry === 'string' ? nameEntry : typeof project === 'string' ? project : root,
        root: dir,
        modules: [`${root}.definitions`],
        files: [],
        defsModule,
        declaredIn: { file: path, line: dgProject?.get('root_module')?.line ?? 1 },
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
      if (file) out.push({ name: named ?? file.replace(/\.py$/, ''), root, modules: [], files: [joinRelative(dir, file)], defsModule: null, declaredIn });
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
