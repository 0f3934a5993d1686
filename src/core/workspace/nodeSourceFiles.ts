// SourceFiles over node:fs for a workspace folder on disk (used by the CLI, the extension host and the discovery worker).
import * as fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SourceFiles } from '../definitions/definition';

/** Folders never searched for definitions: VCS, caches, virtualenvs, dependencies, our own state. */
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'venv', 'env', 'site-packages', 'build', 'dist']);

export interface NodeSourceFilesOptions {
  /**
   * Read with readFileSync: several times cheaper per small file than fs.promises' thread-pool hops, which
   * dominated reading a 2,000-module workspace, but it stops the thread. Only for a thread that has nothing
   * else to do meanwhile (the CLI, the discovery worker); never the extension host.
   */
  blockingReads?: boolean;
}

export class NodeSourceFiles implements SourceFiles {
  readonly folderName: string;

  constructor(private readonly root: string, private readonly options: NodeSourceFilesOptions = {}) {
    this.folderName = path.basename(path.resolve(root));
  }

  async list(suffixes: string[]): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(path.join(this.root, rel), { withFileTypes: true });
      } catch {
        return; // unreadable folders are skipped, not fatal
      }
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name)) await walk(child);
        } else if (e.isFile() && suffixes.some((s) => e.name.endsWith(s))) {
          out.push(child);
        }
      }
    };
    await walk('');
    return out.sort();
  }

  async read(rel: string): Promise<string | undefined> {
    try {
      const file = path.join(this.root, rel);
      return this.options.blockingReads ? readFileSync(file, 'utf8') : await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  }
}
