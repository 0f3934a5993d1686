// Which file a Python module name refers to in a workspace, and the module name of a file (import roots).
import { isDagsterModule } from './pythonModule';

/**
 * Import roots are folders on sys.path: code-location roots and their `src/`, the folder above every
 * top-level package (a chain of folders with `__init__.py`), and the workspace root. The first root that has
 * `a/b.py` or `a/b/__init__.py` wins, as on sys.path.
 */
export class PythonModuleNames {
  private readonly files: Set<string>;
  private readonly roots: string[];
  private readonly fileCache = new Map<string, string | null>();

  /**
   * `rootPackage` is the workspace folder's own name when the folder has an `__init__.py`: its modules are then
   * importable both as `assets` and as `<folder>.assets` (from the parent folder), and both names are one module.
   */
  constructor(paths: readonly string[], locationRoots: readonly string[], private readonly rootPackage: string | null = null) {
    this.files = new Set(paths);
    if (rootPackage !== null && !this.files.has('__init__.py')) this.rootPackage = null;
    const roots: string[] = [];
    const add = (r: string) => {
      if (!roots.includes(r)) roots.push(r);
    };
    for (const r of locationRoots) {
      add(joinPath(r, 'src'));
      add(r);
    }
    for (const p of paths) add(packageRoot(p, this.files));
    add('');
    this.roots = roots;
  }

  /** The file of an absolute module name, e.g. "pkg.assets" → "src/pkg/assets.py", or undefined. */
  fileOf(moduleName: string): string | undefined {
    const cached = this.fileCache.get(moduleName);
    if (cached !== undefined) return cached ?? undefined;
    const rel = moduleName.split('.').join('/');
    let found: string | null = null;
    for (const root of this.roots) {
      const asFile = joinPath(root, `${rel}.py`);
      const asPackage = joinPath(root, `${rel}/__init__.py`);
      if (this.files.has(asPackage)) found = asPackage;
      else if (this.files.has(asFile)) found = asFile;
      if (found) break;
    }
    const rest = this.underRootPackage(moduleName);
    if (!found && rest !== null) found = rest === '' ? '__init__.py' : this.fileOf(rest) ?? null;
    this.fileCache.set(moduleName, found);
    return found ?? undefined;
  }

  private readonly packageCache = new Map<string, boolean>();

  /** True for a folder that is a (namespace) package under some root, with or without __init__.py. */
  isPackage(moduleName: string): boolean {
    let found = this.packageCache.get(moduleName);
    if (found === undefined) {
      found = this.computeIsPackage(moduleName);
      this.packageCache.set(moduleName, found);
    }
    return found;
  }

  /** The rest of a module name under the workspace's own package ('' for the package itself), or null. */
  private underRootPackage(moduleName: string): string | null {
    const p = this.rootPackage;
    if (p === null) return null;
    if (moduleName === p) return '';
    return moduleName.startsWith(`${p}.`) ? moduleName.slice(p.length + 1) : null;
  }

  private computeIsPackage(moduleName: string): boolean {
    const rest = this.underRootPackage(moduleName);
    if (rest === '') return true;
    if (rest !== null && this.computeIsPackage(rest)) return true;
    const rel = `${moduleName.split('.').join('/')}/`;
    for (const root of this.roots) {
      const prefix = root ? `${root}/${rel}` : rel;
      for (const f of this.files) if (f.startsWith(prefix) && f.endsWith('.py')) return true;
    }
    return false;
  }

  /** The module name of a file from the innermost root that contains it (its package root first). */
  moduleNameOf(path: string): string {
    const root = packageRoot(path, this.files);
    const rel = root ? path.slice(root.length + 1) : path;
    return rel.replace(/\.py$/, '').replace(/\/__init__$/, '').split('/').join('.');
  }

  /** Absolute name of `name` imported in the file `fromPath` (relative names start with dots). */
  absolute(name: string, fromPath: string): string {
    const dots = /^\.*/.exec(name)?.[0].length ?? 0;
    if (dots === 0) return name;
    const own = this.moduleNameOf(fromPath).split('.');
    // A package's __init__ is the package itself; a plain module's package is its parent.
    const packageParts = fromPath.endsWith('/__init__.py') || fromPath === '__init__.py' ? own : own.slice(0, -1);
    const base = packageParts.slice(0, Math.max(0, packageParts.length - (dots - 1)));
    const rest = name.slice(dots);
    return [...base, ...(rest ? [rest] : [])].join('.');
  }

  private readonly underCache = new Map<string, string[]>();

  /** Files of every module in a package (the package's own __init__ included), sorted. */
  filesUnder(packageName: string): string[] {
    let cached = this.underCache.get(packageName);
    if (!cached) {
      cached = this.computeFilesUnder(packageName);
      this.underCache.set(packageName, cached);
    }
    return cached;
  }

  private computeFilesUnder(packageName: string): string[] {
    const init = this.fileOf(packageName);
    if (init && !init.endsWith('/__init__.py') && init !== '__init__.py') return [init];
    const folder = init ? init.slice(0, -'__init__.py'.length) : null;
    const out: string[] = [];
    for (const f of this.files) {
      if (!f.endsWith('.py')) continue;
      if (folder !== null ? f.startsWith(folder) : this.moduleNameOf(f).startsWith(`${packageName}.`)) out.push(f);
    }
    return out.sort();
  }

  static isDagster(moduleName: string): boolean {
    return isDagsterModule(moduleName);
  }
}

function joinPath(a: string, b: string): string {
  return a ? `${a}/${b}` : b;
}

/** The folder above the outermost package containing `path` (its own folder when it is not in a package). */
function packageRoot(path: string, files: Set<string>): string {
  const parts = path.split('/');
  let dir = parts.length - 1;
  while (dir > 0 && files.has(`${parts.slice(0, dir).join('/')}/__init__.py`)) dir--;
  return parts.slice(0, dir).join('/');
}
