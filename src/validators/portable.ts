/**
 * The definitions as the validators compile them, JSON Schema only. `nullable` (OpenAPI 3.0) is
 * left out. Every `pattern` (and `patternProperties` key) ECMAScript cannot read is translated
 * (see patterns.ts) or, when no exact translation exists, left out of that validator with a
 * warning. One foreign pattern never fails the whole spec, and leaving one out never refuses a
 * value the spec allows: a schema that loses a `patternProperties` entry loses its
 * `additionalProperties` too.
 */
import type { JsonSchema } from '../ir/types.js';
import { portablePattern } from './patterns.js';
import { DEFINITION_MAPS, SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMA } from '../ir/keywords.js';

type SchemaObject = { [keyword: string]: unknown };

/** A pattern ECMAScript cannot read and nothing translates exactly. */
export interface DroppedPattern {
  readonly pattern: string;
  readonly reason: string;
  /** Where in the hoisted definitions: `Order`, then the path inside it. */
  readonly definition: string;
  readonly path: readonly string[];
  /** Keywords left out with it, so that what the pattern matched is not refused instead. */
  readonly alsoLeftOut: readonly string[];
}

export interface PortableDefinitions {
  readonly definitions: Record<string, JsonSchema>;
  /** Foreign patterns and what ECMAScript compiles instead: `(?i)^[a-f]+$` → `^[a-f]+$` with flags `iu`. */
  readonly translated: ReadonlyMap<string, { readonly source: string; readonly flags: string }>;
  readonly dropped: readonly DroppedPattern[];
}

/** Keywords whose value is one schema, maps names to schemas, or lists schemas (src/ir/keywords.ts). */
const SINGLE = Object.keys(SINGLE_SCHEMA);
const MAPS = [...Object.keys(SCHEMA_MAPS), ...DEFINITION_MAPS];
const LISTS = Object.keys(SCHEMA_LISTS);
/** What judges the properties no `patternProperties` entry matched. */
const REST = ['additionalProperties', 'unevaluatedProperties'];

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function portableDefinitions(definitions: ReadonlyMap<string, JsonSchema>): PortableDefinitions {
  const translated = new Map<string, { source: string; flags: string }>();
  let stripped = false;
  const dropped: DroppedPattern[] = [];
  /** False: leave it out of the validator. `alsoLeftOut`: keywords that go with it. */
  const keep = (pattern: string, definition: string, at: readonly string[], alsoLeftOut: readonly string[] = []): boolean => {
    const portable = portablePattern(pattern);
    if (!portable.ok) {
      dropped.push({ pattern, reason: portable.reason, definition, path: at, alsoLeftOut });
      return false;
    }
    if (portable.source !== pattern || portable.flags !== 'u') translated.set(pattern, { source: portable.source, flags: portable.flags });
    return true;
  };
  const schema = (node: unknown, definition: string, at: readonly string[]): unknown => {
    if (!isObject(node)) return node;
    const out: SchemaObject = {};
    const looseRest = new Set<string>();
    for (const [key, value] of Object.entries(node)) {
      const here = [...at, key];
      if (key === 'nullable') {
        // OpenAPI 3.0's keyword, which JSON Schema ignores and Ajv would honour (or reject without
        // `type`): the validator says what the types and the `nullable-ignored` warning say.
        stripped = true;
      } else if (key === 'pattern' && typeof value === 'string') {
        if (keep(value, definition, here)) out[key] = value;
      } else if (key === 'patternProperties' && isObject(value)) {
        // Properties a left-out pattern matched would fall to these and be refused instead.
        const rest = REST.filter((k) => node[k] !== undefined && node[k] !== true);
        const kept = Object.entries(value).filter(([p]) => keep(p, definition, [...here, p], rest));
        out[key] = Object.fromEntries(kept.map(([p, sub]) => [p, schema(sub, definition, [...here, p])]));
        if (kept.length < Object.keys(value).length) for (const k of rest) looseRest.add(k);
      } else if (MAPS.includes(key) && isObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([k, sub]) => [k, schema(sub, definition, [...here, k])]));
      } else if (LISTS.includes(key) && Array.isArray(value)) {
        out[key] = value.map((sub, i) => schema(sub, definition, [...here, String(i)]));
      } else if (SINGLE.includes(key)) {
        out[key] = schema(value, definition, here);
      } else out[key] = value;
    }
    for (const rest of looseRest) delete out[rest];
    return out;
  };
  const out: Record<string, JsonSchema> = {};
  for (const [name, definition] of definitions) out[name] = schema(definition, name, []) as JsonSchema;
  // Without foreign keywords the definitions go to Ajv as they are.
  if (!stripped && translated.size === 0 && dropped.length === 0) return { definitions: Object.fromEntries(definitions), translated, dropped };
  return { definitions: out, translated, dropped };
}

/** The module that builds the validators' regular expressions, when some pattern needed translating. */
export const PATTERNS_MODULE = 'codegen:patterns';

/**
 * Ajv builds every pattern with `new RegExp(pattern, "u")`; a translated one needs its own source
 * and flags, so Ajv is given an engine that looks them up, at generation time and in the output.
 */
export function patternEngine(portable: PortableDefinitions): (((pattern: string, u: string) => RegExp) & { code: string }) | undefined {
  if (portable.translated.size === 0) return undefined;
  const engine = (pattern: string, u: string): RegExp => {
    const t = portable.translated.get(pattern);
    return t ? new RegExp(t.source, t.flags) : new RegExp(pattern, u);
  };
  return Object.assign(engine, { code: `require(${JSON.stringify(PATTERNS_MODULE)}).pattern` });
}
