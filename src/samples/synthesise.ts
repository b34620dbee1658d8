/**
 * Payloads made up from a schema with json-schema-faker: seeded, so every run gives the same bytes;
 * small (optional properties left out, one array item); constants, defaults and examples preferred
 * over random values. Callers check the result; this only proposes candidates, best first.
 */
import { generateSync, type GenerateOptions, type JsonSchema as FakerSchema } from 'json-schema-faker';
import type { JsonSchema } from '../ir/types.js';

type SchemaObject = { [keyword: string]: unknown };

const BASE: GenerateOptions = {
  optionalsProbability: 0,
  alwaysFakeOptionals: false,
  fixedProbabilities: true,
  maxDefaultItems: 1,
  maxDepth: 16,
  // Pinned, so dates do not depend on the library's defaults.
  minDateTime: '2024-01-01T00:00:00Z',
  maxDateTime: '2026-01-01T00:00:00Z',
};

/** Option sets tried in order: the first ones lean on what the spec author wrote. */
const STRATEGIES: readonly GenerateOptions[] = [{ useDefaultValue: true, useExamplesValue: true }, { useDefaultValue: true }, {}];
const SEEDS = [1, 2, 3] as const;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(schema: SchemaObject): boolean {
  return schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'));
}

function pinned(schema: unknown, definitions: Readonly<Record<string, JsonSchema>>): boolean {
  let s = schema;
  // One hop through a hoisted definition is enough for the `name: { $ref }` shape.
  if (isObject(s) && typeof s.$ref === 'string') s = definitions[s.$ref.replace('#/definitions/', '')];
  return isObject(s) && ('const' in s || (Array.isArray(s.enum) && s.enum.length === 1));
}

/**
 * A copy where optional properties pinned to one value (`const`, one-value `enum`) are required
 * (they are usually the event's name or type, which a sample without them would hide) and where
 * a `default` wins over `examples`.
 */
function prepared(node: unknown, definitions: Readonly<Record<string, JsonSchema>>, seen = new Map<object, unknown>()): unknown {
  if (Array.isArray(node)) return node.map((n) => prepared(n, definitions, seen));
  if (!isObject(node)) return node;
  const done = seen.get(node);
  if (done) return done;
  const copy: SchemaObject = {};
  seen.set(node, copy);
  for (const [key, value] of Object.entries(node)) copy[key] = prepared(value, definitions, seen);
  // An author's default says more than an example when both are given (it is what the receiver assumes).
  if ('default' in node) delete copy.examples;
  // Long or unbounded strings come out hundreds of characters long; a sample should be readable.
  if (isString(node) && node.pattern === undefined && node.format === undefined) {
    const max = typeof node.maxLength === 'number' ? Math.min(node.maxLength, 12) : 12;
    copy.maxLength = Math.max(max, typeof node.minLength === 'number' ? node.minLength : 0);
  }
  if (isObject(node.properties)) {
    const required = Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === 'string') : [];
    const extra = Object.entries(node.properties)
      .filter(([name, sub]) => !required.includes(name) && pinned(sub, definitions))
      .map(([name]) => name);
    if (extra.length > 0) copy.required = [...required, ...extra];
  }
  return copy;
}

/** Local `#/definitions/<Name>` references only: the IR has resolved every other kind. */
function resolve(ref: string, definitions: Readonly<Record<string, JsonSchema>>): FakerSchema {
  const name = ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
  const found = name === undefined ? undefined : definitions[name];
  if (found === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return found as FakerSchema;
}

/** Candidate payloads for a definition, best first; lazily generated. */
export function* candidates(definition: string, definitions: Readonly<Record<string, JsonSchema>>): Generator<unknown> {
  const promoted = prepared(definitions, definitions) as Record<string, JsonSchema>;
  const seen = new Set<string>();
  for (const defs of [promoted, definitions]) {
    const root = { $ref: `#/definitions/${definition}`, definitions: defs } as FakerSchema;
    for (const strategy of STRATEGIES) {
      for (const seed of SEEDS) {
        let value: unknown;
        try {
          value = generateSync(root, { ...BASE, ...strategy, seed, refResolver: (ref) => resolve(ref, defs) });
        } catch {
          continue; // an unsatisfiable branch for this strategy; the next may do
        }
        const key = JSON.stringify(value) ?? 'undefined';
        if (seen.has(key)) continue;
        seen.add(key);
        yield value;
      }
    }
  }
}
