// Origins of the definitions the scopes loaded: whole modules are recorded as such, their origins listed only on demand.
import type { ModuleAsset } from './moduleDefinitions';

export class LoadedOrigins {
  private readonly origins = new Set<string>();
  private readonly wholes = new Set<readonly ModuleAsset[]>();
  private pending: (readonly ModuleAsset[])[] = [];

  /** Every asset of one module (its `assets` array) was loaded. */
  addWhole(assets: readonly ModuleAsset[]): void {
    if (this.wholes.has(assets)) return;
    this.wholes.add(assets);
    this.pending.push(assets);
  }

  add(origin: string): void {
    this.origins.add(origin);
  }

  /** Whether `addWhole` was called with this very array: then every origin in it is loaded. */
  coversWhole(assets: readonly ModuleAsset[]): boolean {
    return this.wholes.has(assets);
  }

  has(origin: string): boolean {
    if (this.pending.length > 0) {
      for (const list of this.pending) for (const a of list) this.origins.add(a.origin);
      this.pending = [];
    }
    return this.origins.has(origin);
  }
}
