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
import { SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMA } from './keywords.js';
import { isSchemaObject } from './schemas.js';
import type { IrSensitive } from './types.js';
import { escapeSegment as escape } from '../pointer.js';

type Node = { [keyword: string]: unknown };
type Segments = readonly string[];

export function isSensitiveSchema(schema: Node): boolean {
  return schema['x-sensitive'] === true || schema.writeOnly === true || schema.format === 'password';
}

/** What a schema applies to its instance (undefined segment) or its children, with the pointer segment each sits at. */
function children(schema: Node): Array<readonly [string | undefined, unknown]> {
  const out: Array<readonly [string | undefined, unknown]> = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const single = Object.hasOwn(SINGLE_SCHEMA, keyword) && !Array.isArray(value) ? SINGLE_SCHEMA[keyword] : undefined;
    // `not` describes what the value is not, and `propertyNames` its keys: neither holds a secret value.
    if (single === 'children') out.push(['*', value]);
    else if (single === 'same') out.push([undefined, value]);
    const list = Object.hasOwn(SCHEMA_LISTS, keyword) && Array.isArray(value) ? SCHEMA_LISTS[keyword] : undefined;
    if (list === 'same') for (const sub of value as unknown[]) out.push([undefined, sub]);
    else if (list === 'positions') (value as unknown[]).forEach((sub, i) => out.push([String(i), sub]));
    const map = Object.hasOwn(SCHEMA_MAPS, keyword) && isSchemaObject(value) ? SCHEMA_MAPS[keyword] : undefined;
    if (map) for (const [key, sub] of Object.entries(value as Node)) out.push([map === 'named' ? escape(key) : map === 'patterned' ? '*' : undefined, sub]);
  }
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
