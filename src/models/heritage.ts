/**
 * Models of named schemas are a spec's public vocabulary: a message that is `allOf` an envelope
 * and its own fields extends the envelope's model instead of repeating its fields, and a
 * polymorphic parent is its base and one of its subtypes (`PetBase & (Dog | Cat)`). What cannot be
 * said that way safely (bases that share a field, index signatures) is merged as before.
 */
import { flattenAllOf } from './flatten.js';

type Schema = { [keyword: string]: unknown };

export interface ModelPlan {
  /** Schemas as Modelina gets them: an interface with bases keeps only its own fields. */
  readonly schemas: Map<string, unknown>;
  /** The `extends` clauses of an interface: `CloudEventsContextAttributes`, `Omit<Event, "type">`. */
  readonly heritage: Map<string, readonly string[]>;
  /** Types written here rather than by Modelina, by definition name. */
  readonly aliases: Map<string, string>;
}

const DEF = '#/definitions/';
/**
 * Modelina gets a stand-in object for an alias written here, so references to it keep its name
 * (an object without fields would become an inline `Record`).
 */
const PLACEHOLDER = { type: 'object', properties: { codegenAlias: { type: 'string' } } };

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refOf(value: unknown): string | undefined {
  return isSchema(value) && typeof value.$ref === 'string' && value.$ref.startsWith(DEF) && Object.keys(value).length === 1 ? value.$ref.slice(DEF.length) : undefined;
}

function isObjectPart(s: unknown): s is Schema {
  return isSchema(s) && !('oneOf' in s) && !('anyOf' in s) && !('not' in s) && !('allOf' in s) && !('$ref' in s) && (s.type === undefined || s.type === 'object');
}

/** Whether a (flattened) schema renders as an interface with named fields only: something an interface may extend. */
function isInterface(s: unknown): s is Schema {
  if (!isObjectPart(s) || 'enum' in s || 'const' in s) return false;
  const extra = s.additionalProperties;
  return (isSchema(s.properties) || s.type === 'object') && (extra === undefined || extra === false);
}

function keysOf(s: Schema): Set<string> {
  return new Set(isSchema(s.properties) ? Object.keys(s.properties) : []);
}

function requiredOf(s: Schema): Set<string> {
  return new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
}

function literalKey(key: string): string {
  return JSON.stringify(key);
}

export function planModels(definitions: ReadonlyMap<string, unknown>): ModelPlan {
  const flattened = flattenAllOf(definitions);
  const plan: ModelPlan = { schemas: new Map(), heritage: new Map(), aliases: new Map() };
  for (const [name, schema] of definitions) {
    const alias = intersection(schema);
    if (alias !== undefined) {
      plan.aliases.set(name, alias);
      plan.schemas.set(name, PLACEHOLDER);
      continue;
    }
    const extended = extension(schema, flattened, definitions);
    if (extended) {
      plan.schemas.set(name, extended.own);
      plan.heritage.set(name, extended.clauses);
      continue;
    }
    plan.schemas.set(name, flattened.get(name));
  }
  return plan;
}

/** `allOf` of named types next to a `oneOf`/`anyOf` of named types: a polymorphic parent. */
function intersection(schema: unknown): string | undefined {
  if (!isSchema(schema) || !Array.isArray(schema.allOf) || 'properties' in schema || 'not' in schema) return undefined;
  const all = schema.allOf.map(refOf);
  const choices = ['oneOf', 'anyOf'].filter((k) => k in schema).map((k) => schema[k]);
  if (choices.length !== 1 || !Array.isArray(choices[0]) || choices[0].length === 0 || all.some((r) => r === undefined)) return undefined;
  const variants = choices[0].map(refOf);
  if (variants.some((r) => r === undefined)) return undefined;
  const union = variants.length === 1 ? `${variants[0] ?? ''}` : `(${variants.join(' | ')})`;
  return [...all, union].join(' & ');
}

/** An `allOf` of interfaces and inline fields: the interface's own fields and what it extends. */
function extension(schema: unknown, flattened: ReadonlyMap<string, unknown>, definitions: ReadonlyMap<string, unknown>): { own: Schema; clauses: string[] } | undefined {
  if (!isSchema(schema) || !Array.isArray(schema.allOf)) return undefined;
  const { allOf, ...rest } = schema;
  if (!isObjectPart(rest) || 'enum' in rest || 'const' in rest) return undefined;
  const bases: Array<{ name: string; schema: Schema }> = [];
  const parts: Schema[] = [];
  for (const member of allOf) {
    const ref = refOf(member);
    if (ref !== undefined) {
      const target = flattened.get(ref);
      // An alias written here is not an interface; neither is a base that is itself still an allOf.
      if (!definitions.has(ref) || intersection(definitions.get(ref)) !== undefined || !isInterface(target)) return undefined;
      bases.push({ name: ref, schema: target });
    } else if (isObjectPart(member) && !('enum' in member) && !('const' in member)) {
      parts.push(member);
    } else return undefined;
  }
  if (bases.length === 0 || new Set(bases.map((b) => b.name)).size !== bases.length) return undefined;
  // An index signature would have to cover the bases' fields too; TypeScript checks that, the merge does not need it.
  if ([rest, ...parts].some((p) => p.additionalProperties !== undefined && p.additionalProperties !== false)) return undefined;
  // Two bases with the same field would need TypeScript to agree they are compatible: merge instead.
  const seen = new Set<string>();
  for (const base of bases)
    for (const key of keysOf(base.schema))
      if (seen.has(key)) return undefined;
      else seen.add(key);

  const ownProperties: Schema = {};
  const ownRequired = new Set<string>();
  for (const part of [...parts, rest]) {
    if (isSchema(part.properties)) {
      for (const [key, sub] of Object.entries(part.properties)) {
        const before = ownProperties[key];
        ownProperties[key] = isSchema(before) && isSchema(sub) && !('$ref' in sub) ? { ...before, ...sub } : sub;
      }
    }
    for (const r of requiredOf(part)) ownRequired.add(r);
  }
  const ownKeys = new Set([...Object.keys(ownProperties), ...ownRequired]);
  const clauses: string[] = [];
  const properties: Schema = {};
  const required = new Set(ownRequired);
  for (const base of bases) {
    const baseProperties = isSchema(base.schema.properties) ? base.schema.properties : {};
    const baseRequired = requiredOf(base.schema);
    const omitted = [...ownKeys].filter((k) => k in baseProperties);
    // A field the subtype narrows (a `const` over a string) or requires is declared again, merged.
    for (const key of omitted) {
      const before = baseProperties[key];
      const own = ownProperties[key];
      properties[key] = own === undefined ? before : isSchema(before) && isSchema(own) && !('$ref' in own) && !('$ref' in before) ? { ...before, ...own } : own;
      if (baseRequired.has(key)) required.add(key);
    }
    clauses.push(omitted.length === 0 ? base.name : `Omit<${base.name}, ${omitted.map(literalKey).join(' | ')}>`);
  }
  for (const [key, sub] of Object.entries(ownProperties)) if (!(key in properties)) properties[key] = sub;
  // A field required here that no part declares is declared by no base either; the validator requires it anyway.
  for (const key of ownKeys) if (!(key in properties) && !bases.some((b) => keysOf(b.schema).has(key))) properties[key] = {};
  const own: Schema = { ...rest, type: 'object', properties };
  if (required.size > 0) own.required = [...required];
  else delete own.required;
  return { own, clauses };
}
