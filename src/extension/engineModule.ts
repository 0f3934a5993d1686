// Loads dist/engine.js (parsers, luxon, sql.js) on first use, keeping it out of extension activation.
import type * as Engine from '../core/engine';

export type EngineModule = typeof Engine;

let loaded: EngineModule | undefined;

export function engineModule(): EngineModule {
  // A literal path beside dist/extension.js; esbuild leaves it external (see esbuild.mjs).
  loaded ??= require('./engine.js') as EngineModule;
  return loaded;
}

/** Errors thrown by the engine come from its own bundle, so they are recognised by name, not instanceof. */
export function isBackfillPlanError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'BackfillPlanError';
}
