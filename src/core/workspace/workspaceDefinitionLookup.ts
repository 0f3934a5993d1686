// Definitions of one workspace's latest snapshot by name: for launchers (per run), plans and faces, with the code
// location chosen for a name several locations define.
import { BackfillPlanError } from '../backfill/backfillPlan';
import { selectTargets } from '../backfill/targetSelection';
import { definitionName, type Definition, type DefinitionsSnapshot } from '../definitions/definition';

export class WorkspaceDefinitionLookup {
  /** Every definition by name, first one winning as in discovery order (command targets, assets, jobs); rebuilt per snapshot. */
  private byName: { snapshot: DefinitionsSnapshot; definitions: Map<string, Definition>; inLocation: Map<string, Definition> } | undefined;
  /** Code locations chosen by plan requests (`--location`) for names several locations define: the runs use those. */
  private readonly chosenLocations = new Map<string, string>();

  constructor(private readonly snapshot: () => DefinitionsSnapshot | undefined, private readonly root: string) {}

  private indexed(s: DefinitionsSnapshot): NonNullable<WorkspaceDefinitionLookup['byName']> {
    if (this.byName?.snapshot !== s) {
      const definitions = new Map<string, Definition>();
      for (const d of [...s.commandTargets, ...s.assets, ...s.jobs]) if (!definitions.has(definitionName(d))) definitions.set(definitionName(d), d);
      const inLocation = new Map<string, Definition>();
      for (const d of [...s.assets, ...s.jobs]) {
        const id = d.codeLocation ? locatedName(definitionName(d), d.codeLocation.name) : undefined;
        if (id !== undefined && !inLocation.has(id)) inLocation.set(id, d);
      }
      this.byName = { snapshot: s, definitions, inLocation };
    }
    return this.byName;
  }

  private definitionsByName(): Map<string, Definition> {
    return this.indexed(this.discovered()).definitions;
  }

  /** The definition of `name` in code location `location`, if that location defines it. */
  private inLocation(s: DefinitionsSnapshot, name: string, location: string): Definition | undefined {
    return this.indexed(s).inLocation.get(locatedName(name, location));
  }

  private discovered(): DefinitionsSnapshot {
    const s = this.snapshot();
    if (!s) throw new Error('definitions have not been discovered yet');
    return s;
  }

  /** Looked up per run by the launchers, so a map rather than a scan; undefined before discovery or when gone. */
  readonly named = (name: string): Definition | undefined => {
    const s = this.snapshot();
    if (!s) return undefined;
    const location = this.chosenLocations.get(name);
    const chosen = location === undefined ? undefined : this.inLocation(s, name, location);
    return chosen ?? this.definitionsByName().get(name);
  };

  /** The runs of `targets` use the definitions of `location` from now on (a plan asked for it). */
  choose(targets: readonly Definition[], location: string): void {
    for (const d of targets) this.chosenLocations.set(definitionName(d), location);
  }

  /**
   * Targets by name (asset key "a/b", job or command target name), from `location` when given; a name several
   * locations define is the first one found otherwise. Unknown names are an error listing the known ones.
   */
  find(names: readonly string[], location?: string): Definition[] {
    const all = this.definitionsByName();
    const s = this.discovered();
    return names.map((name) => {
      // A code location chosen (a code lens of a key two locations define) picks that location's definition.
      const found = (location === undefined ? undefined : this.inLocation(s, name, location)) ?? all.get(name);
      if (!found) {
        const known = [...all.keys()].join(', ') || 'none';
        throw new BackfillPlanError(`no asset, job or command target named ${JSON.stringify(name)} in ${this.root} (known: ${known})`);
      }
      return found;
    });
  }

  /** Targets by selection items, as a backfill selects them: a name two code locations define needs `location`. */
  select(items: readonly string[], location?: string): Definition[] {
    const s = this.discovered();
    return selectTargets([...s.commandTargets, ...s.assets, ...s.jobs], items, this.root, location);
  }
}

function locatedName(name: string, location: string): string {
  return `${location}\0${name}`;
}
