// What Dagster loads from each code location: Definitions listings applied, asset-job partitions, duplicates.
import type { AssetDefinition, DefinitionDiagnostic, JobDefinition, SourceLocation } from './definition';
import type { CodeLocation } from './codeLocations';
import type { ModuleAsset, ModuleDefinitions, ModuleJob } from './moduleDefinitions';
import type { DefinitionsObject, ListedDefinitions } from './definitionsObject';
import type { PythonModuleNames } from './pythonModuleNames';
import { resolveAssetJobPartitions } from './assetJobFromPython';

export interface DiscoveredDefinitions {
  assets: AssetDefinition[];
  jobs: JobDefinition[];
  diagnostics: DefinitionDiagnostic[];
}

interface LoadScope {
  name: string;
  /** Files whose definitions "everything" means for this scope. */
  files: string[];
  /** Definitions objects that decide what is loaded, or none (everything in `files` is loaded). */
  objects: DefinitionsObject[];
  /** Without Definitions: only these files' own definitions (a python_module entry's namespace), else all of `files`. */
  entryFiles: string[] | null;
}

export function assembleDefinitions(modules: readonly ModuleDefinitions[], locations: readonly CodeLocation[], names: PythonModuleNames, preDiagnostics: readonly DefinitionDiagnostic[] = []): DiscoveredDefinitions {
  const diagnostics: DefinitionDiagnostic[] = [...preDiagnostics];
  const byPath = new Map(modules.map((m) => [m.path, m]));
  const allFiles = modules.map((m) => m.path).sort();
  const scopes: LoadScope[] = [];
  for (const loc of locations) scopes.push(scopeOfLocation(loc, byPath, allFiles, names, diagnostics));
  if (locations.length === 0) {
    const objects = modules.flatMap((m) => m.definitionsObjects);
    if (objects.length === 0 || modules.some((m) => m.definitionsFunction)) scopes.push({ name: 'workspace', files: allFiles, objects: [], entryFiles: null });
    else for (const o of objects) scopes.push({ name: o.location.file, files: allFiles, objects: [o], entryFiles: null });
  }

  const assets: AssetDefinition[] = [];
  const jobs: JobDefinition[] = [];
  const loadedOrigins = new Set<string>();
  const loadedJobOrigins = new Set<string>();
  for (const scope of scopes) {
    const scopeAssets = loadAssets(scope, byPath, loadedOrigins);
    const executable = new Set(scopeAssets.filter((a) => a.executable).map((a) => a.asset));
    const plainAssets = scopeAssets.map((a) => a.asset);
    for (const job of loadJobs(scope, byPath, loadedJobOrigins)) {
      const resolved = job.assetJob ? { ...job.job, partitions: resolveAssetJobPartitions(job.assetJob, plainAssets, (a) => executable.has(a), diagnostics) } : job.job;
      jobs.push(resolved);
    }
    assets.push(...plainAssets);
  }
  reportNotLoaded(modules, scopes, loadedOrigins, loadedJobOrigins, diagnostics);
  for (const m of modules) diagnostics.push(...m.diagnostics);
  const byLocation = (a: { location: SourceLocation }, b: { location: SourceLocation }) =>
    (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) || a.location.line - b.location.line;
  assets.sort(byLocation);
  jobs.sort(byLocation);
  reportDuplicates(assets, assetKeyString, 'asset key', diagnostics);
  reportDuplicates(jobs, (j) => j.name, 'job name', diagnostics);
  return { assets, jobs, diagnostics: uniqueSorted(diagnostics) };
}

function scopeOfLocation(loc: CodeLocation, byPath: Map<string, ModuleDefinitions>, allFiles: string[], names: PythonModuleNames, diagnostics: DefinitionDiagnostic[]): LoadScope {
  const under = (root: string) => allFiles.filter((f) => root === '' || f.startsWith(`${root}/`));
  const entryFiles: string[] = [];
  for (const m of loc.modules) {
    const file = names.fileOf(m);
    if (file) entryFiles.push(file);
    else if (!loc.defsModule) diagnostics.push({ location: { file: loc.declaredIn.file, line: loc.declaredIn.line }, severity: 'warning', message: `code location '${loc.name}': module '${m}' was not found in the workspace; all its definitions are listed` });
  }
  for (const f of loc.files) {
    if (byPath.has(f) || allFiles.includes(f)) entryFiles.push(f);
    else diagnostics.push({ location: { file: loc.declaredIn.file, line: loc.declaredIn.line }, severity: 'warning', message: `code location '${loc.name}': file '${f}' was not found; all its definitions are listed` });
  }
  const objects = entryFiles.flatMap((f) => byPath.get(f)?.definitionsObjects ?? []);
  const hasFunction = entryFiles.some((f) => byPath.get(f)?.definitionsFunction);
  if (loc.defsModule && objects.length === 0) {
    const defsFiles = names.filesUnder(loc.defsModule);
    return { name: loc.name, files: defsFiles.length > 0 ? defsFiles : under(loc.root), objects: [], entryFiles: null };
  }
  if (hasFunction || entryFiles.length === 0) return { name: loc.name, files: under(loc.root), objects: hasFunction ? [] : objects, entryFiles: null };
  return { name: loc.name, files: under(loc.root), objects, entryFiles: objects.length > 0 ? null : entryFiles };
}

function loadAssets(scope: LoadScope, byPath: Map<string, ModuleDefinitions>, loaded: Set<string>): ModuleAsset[] {
  const everything = (files: string[]) => files.flatMap((f) => byPath.get(f)?.assets ?? []);
  if (scope.objects.length === 0) return mark(everything(scope.entryFiles ?? scope.files), loaded);
  if (scope.objects.some((o) => o.assets === null)) return mark(everything(scope.files), loaded);
  let byOrigin: Map<string, ModuleAsset[]> | undefined;
  const originAssets = (origin: string) => {
    if (!byOrigin) {
      byOrigin = new Map();
      for (const f of scope.files) {
        for (const a of byPath.get(f)?.assets ?? []) {
          const list = byOrigin.get(a.origin);
          if (list) list.push(a);
          else byOrigin.set(a.origin, [a]);
        }
      }
    }
    return byOrigin.get(origin) ?? originAnywhere(byPath, origin);
  };
  const out: ModuleAsset[] = [];
  const listedOrigins = new Set<string>();
  const added = new Set<ModuleAsset>();
  const rekeyed = new Set<string>();
  for (const o of scope.objects) {
    for (const entry of o.assets as ListedDefinitions[]) {
      if (entry.kind === 'origin') {
        if (listedOrigins.has(entry.origin)) continue;
        listedOrigins.add(entry.origin);
        for (const a of originAssets(entry.origin)) {
          if (!added.has(a)) {
            added.add(a);
            out.push(a);
          }
        }
        continue;
      }
      const moduleAssets = byPath.get(entry.path)?.assets ?? [];
      if (entry.keyPrefix.length === 0 && entry.group === null) {
        for (const a of moduleAssets) {
          if (!added.has(a)) {
            added.add(a);
            out.push(a);
          }
        }
        continue;
      }
      const ownKeys = new Set(moduleAssets.map((a) => a.asset.key.join('/')));
      const prefix = (k: string[]) => [...entry.keyPrefix, ...k];
      for (const a of moduleAssets) {
        const id = `${a.origin}|${a.asset.key.join('/')}|${entry.keyPrefix.join('/')}|${entry.group}`;
        if (rekeyed.has(id)) continue;
        rekeyed.add(id);
        out.push({ ...a, asset: {
          ...a.asset,
          key: prefix(a.asset.key),
          group: entry.group ?? a.asset.group,
          deps: a.asset.deps.map((d) => (ownKeys.has(d.key.join('/')) ? { ...d, key: prefix(d.key) } : d)),
        } });
      }
    }
  }
  return mark(out, loaded);
}

function originAnywhere(byPath: Map<string, ModuleDefinitions>, origin: string): ModuleAsset[] {
  for (const m of byPath.values()) {
    const found = m.assets.filter((a) => a.origin === origin);
    if (found.length > 0) return found;
  }
  return [];
}

function mark(assets: ModuleAsset[], loaded: Set<string>): ModuleAsset[] {
  for (const a of assets) loaded.add(a.origin);
  return assets;
}

function loadJobs(scope: LoadScope, byPath: Map<string, ModuleDefinitions>, loaded: Set<string>): ModuleJob[] {
  const everything = (files: string[]) => files.flatMap((f) => byPath.get(f)?.jobs ?? []);
  let out: ModuleJob[];
  if (scope.objects.length === 0) out = everything(scope.entryFiles ?? scope.files);
  else if (scope.objects.some((o) => o.jobs === null)) out = everything(scope.files);
  else {
    const all = [...byPath.values()].flatMap((m) => m.jobs);
    const origins = new Set(scope.objects.flatMap((o) => (o.jobs ?? []).flatMap((e) => (e.kind === 'origin' ? [e.origin] : []))));
    out = all.filter((j) => origins.has(j.origin));
  }
  for (const j of out) loaded.add(j.origin);
  return out;
}

function reportNotLoaded(modules: readonly ModuleDefinitions[], scopes: LoadScope[], loaded: Set<string>, loadedJobs: Set<string>, diagnostics: DefinitionDiagnostic[]): void {
  const deciding = scopes.flatMap((s) => s.objects);
  if (deciding.length === 0 && scopes.every((s) => s.entryFiles === null)) {
    const covered = new Set(scopes.flatMap((s) => s.files));
    for (const m of modules) {
      if (covered.has(m.path)) continue;
      for (const a of m.assets) diagnostics.push({ location: a.asset.location, severity: 'warning', message: `asset '${a.asset.key.join('/')}' is outside every code location, so Dagster does not load it` });
    }
    return;
  }
  const where = deciding.map((o) => `${o.location.file}:${o.location.line}`).join(', ') || 'the code location module';
  for (const m of modules) {
    for (const a of m.assets) {
      if (!loaded.has(a.origin)) diagnostics.push({ location: a.asset.location, severity: 'warning', message: `asset '${a.asset.key.join('/')}' is not listed in Definitions (${where}), so Dagster does not load it` });
    }
    for (const j of m.jobs) {
      if (!loadedJobs.has(j.origin)) diagnostics.push({ location: j.job.location, severity: 'warning', message: `job '${j.job.name}' is not listed in Definitions (${where}), so Dagster does not load it` });
    }
  }
}

/** Asset definitions of unchanged modules are the same objects from one snapshot to the next. */
const keyStrings = new WeakMap<AssetDefinition, string>();

function assetKeyString(a: AssetDefinition): string {
  let s = keyStrings.get(a);
  if (s === undefined) {
    s = a.key.join('/');
    keyStrings.set(a, s);
  }
  return s;
}

function reportDuplicates<T extends AssetDefinition | JobDefinition>(defs: T[], name: (d: T) => string, what: string, diagnostics: DefinitionDiagnostic[]): void {
  const first = new Map<string, T>();
  for (const d of defs) {
    const seen = first.get(name(d));
    if (!seen) first.set(name(d), d);
    else {
      diagnostics.push({ location: d.location, severity: 'warning', message: `Duplicate ${what} '${name(d)}': also defined at ${seen.location.file}:${seen.location.line}` });
    }
  }
}

function uniqueSorted(diagnostics: DefinitionDiagnostic[]): DefinitionDiagnostic[] {
  const seen = new Set<string>();
  const out: DefinitionDiagnostic[] = [];
  for (const d of diagnostics) {
    const id = `${d.location.file}\0${d.location.line}\0${d.location.column ?? 0}\0${d.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(d);
    }
  }
  return out.sort((a, b) => (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0)
    || a.location.line - b.location.line || (a.location.column ?? 0) - (b.location.column ?? 0));
}
