// Finds where a decorated Python definition starts, so its lenses sit above the decorators, not between them and the def.

function bracketBalance(line: string): number {
  let balance = 0;
  for (const ch of line.replace(/#.*$/, '')) {
    if (ch === ')' || ch === ']' || ch === '}') balance++;
    else if (ch === '(' || ch === '[' || ch === '{') balance--;
  }
  return balance;
}

/**
 * `lineAt(i)` returns line i (0-based). Walks up from the `def` line one logical line at a time (a decorator
 * whose arguments span several lines is one logical line) while those lines are decorators; returns the first
 * decorator's line, or `defLine` when there is none.
 */
export function decoratorStartLine(lineAt: (i: number) => string, defLine: number): number {
  let start = defLine;
  let end = defLine - 1;
  while (end >= 0) {
    let first = end;
    let open = bracketBalance(lineAt(first));
    while (open > 0 && first > 0) {
      first--;
      open += bracketBalance(lineAt(first));
    }
    if (!/^\s*@/.test(lineAt(first))) break;
    start = first;
    end = first - 1;
  }
  return start;
}
