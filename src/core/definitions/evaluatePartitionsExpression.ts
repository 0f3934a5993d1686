// Evaluates a one-line Dagster partitions constructor expression (CLI --def, backfills.yaml) into a definition.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, evaluatePythonExpression } from './pythonExpression';
import { defaultNameScope, partitionsFromPython } from './partitionsFromPython';

/** A bad partitions expression; the message says what is wrong and at which (1-based) column. */
export class PartitionsExpressionError extends Error {
  override name = 'PartitionsExpressionError';
  constructor(readonly reason: string, readonly column: number) {
    super(`${reason} at column ${column}`);
  }
}

/**
 * E.g. `DailyPartitionsDefinition(start_date="2024-01-01")`, `dg.HourlyPartitionsDefinition(...)`,
 * `StaticPartitionsDefinition(["a", "b"])`. Throws PartitionsExpressionError for anything else.
 */
export function evaluatePartitionsExpression(expr: string): PartitionsDefinition {
  return evaluateOneLineExpression(expr, 'DailyPartitionsDefinition(start_date="2024-01-01")', partitionsFromPython);
}

/** Parses `expr` and builds a value from it, turning evaluation errors into located PartitionsExpressionErrors. */
export function evaluateOneLineExpression<T>(expr: string, example: string, build: (value: PythonValue, scope: typeof defaultNameScope) => T): T {
  const value = pythonValueOfExpression(expr, example);
  try {
    return build(value, defaultNameScope);
  } catch (e) {
    if (e instanceof PythonEvaluationError) throw new PartitionsExpressionError(e.reason, e.offset + 1);
    throw e;
  }
}

/** Parses a one-line Python expression into a symbolic value; `example` is named when it is not one expression. */
export function pythonValueOfExpression(expr: string, example: string): PythonValue {
  if (/[\r\n]/.test(expr.trim())) throw new PartitionsExpressionError('the expression must be on one line', expr.search(/[\r\n]/) + 1);
  if (expr.trim() === '') throw new PartitionsExpressionError('the expression is empty', 1);
  const tree = parser.parse(expr);
  let error: number | null = null;
  tree.iterate({
    enter(n) {
      if (error !== null) return false;
      if (n.type.isError) error = n.from;
      return undefined;
    },
  });
  if (error !== null) throw new PartitionsExpressionError('Python syntax error', Math.min(error, expr.length - 1) + 1);
  const statements: SyntaxNode[] = [];
  for (let c = tree.topNode.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') statements.push(c);
  const statement = statements[0];
  const node = statement?.name === 'ExpressionStatement' ? statement.firstChild : null;
  if (!statement || !node || statements.length !== 1) {
    throw new PartitionsExpressionError(`expected a single expression such as ${example}`, 1);
  }
  return evaluatePythonExpression(node, expr);
}
