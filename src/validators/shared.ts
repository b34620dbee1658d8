/**
 * Definitions that validate alike, compiled once. A spec with many channels repeats the same
 * shapes under different names (an `owner` object per message, one status enum per channel); each
 * would be its own Ajv function, compiled and emitted once per name. Two definitions are the same
 * when they are equal keyword for keyword once annotations are left out and their `$ref`s lead to
 * definitions that are the same in turn (a partition refined to its fixpoint, so recursive ones
 * are found too). Each class compiles as its first member, and every `$ref` and export of the
 * others leads to it.
 *
 * Nothing a validator answers depends on a definition's name: an error's `schemaPath` is relative
 * to the function that reports it, and Ajv (without `verbose`) puts no annotation in an error.
 */
import { DEFINITION_MAPS, SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMA } from '../ir/keywords.js';
import type { JsonSchema } from '../ir/types.js';

type SchemaObject = { [keyword: string]: unknown };

/** Keywords Ajv reads only with `verbose` or `useDefaults`, neither of which the validators use. */
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'default', '$comment', 'deprecated', 'readOnly', 'writeOnly']);
/** Keywords that make a schema's meaning depend on where it sits: with any of them, nothing is shared. */
const PLACED = new Set(['$id', 'id', '$anchor', '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor', ...DEFINITION_MAPS]);
const REF = /^#\/definitions\/([^/~%]+)$/;

export interface SharedDefinitions {
  /** Every definition, annotations left out, each `$ref` pointing at its target's class's compiled member. */
  readonly definitions: Record<string, JsonSchema>;
  /** Every definition's name → the name it is compiled under. */
  readonly compiledAs: ReadonlyMap<string, string>;
}

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The schema with annotations left out and each `$ref`'s target renamed by `rename`, or undefined
 * when it holds something that would not survive the move (see PLACED, or a `$ref` elsewhere).
 */
function rewrite(node: unknown, rename: (name: string) => string | undefined): unknown {
  if (!isObject(node)) return node;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (PLACED.has(key)) throw unshareable;
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref') {
      const target = typeof value === 'string' ? REF.exec(value)?.[1] : undefined;
      const renamed = target === undefined ? undefined : rename(target);
      if (renamed === undefined) throw unshareable;
      out[key] = `#/definitions/${renamed}`;
    } else if (key in SINGLE_SCHEMA && !Array.isArray(value)) out[key] = rewrite(value, rename);
    else if (key in SCHEMA_LISTS && Array.isArray(value)) out[key] = value.map((v) => rewrite(v, rename));
    else if (key in SCHEMA_MAPS && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : rewrite(v, rename)]));
    else out[key] = value;
  }
  return out;
}

const unshareable = new Error('unshareable');

export function sharedDefinitions(definitions: Readonly<Record<string, JsonSchema>>): SharedDefinitions {
  const names = Object.keys(definitions);
  const identity = (): SharedDefinitions => ({ definitions: { ...definitions }, compiledAs: new Map(names.map((n) => [n, n])) });
  // Start with one class for all, then split by content with refs read as their target's class.
  let classOf = new Map(names.map((n) => [n, 0]));
  let count = 1;
  try {
    for (;;) {
      const keys = names.map((n) => `${classOf.get(n)}\u0000${JSON.stringify(rewrite(definitions[n], (t) => (classOf.has(t) ? String(classOf.get(t)) : undefined)))}`);
      const ids = new Map<string, number>();
      for (const key of keys) if (!ids.has(key)) ids.set(key, ids.size);
      const next = new Map(names.map((n, i) => [n, ids.get(keys[i] ?? '') ?? 0]));
      const stable = ids.size === count;
      classOf = next;
      count = ids.size;
      if (stable) break;
    }
  } catch (error) {
    if (error === unshareable) return identity();
    throw error;
  }
  const first = new Map<number, string>();
  for (const n of names) if (!first.has(classOf.get(n) ?? 0)) first.set(classOf.get(n) ?? 0, n);
  const compiledAs = new Map(names.map((n) => [n, first.get(classOf.get(n) ?? 0) ?? n]));
  const shared: Record<string, JsonSchema> = {};
  for (const n of names) shared[n] = rewrite(definitions[n], (t) => compiledAs.get(t)) as JsonSchema;
  return { definitions: shared, compiledAs };
}
