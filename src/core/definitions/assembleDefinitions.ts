// What Dagster loads from each code location: Definitions listings applied, asset-job partitions, duplicates.
import type { AssetDefinition, DefinitionCodeLocation, DefinitionDiagnostic, JobDefinition } from './definition';
import type { CodeLocation } from './codeLocations';
import type { ModuleDefinitions, ModuleJob } from './moduleDefinitions';
import type { PythonModuleNames } from './pythonModuleNames';
import { resolveAssetJobPartitions } from './assetJobFromPython';
import { LoadedOrigins } from './loadedOrigins';
import { loadScopeAssets } from './loadScopeAssets';
import { resolveAssetDeps } from './resolveAssetDeps';
import { sortByLocation } from './sortByLocation';
import { reportDuplicateAssetKeys } from './reportDuplicateAssetKeys';
import { reportPartitionMappingProblems } from './reportPartitionMappingProblems';
import type { LoadScope } from './loadScopes';
import { effectiveLocations, isLoadTarget, loadScopes } from './loadScopes';

export interface DiscoveredDefinitions {
  assets: AssetDefinition[];
  jobs: JobDefinition[];
  diagnostics: DefinitionDiagnostic[];
}

export function assembleDefinitions(modules: readonly ModuleDefinitions[], locations: readonly CodeLocation[], names: PythonModuleNames, preDiagnostics: readonly DefinitionDiagnostic[] = []): DiscoveredDefinitions {
  const diagnostics: DefinitionDiagnostic[] = [...preDiagnostics];
  const byPath = new Map(modules.map((m) => [m.path, m]));
  const scopes = loadScopes(modules, locations, names, diagnostics);

  const assets: AssetDefinition[] = [];
  const jobs: JobDefinition[] = [];
  const loadedOrigins = new LoadedOrigins();
  const loadedJobOrigins = new Set<string>();
  // Without Definitions anywhere each module is its own location, but an asset job's selection means the
  // workspace's assets (Dagster's `-f` would not load the job at all: reportNotLoadedByFileLoads says so).
  const fileLoads = effectiveLocations(modules, locations).length === 0 && !modules.some(isLoadTarget);
  const loaded = scopes.map((scope) => ({ scope, assets: resolveAssetDeps(loadScopeAssets(scope.objects.length === 0 ? scope.entryFiles ?? scope.files : scope.files, scope.objects, byPath, loadedOrigins, diagnostics), diagnostics) }));
  const everyAsset = fileLoads ? loaded.flatMap((l) => l.assets) : [];
  for (const { scope, assets: scopeAssets } of loaded) {
    const codeLocation = codeLocationOf(scope);
    const plainAssets = scopeAssets.map((a) => a.asset);
    const selectable = fileLoads ? everyAsset : scopeAssets;
    const selectableAssets = fileLoads ? selectable.map((a) => a.asset) : plainAssets;
    let executable: Set<AssetDefinition> | undefined;
    const isExecutable = (a: AssetDefinition) => (executable ??= new Set(selectable.filter((s) => s.executable).map((s) => s.asset))).has(a);
    const scopeJobs: JobDefinition[] = [];
    for (const job of loadJobs(scope, byPath, loadedJobOrigins)) {
      const resolved = job.assetJob ? { ...job.job, partitions: resolveAssetJobPartitions(job.assetJob, selectableAssets, isExecutable, diagnostics) } : job.job;
      scopeJobs.push({ ...resolved, codeLocation });
    }
    // Within one repository a key is loaded once: Dagster refuses the location otherwise.
    reportDuplicateAssetKeys(plainAssets, diagnostics);
    reportDuplicateJobNames(scopeJobs, diagnostics);
    jobs.push(...scopeJobs);
    for (const a of plainAssets) assets.push({ ...a, codeLocation });
    reportPartitionMappingProblems(scopeAssets, diagnostics);
  }
  if (fileLoads) reportNotLoadedByFileLoads(modules, diagnostics);
  else reportNotLoaded(modules, scopes, loadedOrigins, loadedJobOrigins, diagnostics);
  for (const m of modules) diagnostics.push(...m.diagnostics);
  const sortedAssets = sortByLocation(assets);
  const sortedJobs = sortByLocation(jobs);
  return { assets: sortedAssets, jobs: sortedJobs, diagnostics: uniqueSorted(diagnostics) };
}

function codeLocationOf(scope: LoadScope): DefinitionCodeLocation {
  const objectFiles = scope.loadedBy ?? [...new Set(scope.objects.map((o) => o.location.file))];
  return { name: scope.name, root: scope.root, entryFiles: objectFiles.length > 0 ? objectFiles : [...(scope.entryFiles ?? [])], repositoryName: scope.repositoryName };
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
  const where = deciding.length > 3 ? `any of ${deciding.length} Definitions objects and repositories`
    : deciding.map((o) => `${o.location.file}:${o.location.line}`).join(', ') || 'the code location module';
  for (const m of modules) {
    if (!loaded.coversWhole(m.assets)) for (const a of m.assets) {
      if (!loaded.has(a.origin)) diagnostics.push({ location: a.asset.location, severity: 'warning', message: `asset '${a.asset.key.join('/')}' is not listed in Definitions (${where}), so Dagster does not load it` });
    }
    for (const j of m.jobs) {
      if (!loadedJobs.has(j.origin)) diagnostics.push({ location: j.job.location, severity: 'warning', message: `job '${j.job.name}' is not listed in Definitions (${where}), so Dagster does not load it` });
    }
  }
}

/** Without Definitions anywhere, each module is loaded whole; define_asset_job jobs are what `-f` leaves out. */
function reportNotLoadedByFileLoads(modules: readonly ModuleDefinitions[], diagnostics: DefinitionDiagnostic[]): void {
  for (const m of modules) {
    const file = m.path.slice(m.path.lastIndexOf('/') + 1);
    for (const j of m.jobs) {
      if (j.assetJob) diagnostics.push({ location: j.job.location, severity: 'warning',
        message: `job '${j.job.name}' is not loaded by \`dagster dev -f ${file}\`: without a Definitions object Dagster loads a module's assets, not its define_asset_job jobs (list it in Definitions(jobs=[...]))` });
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
      diagnostics.push({ location: d.location, severity: 'error', message: `Duplicate job name '${key}' in code location '${d.codeLocation?.name ?? ''}': also defined at ${seen.location.file}:${seen.location.line}` });
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
