// InProcessDiscovery: discovery in the caller's thread, over a DefinitionIndex kept between calls (the CLI's).
import type { DiscoveredDefinitions } from '../definitions/assembleDefinitions';
import type { SourceFiles } from '../definitions/definition';
import { DefinitionIndex } from '../definitions/definitionIndex';
import type { DefinitionIndexOptions } from '../definitions/definitionIndex';
import type { DefinitionsDiscovery } from '../definitions/definitionsDiscovery';

export class InProcessDiscovery implements DefinitionsDiscovery {
  private index: DefinitionIndex | undefined;

  constructor(private readonly files: SourceFiles, private readonly options: DefinitionIndexOptions = {}) {}

  async load(): Promise<DiscoveredDefinitions> {
    this.index = await DefinitionIndex.load(this.files, this.options);
    return this.index.snapshot();
  }

  async update(changedPaths: readonly string[]): Promise<DiscoveredDefinitions> {
    const index = this.index;
    if (!index) return this.load();
    const changes = await Promise.all(changedPaths.map(async (p) => ({ path: p, text: await this.files.read(p) })));
    index.update(changes);
    return index.snapshot();
  }
}
