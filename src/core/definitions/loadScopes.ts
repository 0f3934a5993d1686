// The load scopes of a workspace: one per repository of each code location, as Dagster loads them.
import type { DefinitionDiagnostic, JobDefinition, SourceLocation } from './definition';
import type { CodeLocation } from './codeLocations';
import type { AssetsLoaderCall, DefinitionOrigin, DefinitionsObject, ListedDefinitions } from './definitionsObject';
import type { ModuleDefinitions } from './moduleDefinitions';
import type { PythonModuleNames } from './pythonModuleNames';

/** The repository name Dagster gives the one repository a Definitions object (or a bare module) makes. */
export const SINGLETON_REPOSITORY = '__repository__';

export interface LoadScope {
  name: string;
  /** Dagster's repository name within the location: a @repository's, else `__repository__`. */
  repositoryName: string;
  /** Import root: the folder the code location is declared in. */
  root: string;
  /** Files whose definitions "everything" means for this scope. */
  files: string[];
  /** Definitions objects that decide what is loaded, or none (everything in `files` is loaded). */
  objects: DefinitionsObject[];
  /** Without Definitions: only these files' own definitions (a python_module entry's namespace), else all of `files`. */
  entryFiles: string[] | null;
  /** Files whose import loads the location (for the runner), when `objects` are synthetic (a bare module). */
  loadedBy?: string[];
}

/** Scopes of the declared code locations, or, without any, of every module Dagster's `-f` would load. */
export function loadScopes(modules: readonly ModuleDefinitions[], locations: readonly CodeLocation[], names: PythonModuleNames, diagnostics: DefinitionDiagnostic[]): LoadScope[] {
  const byPath = new Map(modules.map((m) => [m.path, m]));
  const allFiles = modules.map((m) => m.path).sort();
  const targets = new TargetsByOrigin(modules);
  const declared = effectiveLocations(modules, locations);
  if (declared.length > 0) return declared.flatMap((loc) => scopesOfLocation(loc, byPath, allFiles, names, targets, diagnostics, declared.length === 1));
  const withTargets = modules.filter(isLoadTarget);
  const fileNames = uniqueNames(withTargets.length > 0 ? withTargets.map((m) => m.path) : modules.map((m) => m.path));
  if (withTargets.length > 0) {
    return withTargets.flatMap((m) => scopesOfModule(fileNames.get(m.path) as string, '', [m.path], folderFiles(m.path, allFiles), targets.namespaceObjects([m]), !!m.definitionsFunction, diagnostics, names));
  }
  const jobs = new Map(modules.flatMap((m) => m.jobs.filter((j) => j.assetJob === null).map((j) => [j.origin, j.job] as const)));
  return modules.flatMap((m) => bareModuleScope(m, fileNames.get(m.path) as string, jobs, names, diagnostics));
}

export function isLoadTarget(m: ModuleDefinitions): boolean {
  return m.definitionsObjects.length > 0 || m.repositories.length > 0 || m.definitionsFunction !== null;
}

/**
 * The locations that decide: pyproject.toml and workspace.yaml ones. A setup.py names a package, not what Dagster
 * loads: it is a location only while no module has a Definitions object or a @repository of its own.
 */
export function effectiveLocations(modules: readonly ModuleDefinitions[], locations: readonly CodeLocation[]): readonly CodeLocation[] {
  const declared = locations.filter((l) => !l.declaredIn.file.endsWith('setup.py'));
  if (declared.length > 0 || locations.length === 0) return declared;
  return modules.some(isLoadTarget) ? [] : locations;
}

/** Definitions objects and repositories by origin, so a module's namespace can hold imported ones. */
class TargetsByOrigin {
  private readonly objects = new Map<DefinitionOrigin, DefinitionsObject & { attribute?: string; repositoryName?: string }>();
  constructor(modules: readonly ModuleDefinitions[]) {
    for (const m of modules) {
      for (const o of m.definitionsObjects) this.objects.set(o.origin, o);
      for (const r of m.repositories) this.objects.set(r.origin, r);
    }
  }

  /** Definitions objects and repositories in the namespace of these modules: their own, then imported ones. */
  namespaceObjects(entry: readonly ModuleDefinitions[]): { definitions: (DefinitionsObject & { attribute?: string })[]; repositories: (DefinitionsObject & { repositoryName: string })[] } {
    const definitions: (DefinitionsObject & { attribute?: string })[] = [];
    const repositories: (DefinitionsObject & { repositoryName: string })[] = [];
    for (const m of entry) {
      definitions.push(...m.definitionsObjects);
      repositories.push(...m.repositories);
      for (const origin of m.imported) {
        const o = this.objects.get(origin);
        if (!o || definitions.includes(o) || repositories.includes(o as never)) continue;
        if (o.repositoryName !== undefined) repositories.push(o as DefinitionsObject & { repositoryName: string });
        else definitions.push(o);
      }
    }
    return { definitions, repositories };
  }
}

/** A module holding Definitions wins over @repository (Dagster looks for Definitions first); each repository is its own. */
function scopesOfModule(name: string, root: string, entryFiles: string[], files: string[], found: ReturnType<TargetsByOrigin['namespaceObjects']>, lazy: boolean, diagnostics: DefinitionDiagnostic[], names: PythonModuleNames): LoadScope[] {
  const { definitions, repositories } = found;
  if (lazy) return [{ name, repositoryName: SINGLETON_REPOSITORY, root, files, objects: [], entryFiles: null, loadedBy: entryFiles }];
  if (definitions.length > 1) {
    const module = names.moduleNameOf(entryFiles[0]);
    diagnostics.push({ location: definitions[1].location, severity: 'error',
      message: `Cannot have more than one Definitions object defined at module scope. Found Definitions objects: ${definitions.map((d) => `${module}.${d.attribute ?? '?'}`).join(', ')} (Dagster loads none of them; all are listed here)` });
  }
  if (definitions.length > 0) return [{ name, repositoryName: SINGLETON_REPOSITORY, root, files, objects: definitions, entryFiles: null, loadedBy: entryFiles }];
  return repositories.map((r) => ({ name, repositoryName: r.repositoryName, root, files, objects: [r], entryFiles: null, loadedBy: entryFiles }));
}

/**
 * A module without Definitions or @repository, as `dagster dev -f FILE` loads it (autodiscovery.py's
 * `loadable_targets_from_loaded_module`): its only @job when it has one, refused with two or more, else every
 * asset in its namespace, imported ones included (`load_assets_from_modules([module])`). The runner loads such
 * a module's assets and jobs all together, so all are listed; where `-f` differs a warning says so.
 */
function bareModuleScope(m: ModuleDefinitions, name: string, jobs: ReadonlyMap<DefinitionOrigin, JobDefinition>, names: PythonModuleNames, diagnostics: DefinitionDiagnostic[]): LoadScope[] {
  // define_asset_job makes an unresolved job, which `-f` does not look for: only @job (a JobDefinition) counts.
  const jobOrigins = [...m.jobs.filter((j) => j.assetJob === null).map((j) => j.origin), ...m.imported.filter((o) => jobs.has(o))];
  const assetOrigins = m.imported.filter((o) => !jobs.has(o));
  if (m.assets.length === 0 && m.jobs.length === 0 && jobOrigins.length === 0 && assetOrigins.length === 0) return [];
  const file = m.path.slice(m.path.lastIndexOf('/') + 1);
  const found = jobOrigins.map((o) => jobs.get(o) as JobDefinition);
  if (found.length > 1) {
    diagnostics.push({ location: found[1].location, severity: 'warning',
      message: `\`dagster dev -f ${file}\` refuses this module: No repository and more than one job found in "${names.moduleNameOf(m.path)}" (${found.length} jobs, no Definitions object). They are listed as the backfill runner loads them; for Dagster, list them in Definitions(jobs=[...])` });
  } else if (found.length === 1 && (m.assets.length > 0 || m.jobs.length > 1)) {
    diagnostics.push({ location: found[0].location, severity: 'warning',
      message: `\`dagster dev -f ${file}\` loads only the job '${found[0].name}' from this module, not its other definitions (listed here as the backfill runner loads them; add a Definitions object for Dagster)` });
  }
  const location: SourceLocation = { file: m.path, line: 1 };
  const assets: ListedDefinitions[] = [wholeModule(m.path, location), ...assetOrigins.map((origin) => ({ kind: 'origin' as const, origin }))];
  const jobEntries: ListedDefinitions[] = [...m.jobs.map((j) => ({ kind: 'origin' as const, origin: j.origin })), ...m.imported.filter((o) => jobs.has(o)).map((origin) => ({ kind: 'origin' as const, origin }))];
  return [{ name, repositoryName: SINGLETON_REPOSITORY, root: '', files: [m.path], objects: [{ location, assets, jobs: jobEntries }], entryFiles: null, loadedBy: [m.path] }];
}

/**
 * A location whose module or file is missing cannot be loaded by Dagster. Alone, it falls back to everything
 * under its root (the user's code is there somewhere); beside other locations it lists nothing, as those would
 * otherwise all be listed twice.
 */
function scopesOfLocation(loc: CodeLocation, byPath: Map<string, ModuleDefinitions>, allFiles: string[], names: PythonModuleNames, targets: TargetsByOrigin, diagnostics: DefinitionDiagnostic[], alone: boolean): LoadScope[] {
  const under = (root: string) => allFiles.filter((f) => root === '' || f.startsWith(`${root}/`));
  const entryFiles: string[] = [];
  const fallback = alone ? `every definition under ${loc.root === '' ? 'the workspace root' : `'${loc.root}/'`} is listed instead`
    : 'Dagster cannot load this location, so it lists nothing (the other locations are listed as declared)';
  for (const m of loc.modules) {
    const file = names.fileOf(m);
    if (file) entryFiles.push(file);
    else if (!loc.defsModule) diagnostics.push({ location: { file: loc.declaredIn.file, line: loc.declaredIn.line }, severity: 'warning', message: `code location '${loc.name}': module '${m}' was not found in the workspace; ${fallback}` });
  }
  for (const f of loc.files) {
    if (byPath.has(f)) entryFiles.push(f);
    else diagnostics.push({ location: { file: loc.declaredIn.file, line: loc.declaredIn.line }, severity: 'warning', message: `code location '${loc.name}': file '${f}' was not found; ${fallback}` });
  }
  const entries = entryFiles.flatMap((f) => byPath.get(f) ?? []);
  const found = targets.namespaceObjects(entries);
  const hasFunction = entries.some((m) => m.definitionsFunction);
  const base = { name: loc.name, repositoryName: SINGLETON_REPOSITORY, root: loc.root };
  if (loc.defsModule && found.definitions.length === 0 && found.repositories.length === 0) {
    const defsFiles = names.filesUnder(loc.defsModule);
    return [{ ...base, files: defsFiles.length > 0 ? defsFiles : under(loc.root), objects: [], entryFiles: null }];
  }
  if (entryFiles.length === 0 && !alone && (loc.modules.length > 0 || loc.files.length > 0)) return [];
  if (hasFunction || entryFiles.length === 0) return [{ ...base, files: under(loc.root), objects: [], entryFiles: null }];
  if (found.definitions.length > 0 || found.repositories.length > 0) {
    return scopesOfModule(loc.name, loc.root, [], under(loc.root), found, false, diagnostics, names).map((s) => ({ ...s, loadedBy: undefined }));
  }
  // No Definitions: the entry modules' namespaces, imported definitions included (as Dagster's module load sees them).
  const imported = entries.flatMap((m) => m.imported);
  if (imported.length === 0) return [{ ...base, files: under(loc.root), objects: [], entryFiles }];
  const listed: ListedDefinitions[] = [...entryFiles.map((path) => wholeModule(path, { file: path, line: 1 })), ...imported.map((origin) => ({ kind: 'origin' as const, origin }))];
  const jobs: ListedDefinitions[] = [...entries.flatMap((m) => m.jobs.map((j) => ({ kind: 'origin' as const, origin: j.origin }))), ...imported.map((origin) => ({ kind: 'origin' as const, origin }))];
  return [{ ...base, files: under(loc.root), objects: [{ location: { file: entryFiles[0], line: 1 }, assets: listed, jobs }], entryFiles: null, loadedBy: entryFiles }];
}

/** Files in the folder of `path` and below: what "everything" means for a module's own location. */
function folderFiles(path: string, allFiles: string[]): string[] {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  return allFiles.filter((f) => f.startsWith(dir));
}

/**
 * Location names as Dagster gives a `-f FILE` location: the file's basename (origin.py's
 * `_assign_loadable_target_origin_name`). Two files with one basename would be two locations of one name, which
 * Dagster refuses; they are told apart by their workspace-relative path.
 */
function uniqueNames(paths: readonly string[]): Map<string, string> {
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const count = new Map<string, number>();
  for (const p of paths) count.set(base(p), (count.get(base(p)) ?? 0) + 1);
  return new Map(paths.map((p) => [p, (count.get(base(p)) as number) > 1 ? p : base(p)]));
}

/** A module's own assets as Dagster's module load takes them: a load_assets_from_modules([module]) without options. */
function wholeModule(path: string, location: SourceLocation): AssetsLoaderCall {
  return { kind: 'loader', call: -1, location, paths: [path], keyPrefix: [], sourceKeyPrefix: [], group: null, includeSpecs: true };
}
