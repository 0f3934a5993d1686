// A Python function as discovery reads it: name, decorators (with their calls) and parameters.
import type { PythonCall } from './pythonCallArguments';

export interface PythonDecorator {
  /** The decorator as written, e.g. "dg.asset". */
  name: string;
  /** Its call when written with parentheses, e.g. `@asset(group_name="x")`. */
  call: PythonCall | null;
  from: number;
}

export interface PythonParameter {
  name: string;
  annotation: string | null;
  /** `*args` / `**kwargs` are 'star' / 'starstar'. */
  kind: 'normal' | 'star' | 'starstar';
}

export interface PythonFunction {
  name: string;
  /** Offset of the `def` keyword (of `async` for async functions). */
  defOffset: number;
  decorators: PythonDecorator[];
  parameters: PythonParameter[];
  /** Offset just past the def statement (its body included); set for module-level functions. */
  end?: number;
}
