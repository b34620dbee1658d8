/**
 * Where a message carries secrets: the locations, as JSON-pointer patterns, of every value whose
 * schema says `format: password`, `writeOnly: true` or `x-sensitive: true`. The generated client
 * shows those values as `[redacted]` in every error and log it produces.
 *
 * Pattern segments: a property name (escaped as in JSON pointers), `*` for any one segment (array
 * items, map and pattern-property values), `**` for any number of segments (what a recursive
 * schema can nest to). A wildcard may cover more than the schema strictly says (a map's `*` also
 * covers the object's named properties); hiding too much is the safe side.
 */
import { isSchemaObject } from './schemas.js';
import type { IrSensitive } from './types.js';
import { escapeSegment as escape } from '../pointer.js';

type Node = { [keyword: string]: unknown };
type Segments = readonly string[];

export function isSensitiveSchema(schema: Node): boolean {
  return schema['x-sensitive'] === true || schema.writeOnly === true || schema.format === 'password';
}

/** What a schema applies to its instance's children, with the pointer segment each sits at. */
function children(schema: Node): Array<readonly [string | undefined, unknown]> {
  const out: Array<readonly [string | undefined, unknown]> = [];
  const map = (value: unknown) => (isSchemaObject(value) ? Object.entries(value) : []);
  for (const [key, sub] of map(schema.properties)) out.push([escape(key), sub]);
  for (const [, sub] of map(schema.patternProperties)) out.push(['*', sub]);
  // `contains` describes some items of the array: any of them may be the secret.
  for (const k of ['additionalProperties', 'unevaluatedProperties', 'additionalItems', 'unevaluatedItems', 'contains']) out.push(['*', schema[k]]);
  const items = schema.items;
  if (Array.isArray(items)) items.forEach((sub, i) => out.push([String(i), sub]));
  else out.push(['*', items]);
  if (Array.isArray(schema.prefixItems)) schema.prefixItems.forEach((sub, i) => out.push([String(i), sub]));
  // Branches and conditionals describe the same instance; `not` describes what it is not, so it is skipped.
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(schema[k])) for (const sub of schema[k]) out.push([undefined, sub]);
  for (const k of ['if', 'then', 'else']) out.push([undefined, schema[k]]);
  for (const [, sub] of map(schema.dependentSchemas)) out.push([undefined, sub]);
  for (const [, sub] of map(schema.dependencies)) out.push([undefined, sub]);
  return out.filter(([, sub]) => isSchemaObject(sub));
}

interface Found {
  readonly patterns: Segments[];
  /** Nodes still on the walk's stack that this subtree leads back to. */
  readonly loops: ReadonlySet<object>;
}

/**
 * The sensitive locations under `root`, sorted and without duplicates: `["/client/secret"]`.
 * The parser's schemas are object graphs that may share nodes and contain cycles; a cycle turns
 * the patterns under its head into `**` patterns, so the walk always ends.
 */
export function sensitiveLocations(root: unknown): string[] {
  if (!isSchemaObject(root)) return [];
  const done = new Map<object, Segments[]>();
  const onStack = new Set<object>();
  const walk = (node: Node): Found => {
    if (isSensitiveSchema(node)) return { patterns: [[]], loops: new Set() };
    if (onStack.has(node)) return { patterns: [], loops: new Set([node]) };
    const memo = done.get(node);
    if (memo) return { patterns: memo, loops: new Set() };
    onStack.add(node);
    const patterns: Segments[] = [];
    const loops = new Set<object>();
    for (const [segment, sub] of children(node)) {
      const found = walk(sub as Node);
      for (const p of found.patterns) patterns.push(segment === undefined ? p : [segment, ...p]);
      for (const l of found.loops) loops.add(l);
    }
    onStack.delete(node);
    // A subtree that recurses into this node repeats below itself at any depth.
    const result = loops.delete(node) ? patterns.map((p) => (p[0] === '**' ? p : ['**', ...p])) : patterns;
    const unique = dedupe(result);
    // Only a result that does not depend on the stack above can be reused.
    if (loops.size === 0) done.set(node, unique);
    return { patterns: unique, loops };
  };
  return dedupe(walk(root).patterns)
    .map((p) => p.map((s) => `/${s}`).join(''))
    .sort();
}

function dedupe(patterns: readonly Segments[]): Segments[] {
  const seen = new Map<string, Segments>();
  for (const p of patterns) seen.set(JSON.stringify(p), p);
  return [...seen.values()];
}

/** A message's sensitive locations, or undefined when it has none (its output then stays as it was). */
export function sensitiveOf(payloadSchema: unknown, headersSchema: unknown): IrSensitive | undefined {
  const found = { payload: sensitiveLocations(payloadSchema), headers: sensitiveLocations(headersSchema) };
  return found.payload.length > 0 || found.headers.length > 0 ? found : undefined;
}
