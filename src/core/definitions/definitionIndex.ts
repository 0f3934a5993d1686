// The incremental discovery index: modules parsed once, each module's definitions re-read only when it or a
// module it consulted (through imports) changes; the workspace-level assembly (linear, per-module) runs on every snapshot.
import type { DefinitionDiagnostic, SourceFiles } from './definition';
import { PythonModule } from './pythonModule';
import type { PythonModuleOptions } from './pythonModule';
import { PythonModuleNames } from './pythonModuleNames';
import { PythonNameResolver } from './pythonNameResolver';
import type { PythonModuleSource } from './pythonNameResolver';
import { ResolvedModule } from './resolvedModule';
import type { ClosedVariables } from './closedPythonValue';
import type { PythonValue } from './pythonExpression';
import type { ModuleDefinitions, ModuleDefinitionsHost } from './moduleDefinitions';
import { functionKeysOfModule, readModuleDefinitions } from './moduleDefinitions';
import type { CodeLocation } from './codeLocations';
import { CODE_LOCATION_FILES, codeLocationsFrom } from './codeLocations';
import type { DiscoveredDefinitions } from './assembleDefinitions';
import { assembleDefinitions } from './assembleDefinitions';

/** Offsets of each module's values live in their own 2^32 slot of one number line (see PythonModule). */
const SLOT = 2 ** 32;

interface ModuleEntry {
  path: string;
  text: string;
  /** mentionsDagster(text): only such modules can define anything. */
  dagster: boolean;
  slot: number;
  module?: PythonModule;
  definitions?: ModuleDefinitions;
  functionKeys?: Map<string, string[][]>;
  /** Modules read while computing `definitions` / `functionKeys` (this one excluded). */
  dependencies: Set<string>;
}

/** A file that changed: new text, or undefined when it was deleted. */
export interface FileChange {
  path: string;
  text: string | undefined;
}

export interface DefinitionIndexOptions {
  /** How modules are parsed (see PythonModuleOptions): the fast parser by default. */
  parser?: PythonModuleOptions['parser'];
}

export class DefinitionIndex implements PythonModuleSource, ModuleDefinitionsHost {
  private readonly entries = new Map<string, ModuleEntry>();
  private readonly slots: string[] = [];
  private readonly locationTexts = new Map<string, string>();
  private locations: CodeLocation[] = [];
  private locationDiagnostics: DefinitionDiagnostic[] = [];
  private readDiagnostics: DefinitionDiagnostic[] = [];
  private moduleNames = new PythonModuleNames([], []);
  private readonly resolver = new PythonNameResolver(this);
  /** Dependency collectors of the computations in progress (nested when one module needs another's keys). */
  private readonly collectors: Set<string>[] = [];
  private last: DiscoveredDefinitions | undefined;
  /** Paths of `entries` in sorted order; undefined after files were added or deleted. */
  private sortedPaths: string[] | undefined;
  /** Variables closed by any module's reading; valid until the next change. */
  private closedVariables: ClosedVariables = this.sharedClosedVariables();

  /** `folderName`: the workspace folder's name, the package its modules are also imported as (see PythonModuleNames). */
  constructor(private readonly options: DefinitionIndexOptions = {}, private readonly folderName: string | null = null) {}

  get names(): PythonModuleNames {
    return this.moduleNames;
  }

  /** Reads every Python file and code-location file. Never rejects: failures become diagnostics. */
  static async load(files: SourceFiles, options: DefinitionIndexOptions = {}): Promise<DefinitionIndex> {
    const index = new DefinitionIndex(options, files.folderName ?? null);
    let paths: string[];
    try {
      paths = [...(await files.list(['.py', ...CODE_LOCATION_FILES]))].sort();
    } catch (e) {
      index.readDiagnostics.push({ location: { file: '', line: 1 }, message: `Could not list Python files: ${errorText(e)}`, severity: 'error' });
      return index;
    }
    // Reads overlap (a bounded number at a time): one await per file in turn leaves the disk and the CPU idle.
    const changes: (FileChange | undefined)[] = new Array(paths.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < paths.length; i = next++) {
        try {
          changes[i] = { path: paths[i], text: await files.read(paths[i]) };
        } catch (e) {
          index.readDiagnostics.push({ location: { file: paths[i], line: 1 }, message: `Could not read ${paths[i]}: ${errorText(e)}`, severity: 'error' });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(32, paths.length) }, worker));
    index.update(changes.filter((c): c is FileChange => c !== undefined));
    return index;
  }

  /** Applies changed, added and deleted files; only what depends on them is computed again. */
  update(changes: readonly FileChange[]): void {
    let filesChanged = false;
    let locationsChanged = false;
    const changed: string[] = [];
    for (const { path, text } of changes) {
      if (isLocationFile(path)) {
        if (text === undefined) locationsChanged = this.locationTexts.delete(path) || locationsChanged;
        else if (this.locationTexts.get(path) !== text) {
          this.locationTexts.set(path, text);
          locationsChanged = true;
        }
        continue;
      }
      if (!path.endsWith('.py')) continue;
      const entry = this.entries.get(path);
      if (text === undefined) {
        if (entry) {
          this.entries.delete(path);
          filesChanged = true;
        }
        continue;
      }
      if (entry) {
        if (entry.text === text) continue;
        // Whether a module can hold definitions decides which imports others resolve (mayHoldDefinitions): all redone.
        if (entry.dagster !== mentionsDagster(text)) filesChanged = true;
        this.entries.set(path, { path, text, dagster: mentionsDagster(text), slot: entry.slot, dependencies: new Set() });
      } else {
        this.slots.push(path);
        this.entries.set(path, { path, text, dagster: mentionsDagster(text), slot: this.slots.length - 1, dependencies: new Set() });
        filesChanged = true;
      }
      changed.push(path);
    }
    if (locationsChanged) {
      this.locationDiagnostics = [];
      const files = [...this.locationTexts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, text]) => ({ path, text }));
      this.locations = codeLocationsFrom(files, this.locationDiagnostics);
    }
    if (filesChanged) this.sortedPaths = undefined;
    if (filesChanged || locationsChanged) {
      // Module names may now point elsewhere: every resolution is redone (parsed modules are kept).
      this.moduleNames = new PythonModuleNames([...this.entries.keys()], this.locations.map((l) => l.root), this.folderName);
      for (const e of this.entries.values()) this.forget(e);
    } else if (changed.length > 0) {
      const touched = new Set(changed);
      for (const e of this.entries.values()) {
        if (touched.has(e.path) || dependsOnAny(e, touched)) this.forget(e);
      }
    }
    if (changed.length > 0 || filesChanged || locationsChanged) {
      this.last = undefined;
      this.closedVariables = this.sharedClosedVariables();
    }
  }

  /** Assets, jobs and diagnostics of the workspace as it is now. */
  snapshot(): DiscoveredDefinitions {
    if (this.last) return this.last;
    this.recomputed.clear();
    const modules: ModuleDefinitions[] = [];
    this.sortedPaths ??= [...this.entries.keys()].sort();
    // A declared location's module may only import its Definitions (`from .definitions import defs`): read it too.
    const entryFiles = new Set(this.locations.flatMap((l) => [...l.files, ...l.modules.flatMap((m) => this.moduleNames.fileOf(m) ?? [])]));
    for (const path of this.sortedPaths) {
      const entry = this.entries.get(path) as ModuleEntry;
      if (!entry.dagster && !entryFiles.has(path)) continue;
      modules.push(this.definitionsOf(entry));
    }
    this.last = assembleDefinitions(modules, this.locations, this.moduleNames, [...this.readDiagnostics, ...this.locationDiagnostics]);
    return this.last;
  }

  /** Paths whose definitions were computed again by the last snapshot (for tests and the benchmark). */
  readonly recomputed = new Set<string>();

  get codeLocations(): readonly CodeLocation[] {
    return this.locations;
  }

  module(path: string): PythonModule | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    entry.module ??= new PythonModule(entry.text, entry.slot * SLOT, this.options);
    return entry.module;
  }

  consulted(path: string): void {
    for (const c of this.collectors) c.add(path);
  }

  functionKeys(path: string, name: string): string[][] | null {
    const entry = this.entries.get(path);
    if (!entry) return null;
    this.consulted(path);
    if (!entry.functionKeys) {
      entry.functionKeys = this.collecting(entry, () => functionKeysOfModule(this.view(entry), this));
    }
    return entry.functionKeys.get(name) ?? null;
  }

  packageFiles(packageName: string): string[] {
    const files = this.moduleNames.filesUnder(packageName);
    for (const f of files) this.consulted(f);
    return files;
  }

  mayHoldDefinitions(moduleName: string, fromPath: string): boolean {
    const file = this.moduleNames.fileOf(this.moduleNames.absolute(moduleName, fromPath));
    if (!file) return false;
    const entry = this.entries.get(file);
    return !!entry && (entry.dagster || file.endsWith('__init__.py'));
  }

  publicNames(moduleName: string, fromPath: string): string[] {
    const file = this.moduleNames.fileOf(this.moduleNames.absolute(moduleName, fromPath));
    const module = file ? this.module(file) : undefined;
    if (!file || !module) return [];
    this.consulted(file);
    return [...module.bindings.keys()].filter((n) => !n.startsWith('_'));
  }

  private definitionsOf(entry: ModuleEntry): ModuleDefinitions {
    if (!entry.definitions) {
      this.recomputed.add(entry.path);
      entry.definitions = this.collecting(entry, () => {
        try {
          return readModuleDefinitions(this.view(entry), this);
        } catch (e) {
          // A bug in discovery must not hide the rest of the workspace: the file gets a diagnostic instead.
          return { path: entry.path, assets: [], jobs: [], definitionsObjects: [], repositories: [], imported: [], imports: [], definitionsFunction: null,
            diagnostics: [{ location: { file: entry.path, line: 1 }, severity: 'error', message: `Discovery failed on this file: ${errorText(e)}` }] };
        }
      });
    }
    return entry.definitions;
  }

  private collecting<T>(entry: ModuleEntry, compute: () => T): T {
    const collector = new Set<string>();
    this.collectors.push(collector);
    try {
      return compute();
    } finally {
      this.collectors.pop();
      for (const d of collector) if (d !== entry.path) entry.dependencies.add(d);
      for (const c of this.collectors) for (const d of collector) c.add(d);
    }
  }

  private view(entry: ModuleEntry): ResolvedModule {
    return new ResolvedModule(entry.path, this.module(entry.path) as PythonModule, this.resolver, (offset) => {
      const path = this.slots[Math.floor(offset / SLOT)];
      const module = path !== undefined ? this.entries.get(path)?.module : undefined;
      return path !== undefined && module ? { path, module } : undefined;
    }, this.closedVariables);
  }

  private sharedClosedVariables(): ClosedVariables {
    const map = new Map<string, { value: PythonValue; consulted: readonly string[] }>();
    return {
      get: (key) => map.get(key),
      set: (key, entry) => void map.set(key, entry),
      track: (compute) => {
        const collector = new Set<string>();
        this.collectors.push(collector);
        try {
          return { value: compute(), consulted: [...collector] };
        } finally {
          this.collectors.pop();
          for (const c of this.collectors) for (const d of collector) c.add(d);
        }
      },
      replay: (consulted) => {
        for (const path of consulted) this.consulted(path);
      },
    };
  }

  private forget(e: ModuleEntry): void {
    e.definitions = undefined;
    e.functionKeys = undefined;
    e.dependencies = new Set();
  }
}

/** Files that never mention dagster cannot define anything (they are still parsed when imported). */
export function mentionsDagster(text: string): boolean {
  return /\bdagster\b/.test(text);
}

function dependsOnAny(e: ModuleEntry, paths: ReadonlySet<string>): boolean {
  for (const d of e.dependencies) if (paths.has(d)) return true;
  return false;
}

function isLocationFile(path: string): boolean {
  const name = path.split('/').pop() ?? '';
  return CODE_LOCATION_FILES.includes(name);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
