/**
 * Turns the parser's dereferenced schemas (object graphs that may share nodes and contain cycles)
 * into a flat set of named definitions whose `$ref`s point at `#/definitions/<Name>`. Modelina and
 * Ajv both read these, so models and validators agree on names and on meaning.
 */
import type { JsonSchema } from './types.js';
import { NameScope, pascalCase } from './naming.js';

type SchemaObject = { [keyword: string]: unknown };

const ANONYMOUS_ID = /^<anonymous-schema-\d+>$/;
/** Keywords whose value is one schema. */
const SINGLE = ['additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties'] as const;
/** Keywords whose value is a map of schemas. */
const MAPS = ['properties', 'patternProperties', 'dependentSchemas'] as const;
/** Keywords whose value is a list of schemas. */
const LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const VALIDATION_ONLY = new Set(['not', 'if', 'then', 'else', 'propertyNames', 'contains']);
/** Dropped: resolved already (refs, their targets) or meaningful only to the parser. */
const DROPPED = new Set(['$ref', '$id', '$schema', '$defs', 'definitions', '$anchor', '$comment']);

const SUFFIX: Record<(typeof SINGLE)[number], string> = {
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

export class SchemaHoister {
  private readonly names = new Map<object, string>();
  private readonly definitions = new Map<string, JsonSchema>();
  /** Nodes reached twice or through a cycle: they must become definitions of their own. */
  private readonly shared = new Set<object>();
  private readonly seen = new Set<object>();

  constructor(private readonly scope: NameScope) {}

  /** Records sharing and cycles among the schemas reachable from `roots`. Call once with all roots. */
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
  }

  /** Claims the name of a component schema up front, so path-derived names never take it. */
  reserve(schema: unknown): void {
    const component = componentName(schema);
    if (component === undefined || !isSchemaObject(schema) || this.names.has(schema)) return;
    this.names.set(schema, this.scope.claim(pascalCase(component), `schema "${component}"`));
  }

  /** Hoists a message's payload or headers schema; returns its definition name. */
  root(schema: unknown, preferred: string, owner: string): string {
    if (isSchemaObject(schema) && !this.names.has(schema) && componentName(schema) === undefined) {
      this.names.set(schema, this.scope.claim(preferred, owner));
    }
    return this.refName(this.convert(schema, preferred, 'hoist'));
  }

  result(): ReadonlyMap<string, JsonSchema> {
    return this.definitions;
  }

  private refName(converted: unknown): string {
    if (isSchemaObject(converted) && typeof converted.$ref === 'string') return converted.$ref.slice('#/definitions/'.length);
    throw new Error('internal: root schema was not hoisted');
  }

  /**
   * `mode`: 'hoist' forces a definition; 'inline' (allOf members) keeps the node in place and its
   * children named after the parent; 'auto' hoists what deserves a name of its own.
   */
  private convert(node: unknown, context: string, mode: 'hoist' | 'inline' | 'auto'): unknown {
    if (!isSchemaObject(node)) return node;
    const named = this.names.get(node);
    if (named !== undefined) {
      if (!this.definitions.has(named)) this.define(node, named);
      return { $ref: `#/definitions/${named}` };
    }
    const hoist =
      mode === 'hoist' ||
      this.shared.has(node) ||
      componentName(node) !== undefined ||
      (mode === 'auto' && (isObjectLike(node) || Array.isArray(node.enum)));
    if (!hoist) return this.copy(node, context);
    const preferred = componentName(node) !== undefined ? pascalCase(componentName(node) ?? '') : pascalCase(context);
    const name = this.scope.claim(preferred, `schema at ${context}`);
    this.names.set(node, name);
    this.define(node, name);
    return { $ref: `#/definitions/${name}` };
  }

  private define(node: SchemaObject, name: string): void {
    this.definitions.set(name, true); // placeholder keeps the order and stops cycles
    this.definitions.set(name, this.copy(node, name));
  }

  private copy(node: SchemaObject, context: string): SchemaObject {
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED.has(key) || key.startsWith('x-parser-')) continue;
      out[key] = this.copyKeyword(key, value, context);
    }
    return out;
  }

  private copyKeyword(key: string, value: unknown, context: string): unknown {
    if ((SINGLE as readonly string[]).includes(key)) {
      // Conditions and constraints only validate; they are not types of their own.
      const mode = VALIDATION_ONLY.has(key) ? 'inline' : 'auto';
      return this.convert(value, `${context}${SUFFIX[key as (typeof SINGLE)[number]]}`, mode);
    }
    if ((MAPS as readonly string[]).includes(key) && isSchemaObject(value)) {
      const out: SchemaObject = {};
      for (const [prop, sub] of Object.entries(value)) {
        const suffix = key === 'properties' ? pascalCase(prop).replace(/_$/, '') : 'Value';
        out[prop] = this.convert(sub, `${context}${suffix}`, 'auto');
      }
      return out;
    }
    if (key === 'allOf' && Array.isArray(value)) return value.map((sub) => this.convert(sub, context, 'inline'));
    if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      return value.map((sub, i) => {
        const title = isSchemaObject(sub) && typeof sub.title === 'string' ? pascalCase(sub.title) : undefined;
        return this.convert(sub, title ?? `${context}Option${i + 1}`, 'auto');
      });
    }
    if (key === 'prefixItems' && Array.isArray(value)) return value.map((sub, i) => this.convert(sub, `${context}Item${i + 1}`, 'auto'));
    if (key === 'items') {
      if (Array.isArray(value)) return value.map((sub, i) => this.convert(sub, `${context}Item${i + 1}`, 'auto'));
      return this.convert(value, `${context}Item`, 'auto');
    }
    if (key === 'dependencies' && isSchemaObject(value)) {
      const out: SchemaObject = {};
      for (const [prop, sub] of Object.entries(value)) out[prop] = Array.isArray(sub) ? sub : this.convert(sub, `${context}${pascalCase(prop)}Dependency`, 'auto');
      return out;
    }
    return value;
  }
}
