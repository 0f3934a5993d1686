// The field schemas every host <-> webview message schema is built from, and how the first failed check is worded.
import * as v from 'valibot';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const COUNT = 'must be a non-negative integer';
export const text = v.string('must be a string');
export const nullableText = v.nullable(v.string('must be a string or null'));
export const flag = v.boolean('must be a boolean');
export const count = v.pipe(v.number(COUNT), v.integer(COUNT), v.minValue(0, COUNT));
/** A count that stays exact as a double (request numbers, key counts). */
export const safeCount = v.pipe(v.number(COUNT), v.safeInteger(COUNT), v.minValue(0, COUNT));
export const texts = v.array(text, 'must be an array');
/** Backfill, run and plan ids: short identifiers, never paths or markup. */
export const id = v.pipe(v.string('must be an identifier'), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an identifier'));
/** Partition keys and target names: printable text of bounded length (the host checks they exist). */
export const name = v.pipe(v.string('must be a name'), v.regex(/^[^\u0000-\u001f\u007f]{1,256}$/, 'must be 1 to 256 printable characters'));

export function oneOf<const T extends readonly string[]>(options: T): v.PicklistSchema<T, string> {
  return v.picklist(options, `must be one of ${options.join(', ')}`);
}

export function arrayOf<T extends v.GenericSchema>(item: T): v.ArraySchema<T, string> {
  return v.array(item, 'must be an array');
}

/** An object's own issue: not an object (`what`), or (`fields`, else the key it lacks) a key missing or not expected. */
function objectMessage(fields: string | undefined, what = 'must be an object'): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => (issue.expected === 'Object' ? what : fields ?? `lacks ${issue.expected}`);
}

/** A view model object from the host: the fields it names, others dropped. */
export function record<const E extends v.ObjectEntries>(entries: E): v.ObjectSchema<E, (issue: v.BaseIssue<unknown>) => string> {
  return v.object(entries, objectMessage(undefined));
}

/** Exactly these fields and no others; `fields` says which, e.g. "takes exactly requestId and form". */
export function exact<const E extends v.ObjectEntries>(entries: E, fields: string, what?: string): v.StrictObjectSchema<E, (issue: v.BaseIssue<unknown>) => string> {
  return v.strictObject(entries, objectMessage(fields, what));
}

/** Status runs: [status, positive length] pairs, each status one of `names` (their total is checked with the keys). */
export function statusRuns<const T extends readonly string[]>(names: T) {
  return arrayOf(
    v.custom<[T[number], number]>(
      (r) => Array.isArray(r) && r.length === 2 && names.includes(r[0]) && Number.isInteger(r[1]) && r[1] > 0,
      `must be [status, positive length] with status one of ${names.join(', ')}`,
    ),
  );
}

/** What is wrong when runs of statuses do not cover exactly `count` keys, worded from their owner (".statusRuns ..."), or null. */
export function coverageProblem(runs: readonly (readonly [string, number])[], keyCount: number, at = '.statusRuns'): string | null {
  let covered = 0;
  for (const r of runs) covered += r[1];
  return covered === keyCount ? null : `${at} cover ${covered} partitions but there are ${keyCount}`;
}

/** A check of a whole object that names what is wrong below it (a problem starting with "." continues the path). */
export function rule<T>(problemOf: (value: T) => string | null): v.RawCheckAction<T> {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    const problem = dataset.typed ? problemOf(dataset.value) : null;
    if (problem) addIssue({ message: problem });
  });
}

/** The first issue as "<where>.<path> <what is wrong>". */
export function describeIssue(issue: v.BaseIssue<unknown>, where: string): string {
  const path = (issue.path ?? []).map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`));
  // An object's issue about one of its keys (missing or not expected) is worded for the object.
  if (issue.kind === 'schema' && issue.type.endsWith('object') && issue.expected !== 'Object') path.pop();
  return `${where}${path.join('')}${issue.message.startsWith('.') ? '' : ' '}${issue.message.trimStart()}`;
}

export function parseWith<S extends v.GenericSchema>(schema: S, raw: unknown, where: string): Parsed<v.InferOutput<S>> {
  const r = v.safeParse(schema, raw, { abortEarly: true });
  return r.success ? { ok: true, value: r.output } : { ok: false, reason: describeIssue(r.issues[0], where) };
}

/** What is wrong with `raw` as `schema` describes it (naming the field under `where`), or null. */
export function findProblem(schema: v.GenericSchema, raw: unknown, where: string): string | null {
  const r = parseWith(schema, raw, where);
  return r.ok ? null : r.reason;
}

type MessageUnion = v.GenericSchema & { readonly options: readonly { readonly entries: { readonly type: v.GenericSchema } }[] };

/**
 * Validates a message of a union discriminated by `type`; the reason names the message type and field path.
 * Anything that is not exactly one of the known shapes is rejected with a reason.
 */
export function parseMessage<S extends MessageUnion>(union: S, raw: unknown): Parsed<v.InferOutput<S>> {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  const known = union.options.some((o) => (o.entries.type as { literal?: unknown }).literal === type);
  return parseWith(union, raw, known ? (type as string) : 'message');
}

/** The variant of message shapes, whose own issue says the message is not an object or of an unknown type. */
export function messageUnion<const O extends v.VariantOptions<'type'>>(options: O): v.VariantSchema<'type', O, (issue: v.BaseIssue<unknown>) => string> {
  return v.variant('type', options, (issue) => (issue.expected === 'Object' ? 'is not an object' : `is not a known message type: ${issue.received.slice(0, 40)}`));
}
