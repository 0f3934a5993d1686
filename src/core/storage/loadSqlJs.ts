// Loads sql.js and its WebAssembly on first use, so importing the state store costs nothing until it is opened.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlJsStatic } from 'sql.js';

const loaded = new Map<string, Promise<SqlJsStatic>>();

/** The bundles ship sql-wasm.wasm beside them in dist/; unbundled code (tests, ts-node) uses the package's copy. */
export function defaultWasmPath(): string {
  const beside = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(beside)) return beside;
  try {
    return require.resolve(PACKAGE_WASM);
  } catch {
    throw new Error(`cannot find sql.js's WebAssembly: it is neither beside the bundle (${beside}) nor in an installed sql.js package`);
  }
}

/** A variable, not a literal, so bundlers leave the lookup to run time instead of trying to bundle the wasm. */
const PACKAGE_WASM = 'sql.js/dist/sql-wasm.wasm';

export function loadSqlJs(wasmPath: string = defaultWasmPath()): Promise<SqlJsStatic> {
  let pending = loaded.get(wasmPath);
  if (!pending) {
    pending = instantiate(wasmPath);
    loaded.set(wasmPath, pending);
    // A failed load is not cached, so a corrected path or a restored file can be tried again.
    pending.catch(() => loaded.delete(wasmPath));
  }
  return pending;
}

async function instantiate(wasmPath: string): Promise<SqlJsStatic> {
  let wasmBinary: Uint8Array;
  try {
    wasmBinary = await fs.promises.readFile(wasmPath);
  } catch (err) {
    throw new Error(`cannot read sql.js's WebAssembly file ${wasmPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const initSqlJs = (await import('sql.js')).default;
  return initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
}
