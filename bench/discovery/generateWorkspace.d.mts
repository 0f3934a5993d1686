// Types of generateWorkspace.mjs, for the TypeScript tests that reuse the benchmark's workspace.

/** Module `i`'s text: imports, constants, helpers, a class and three assets (partitioned when `partitioned`). */
export function moduleText(i: number, partitioned: boolean, rand?: () => number): string;
/** Writes the workspace under `root` and returns the files written (relative paths). */
export function generateWorkspace(root: string, count: number): string[];
