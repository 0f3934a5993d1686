// The top-level statements of a module read from a whole-module @lezer/python tree: the reference the fast
// scanner (topLevelStatements.ts) is tested against, in the same shape, so PythonModule reads either.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { ScannedSource, TopLevelStatement, TopLevelStatementKind } from './topLevelStatements';

const COMPOUND = new Set(['IfStatement', 'ForStatement', 'WhileStatement', 'TryStatement', 'WithStatement', 'MatchStatement']);

function hasError(node: SyntaxNode): boolean {
  let found = false;
  node.toTree().iterate({ enter: (ref) => { if (ref.type.isError) found = true; return found ? false : undefined; } });
  return found;
}

/** Slower than scanTopLevelStatements by the cost of a full parse; for tests and as a switchable reference. */
export function lezerTopLevelStatements(text: string): ScannedSource {
  const tree = parser.parse(text);
  const statements: TopLevelStatement[] = [];
  // Each statement ends where the next begins (its trailing comments and blank lines included), as the scanner's do.
  const push = (kind: TopLevelStatementKind, node: SyntaxNode, headerEnd = -1, malformed = hasError(node)) => {
    const previous = statements[statements.length - 1];
    if (previous && previous.end === text.length) previous.end = node.from;
    statements.push({ kind, start: node.from, end: text.length, headerEnd, malformed });
  };
  const header = (def: SyntaxNode) => {
    const body = def.getChild('Body');
    return body ? body.from + 1 : -1;
  };
  for (let c = tree.topNode.firstChild; c; c = c.nextSibling) {
    if (c.name === 'Comment') continue;
    if (c.name === 'StatementGroup') {
      // `a = 1; b = 2`: each statement on its own; all but the last end at their own end (not at the `;`).
      for (let s = c.firstChild; s; s = s.nextSibling) {
        if (s.name === ';' || s.name === 'Comment') continue;
        push(kindOf(s), s);
        if (s.nextSibling) statements[statements.length - 1]!.end = s.to;
      }
      continue;
    }
    if (c.name === 'DecoratedStatement') {
      for (let d = c.firstChild; d; d = d.nextSibling) {
        if (d.name === 'Decorator') push('decorator', d);
        else if (d.name === 'FunctionDefinition' || d.name === 'ClassDefinition') push(d.name === 'FunctionDefinition' ? 'def' : 'class', d, header(d));
      }
      continue;
    }
    push(kindOf(c), c, c.name === 'FunctionDefinition' || c.name === 'ClassDefinition' ? header(c) : -1);
  }
  const nestedDecorators: number[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.name === 'Decorator' && ref.node.parent?.parent?.name !== 'Script') nestedDecorators.push(ref.from);
    },
  });
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1);
  }
  return { statements, nestedDecorators, lineStarts };
}

function kindOf(node: SyntaxNode): TopLevelStatementKind {
  if (node.name === 'ImportStatement') return 'import';
  if (node.name === 'FunctionDefinition') return 'def';
  if (node.name === 'ClassDefinition') return 'class';
  if (COMPOUND.has(node.name)) return 'compound';
  return 'simple';
}
