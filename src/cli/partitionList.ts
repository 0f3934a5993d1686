// Prints partition keys compactly: consecutive keys collapse into "first...last" ranges.

/** `keys` is the selection, `allKeys` the definition's keys in order (to know what is consecutive). */
export function compactPartitionList(keys: readonly string[], allKeys: readonly string[]): string {
  const index = new Map(allKeys.map((k, i) => [k, i]));
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= keys.length; i++) {
    const prev = index.get(keys[i - 1]!);
    const cur = i < keys.length ? index.get(keys[i]!) : undefined;
    if (cur === undefined || prev === undefined || cur !== prev + 1) {
      parts.push(i - 1 === start ? keys[start]! : `${keys[start]}...${keys[i - 1]}`);
      start = i;
    }
  }
  return parts.join(', ');
}
