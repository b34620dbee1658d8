/**
 * Turns the parser's dereferenced schemas (object graphs that may share nodes and contain cycles)
 * into a flat set of named definitions whose `$ref`s point at `#/definitions/<Name>`. Modelina and
 * Ajv both read these, so models and validators agree on names and on meaning.
 */
import type { JsonSchema } from './types.js';
import { SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMA } from './keywords.js';
import { type NameScope, pascalCase } from './naming.js';
import { baseOf, findHierarchies, variantKeywords } from './polymorphism.js';
import { pointerOf } from '../pointer.js';

type SchemaObject = { [keyword: string]: unknown };

const ANONYMOUS_ID = /^<anonymous-schema-\d+>$/;
/** Keywords whose value is one schema; `items` is handled on its own below (it may be a tuple). */
const SINGLE: readonly string[] = Object.keys(SINGLE_SCHEMA).filter((k) => k !== 'items');
/** Keywords whose value is a map of schemas; draft-07 `dependencies` mixes schemas and name lists, and is kept as written. */
const MAPS: readonly string[] = Object.keys(SCHEMA_MAPS).filter((k) => k !== 'dependencies');
/** Keywords whose value is a list of schemas (a draft-07 tuple `items` is handled with `items`). */
const LISTS: readonly string[] = Object.keys(SCHEMA_LISTS).filter((k) => k !== 'items');
const VALIDATION_ONLY = new Set(['not', 'if', 'then', 'else', 'propertyNames', 'contains']);
/** Dropped: resolved already (refs, their targets) or meaningful only to the parser. */
const DROPPED = new Set(['$ref', '$id', '$schema', '$defs', 'definitions', '$anchor', '$comment']);

/** The model name a single-schema keyword's schema gets after its parent's (`OrderValue`). */
const SUFFIX: Readonly<Record<string, string>> = {
  additionalItems: 'Item',
  additionalProperties: 'Value',
  contains: 'Item',
  propertyNames: 'Key',
  not: 'Not',
  if: 'If',
  then: 'Then',
  else: 'Else',
  unevaluatedItems: 'Item',
  unevaluatedProperties: 'Value',
};

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The component key the parser recorded, when the schema is a named component. */
export function componentName(schema: unknown): string | undefined {
  if (!isSchemaObject(schema)) return undefined;
  const id = schema['x-parser-schema-id'];
  return typeof id === 'string' && !ANONYMOUS_ID.test(id) ? id : undefined;
}

function children(schema: SchemaObject): unknown[] {
  const out: unknown[] = [];
  for (const k of SINGLE) if (k in schema) out.push(schema[k]);
  for (const k of MAPS) if (isSchemaObject(schema[k])) out.push(...Object.values(schema[k]));
  for (const k of LISTS) if (Array.isArray(schema[k])) out.push(...schema[k]);
  const items = schema.items;
  if (Array.isArray(items)) out.push(...items);
  else if (items !== undefined) out.push(items);
  const deps = schema.dependencies;
  if (isSchemaObject(deps)) for (const v of Object.values(deps)) if (isSchemaObject(v)) out.push(v);
  return out;
}

function isObjectLike(s: SchemaObject): boolean {
  const type = s.type;
  return (
    'properties' in s ||
    'allOf' in s ||
    'oneOf' in s ||
    'anyOf' in s ||
    type === 'object' ||
    (Array.isArray(type) && type.includes('object') && ('additionalProperties' in s || 'patternProperties' in s))
  );
}

/**
 * A 2020-12 tuple (`prefixItems`, then `items` for the rest) in the draft-07 words the validators
 * and the models read (`items: [...]`, then `additionalItems`); left as it is, Ajv's draft-07
 * ignores `prefixItems` and applies `items` to every element.
 */
function tuplesAsDraft7(node: SchemaObject): SchemaObject {
  if (!Array.isArray(node.prefixItems) || Array.isArray(node.items)) return node;
  const { prefixItems, items, ...rest } = node;
  return { ...rest, items: prefixItems, ...(items !== undefined ? { additionalItems: items } : {}) };
}

/** Where a schema sits, for warnings: `the payload of message "a" at /oneOf/0`. */
interface Place {
  readonly origin: string;
  readonly pointer: string;
}

function describePlace(place: Place): string {
  return place.pointer === '' ? place.origin : `${place.origin} at ${place.pointer}`;
}

function below(place: Place, ...segments: Array<string | number>): Place {
  return { origin: place.origin, pointer: place.pointer + pointerOf(segments) };
}

/** Keywords kept on a polymorphic parent beside its base and its subtypes: they document the whole. */
const DOC_KEYWORDS = ['title', 'description', 'deprecated', 'examples', 'example', 'externalDocs'];

/**
 * Two schemas that say the same (an inline schema repeated in two messages), cycles included.
 * Parser bookkeeping is ignored, except the component a schema is: two components are two names.
 */
/**
 * Annotations a schema parser writes on each place a type is used, not on the type: the Protobuf
 * parser tags an inlined message with the `oneof` option it fills. They do not make two uses two types.
 */
const USE_SITE_TAGS = new Set(['x-oneof-item']);

export function sameSchema(a: unknown, b: unknown, assumed = new Map<object, Set<object>>()): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const pairs = assumed.get(a) ?? new Set<object>();
  if (pairs.has(b)) return true;
  assumed.set(a, pairs.add(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameSchema(x, b[i], assumed));
  if (componentName(a) !== componentName(b)) return false;
  const keys = (o: object) =>
    Object.keys(o)
      .filter((k) => !k.startsWith('x-parser-') && !USE_SITE_TAGS.has(k))
      .sort();
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameSchema((a as SchemaObject)[k], (b as SchemaObject)[k], assumed));
}

export class SchemaHoister {
  private readonly names = new Map<object, string>();
  private readonly definitions = new Map<string, JsonSchema>();
  /** Nodes reached twice or through a cycle: they must become definitions of their own. */
  private readonly shared = new Set<object>();
  private readonly seen = new Set<object>();
  /** Polymorphic parents → their subtypes; see polymorphism.ts. */
  private hierarchies = new Map<object, Set<object>>();
  /** Definition name of each polymorphic parent's own fields. */
  private readonly bases = new Map<object, string>();
  /** The schema each path- or title-named definition came from, so a repeat of it reuses the name. */
  private readonly sources = new Map<string, SchemaObject>();

  constructor(private readonly scope: NameScope) {}

  /** Records sharing, cycles and polymorphism among the schemas reachable from `roots`. Call once with all roots. */
  scan(roots: readonly unknown[]): void {
    const onStack = new Set<object>();
    const visit = (node: unknown): void => {
      if (!isSchemaObject(node)) return;
      if (onStack.has(node) || this.seen.has(node)) {
        this.shared.add(node);
        return;
      }
      this.seen.add(node);
      onStack.add(node);
      for (const child of children(node)) visit(child);
      onStack.delete(node);
    };
    for (const root of roots) visit(root);
    this.hierarchies = findHierarchies(this.seen);
  }

  /**
   * Claims the name of a component schema up front, so path-derived names never take it. Only
   * components the messages reach: one nobody uses is not emitted and leaves its name free.
   */
  reserve(schema: unknown): void {
    const component = componentName(schema);
    if (component === undefined || !isSchemaObject(schema) || this.names.has(schema) || !this.seen.has(schema)) return;
    this.names.set(schema, this.scope.claim(pascalCase(component), `schema "${component}"`));
  }

  /** Hoists a message's payload or headers schema; returns its definition name. */
  root(schema: unknown, preferred: string, owner: string): string {
    if (isSchemaObject(schema) && !this.names.has(schema) && componentName(schema) === undefined) {
      this.names.set(schema, this.claim(schema, preferred, { origin: owner, pointer: '' }));
    }
    return this.refName(this.convert(schema, preferred, 'hoist', { origin: owner, pointer: '' }));
  }

  result(): ReadonlyMap<string, JsonSchema> {
    return this.definitions;
  }

  private refName(converted: unknown): string {
    if (isSchemaObject(converted) && typeof converted.$ref === 'string') return converted.$ref.slice('#/definitions/'.length);
    throw new Error('internal: root schema was not hoisted');
  }

  /** A name for a schema that is not a component: an equal schema named before keeps its name. */
  private claim(node: SchemaObject, preferred: string, place: Place): string {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? preferred : `${preferred}${n}`;
      const source = this.sources.get(candidate);
      if (source === undefined) break;
      if (sameSchema(source, node)) return candidate;
    }
    const name = this.scope.claim(preferred, describePlace(place));
    this.sources.set(name, node);
    return name;
  }

  /**
   * `mode`: 'hoist' forces a definition; 'inline' (allOf members) keeps the node in place and its
   * children named after the parent; 'auto' hoists what deserves a name of its own.
   */
  private convert(node: unknown, context: string, mode: 'hoist' | 'inline' | 'auto', place: Place): unknown {
    if (!isSchemaObject(node)) return node;
    let name = this.names.get(node);
    if (name === undefined) {
      const component = componentName(node);
      const hoist = mode === 'hoist' || this.shared.has(node) || component !== undefined || (mode === 'auto' && (isObjectLike(node) || Array.isArray(node.enum)));
      if (!hoist) return this.copy(node, context, place, node);
      name = component !== undefined ? this.scope.claim(pascalCase(component), `schema "${component}"`) : this.claim(node, pascalCase(context), place);
      this.names.set(node, name);
    }
    if (!this.definitions.has(name)) this.define(node, name, place);
    return { $ref: `#/definitions/${name}` };
  }

  private define(node: SchemaObject, name: string, place: Place): void {
    const component = componentName(node);
    const at = component !== undefined ? { origin: `schema "${component}"`, pointer: '' } : place;
    this.definitions.set(name, true); // placeholder keeps the order and stops cycles
    const subtypes = this.hierarchies.get(node);
    this.definitions.set(name, subtypes ? this.polymorphic(node, name, subtypes, at) : this.copy(node, name, at, node));
  }

  /** A parent of subtypes: its own fields (the base), and one of its subtypes. */
  private polymorphic(node: SchemaObject, name: string, subtypes: ReadonlySet<object>, place: Place): SchemaObject {
    const out: SchemaObject = {};
    for (const key of DOC_KEYWORDS) if (key in node) out[key] = node[key];
    out.allOf = [this.base(node, name, place)];
    for (const key of variantKeywords(node, subtypes)) {
      // With a discriminator the subtype is named by a field, not by matching exactly one subtype:
      // subtypes that allow extra fields (Jackson's all do) would all match, and `oneOf` reject them.
      const as = key === 'oneOf' && node.discriminator !== undefined ? 'anyOf' : key;
      out[as] = this.copyKeyword(key, node[key], name, below(place, key), node);
    }
    return out;
  }

  /** The definition of a polymorphic parent's own fields, which its subtypes' `allOf` refer to. */
  private base(parent: SchemaObject, parentName: string, place: Place): { $ref: string } {
    let name = this.bases.get(parent);
    if (name === undefined) {
      const subtypes = this.hierarchies.get(parent) ?? new Set<object>();
      // `VehicleBase` (a Java base class) would give `VehicleBaseBase`.
      const suffix = parentName.endsWith('Base') ? 'Fields' : 'Base';
      name = this.scope.claim(`${parentName}${suffix}`, `the fields ${parentName} shares with its subtypes`);
      this.bases.set(parent, name);
      this.definitions.set(name, true);
      this.definitions.set(name, this.copy(baseOf(parent, subtypes), name, place, parent));
    }
    return { $ref: `#/definitions/${name}` };
  }

  /** `holder`: the schema the keywords belong to, which tells a subtype's reference to its parent. */
  private copy(node: SchemaObject, context: string, place: Place, holder: SchemaObject): SchemaObject {
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(tuplesAsDraft7(node))) {
      if (DROPPED.has(key) || key.startsWith('x-parser-')) continue;
      out[key] = this.copyKeyword(key, value, context, below(place, key), holder);
    }
    return out;
  }

  private copyKeyword(key: string, value: unknown, context: string, place: Place, holder: SchemaObject): unknown {
    if (SINGLE.includes(key)) {
      // Conditions and constraints only validate; they are not types of their own.
      const mode = VALIDATION_ONLY.has(key) ? 'inline' : 'auto';
      return this.convert(value, `${context}${SUFFIX[key] ?? 'Item'}`, mode, place);
    }
    if (MAPS.includes(key) && isSchemaObject(value)) {
      const out: SchemaObject = {};
      for (const [prop, sub] of Object.entries(value)) {
        const suffix = key === 'properties' ? pascalCase(prop).replace(/_$/, '') : 'Value';
        out[prop] = this.convert(sub, `${context}${suffix}`, 'auto', below(place, prop));
      }
      return out;
    }
    if (key === 'allOf' && Array.isArray(value)) {
      return value.map((sub, i) => {
        // A subtype's reference to its parent means the parent's own fields, not the choice among its subtypes.
        const parentName = isSchemaObject(sub) && this.hierarchies.get(sub)?.has(holder) ? this.nameOf(sub, below(place, i)) : undefined;
        return parentName !== undefined && isSchemaObject(sub) ? this.base(sub, parentName, below(place, i)) : this.convert(sub, context, 'inline', below(place, i));
      });
    }
    if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      return value.map((sub, i) => {
        const title = isSchemaObject(sub) && typeof sub.title === 'string' ? pascalCase(sub.title) : undefined;
        return this.convert(sub, title ?? `${context}Option${i + 1}`, 'auto', below(place, i));
      });
    }
    if (key === 'prefixItems' && Array.isArray(value)) return value.map((sub, i) => this.convert(sub, `${context}Item${i + 1}`, 'auto', below(place, i)));
    if (key === 'items') {
      if (Array.isArray(value)) return value.map((sub, i) => this.convert(sub, `${context}Item${i + 1}`, 'auto', below(place, i)));
      return this.convert(value, `${context}Item`, 'auto', place);
    }
    if (key === 'dependencies' && isSchemaObject(value)) {
      const out: SchemaObject = {};
      for (const [prop, sub] of Object.entries(value)) out[prop] = Array.isArray(sub) ? sub : this.convert(sub, `${context}${pascalCase(prop)}Dependency`, 'auto', below(place, prop));
      return out;
    }
    return value;
  }

  /** The definition name of a parent met first through a subtype's `allOf`; claimed as `convert` would. */
  private nameOf(node: SchemaObject, place: Place): string {
    const known = this.names.get(node);
    if (known !== undefined) return known;
    const component = componentName(node);
    const title = typeof node.title === 'string' ? node.title : 'Parent';
    const name = component !== undefined ? this.scope.claim(pascalCase(component), `schema "${component}"`) : this.claim(node, pascalCase(title), place);
    this.names.set(node, name);
    return name;
  }
}
