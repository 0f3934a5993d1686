// What Dagster loads from each code location: Definitions listings applied, asset-job partitions, duplicates.
import type { AssetDefinition, DefinitionCodeLocation, DefinitionDiagnostic, JobDefinition } from './definition';
import type { CodeLocation } from './codeLocations';
import type { ModuleDefinitions, ModuleJob } from './moduleDefinitions';
import type { DefinitionsObject } from './definitionsObject';
import type { PythonModuleNames } from './pythonModuleNames';
import { resolveAssetJobPartitions } from './assetJobFromPython';
import { LoadedOrigins } from './loadedOrigins';
import { loadScopeAssets } from './loadScopeAssets';
import { resolveAssetDeps } from './resolveAssetDeps';
import { sortByLocation } from './sortByLocation';
import { reportDuplicateAssetKeys } from './reportDuplicateAssetKeys';

export interface DiscoveredDefinitions {
  assets: AssetDefinition[];
  jobs: JobDefinition[];
  diagnostics: DefinitionDiagnostic[];
}

interface LoadScope {
  name: string;
  /** Import root: the folder the code location is declared in. */
  root: string;
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
    if (objects.length === 0 || modules.some((m) => m.definitionsFunction)) scopes.push({ name: 'workspace', root: '', files: allFiles, objects: [], entryFiles: null });
    else for (const o of objects) scopes.push({ name: o.location.file, root: '', files: allFiles, objects: [o], entryFiles: null });
  }

  const assets: AssetDefinition[] = [];
  const jobs: JobDefinition[] = [];
  const loadedOrigins = new LoadedOrigins();
  const loadedJobOrigins = new Set<string>();
  for (const scope of scopes) {
    const codeLocation = codeLocationOf(scope);
    const scopeAssets = resolveAssetDeps(loadScopeAssets(scope.objects.length === 0 ? scope.entryFiles ?? scope.files : scope.files, scope.objects, byPath, loadedOrigins, diagnostics), diagnostics);
    const plainAssets = scopeAssets.map((a) => a.asset);
    let executable: Set<AssetDefinition> | undefined;
    const isExecutable = (a: AssetDefinition) => (executable ??= new Set(scopeAssets.filter((s) => s.executable).map((s) => s.asset))).has(a);
    for (const job of loadJobs(scope, byPath, loadedJobOrigins)) {
      const resolved = job.assetJob ? { ...job.job, partitions: resolveAssetJobPartitions(job.assetJob, plainAssets, isExecutable, diagnostics) } : job.job;
      jobs.push({ ...resolved, codeLocation });
    }
    for (const a of plainAssets) assets.push({ ...a, codeLocation });
  }
  reportNotLoaded(modules, scopes, loadedOrigins, loadedJobOrigins, diagnostics);
  for (const m of modules) diagnostics.push(...m.diagnostics);
  const sortedAssets = sortByLocation(assets);
  const sortedJobs = sortByLocation(jobs);
  reportDuplicateAssetKeys(sortedAssets, diagnostics);
  reportDuplicateJobNames(sortedJobs, diagnostics);
  return { assets: sortedAssets, jobs: sortedJobs, diagnostics: uniqueSorted(diagnostics) };
}

function codeLocationOf(scope: LoadScope): DefinitionCodeLocation {
  const objectFiles = [...new Set(scope.objects.map((o) => o.location.file))];
  return { name: scope.name, root: scope.root, entryFiles: objectFiles.length > 0 ? objectFiles : [...(scope.entryFiles ?? [])] };
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
    if (byPath.has(f)) entryFiles.push(f);
    else diagnostics.push({ location: { file: loc.declaredIn.file, line: loc.declaredIn.line }, severity: 'warning', message: `code location '${loc.name}': file '${f}' was not found; all its definitions are listed` });
  }
  const objects = entryFiles.flatMap((f) => byPath.get(f)?.definitionsObjects ?? []);
  const hasFunction = entryFiles.some((f) => byPath.get(f)?.definitionsFunction);
  if (loc.defsModule && objects.length === 0) {
    const defsFiles = names.filesUnder(loc.defsModule);
    return { name: loc.name, root: loc.root, files: defsFiles.length > 0 ? defsFiles : under(loc.root), objects: [], entryFiles: null };
  }
  if (hasFunction || entryFiles.length === 0) return { name: loc.name, root: loc.root, files: under(loc.root), objects: hasFunction ? [] : objects, entryFiles: null };
  return { name: loc.name, root: loc.root, files: under(loc.root), objects, entryFiles: objects.length > 0 ? null : entryFiles };
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

function reportNotLoaded(modules: readonly ModuleDefinitions[], scopes: LoadScope[], loaded: LoadedOrigins, loadedJobs: Set<string>, diagnostics: DefinitionDiagnostic[]): void {
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
    if (!loaded.coversWhole(m.assets)) for (const a of m.assets) {
      if (!loaded.has(a.origin)) diagnostics.push({ location: a.asset.location, severity: 'warning', message: `asset '${a.asset.key.join('/')}' is not listed in Definitions (${where}), so Dagster does not load it` });
    }
    for (const j of m.jobs) {
      if (!loadedJobs.has(j.origin)) diagnostics.push({ location: j.job.location, severity: 'warning', message: `job '${j.job.name}' is not listed in Definitions (${where}), so Dagster does not load it` });
    }
  }
}

function reportDuplicateJobNames(defs: JobDefinition[], diagnostics: DefinitionDiagnostic[]): void {
  const first = new Map<string, JobDefinition>();
  for (const d of defs) {
    const key = d.name;
    const seen = first.get(key);
    if (!seen) first.set(key, d);
    else {
      diagnostics.push({ location: d.location, severity: 'warning', message: `Duplicate job name '${key}': also defined at ${seen.location.file}:${seen.location.line}` });
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
