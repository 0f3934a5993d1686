// How long VS Code spent loading this extension's code, read from the performance marks the extension host sets around the require.
/**
 * VS Code's Running Extensions view reports "code loading + activate()" where code loading starts before an
 * `await` in the extension host: extensions activated in the same moment load in between, and their time is
 * counted in ours. The host also marks the require alone (code/extHost/willLoadExtensionCode/<id> and
 * didLoadExtensionCode/<id>, in the marks it keeps on globalThis.MonacoPerformanceMarks); that is this
 * extension's own share. Undefined when the host keeps no such marks (other hosts, or a future VS Code).
 */
export function codeLoadingMs(extensionId: string): number | undefined {
  const marks = (globalThis as { MonacoPerformanceMarks?: { getMarks?: () => unknown } }).MonacoPerformanceMarks?.getMarks?.();
  if (!Array.isArray(marks)) return undefined;
  const at = (name: string): number | undefined => {
    const mark: unknown = marks.find((m: unknown) => typeof m === 'object' && m !== null && (m as { name?: unknown }).name === name);
    const time = (mark as { startTime?: unknown } | undefined)?.startTime;
    return typeof time === 'number' ? time : undefined;
  };
  const will = at(`code/extHost/willLoadExtensionCode/${extensionId}`);
  const did = at(`code/extHost/didLoadExtensionCode/${extensionId}`);
  return will !== undefined && did !== undefined && did >= will ? did - will : undefined;
}

/** How long the bundle's top-level code ran (timestamps its first and last lines leave, see esbuild.mjs). */
export function moduleEvaluationMs(): number | undefined {
  const g = globalThis as { __backfillStudioModuleStart?: unknown; __backfillStudioModuleEnd?: unknown };
  return typeof g.__backfillStudioModuleStart === 'number' && typeof g.__backfillStudioModuleEnd === 'number' ? g.__backfillStudioModuleEnd - g.__backfillStudioModuleStart : undefined;
}
