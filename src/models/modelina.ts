/**
 * TypeScript models through Modelina: interfaces for objects, string-literal unions for enums,
 * type aliases for everything else, each with JSDoc from the schema. Names are the IR's.
 */
import type { IrSpec, JsonSchema } from '../ir/types.js';
import { jsdoc, literal, typeKey } from '../render/strings.js';
import { planModels } from './heritage.js';

const ROOT = 'CodegenRoot__';

type Schema = { readonly [keyword: string]: unknown };

function docsOf(schema: unknown, indent: string): string {
  if (typeof schema !== 'object' || schema === null) return '';
  const s = schema as Schema;
  const examples = Array.isArray(s.examples) ? s.examples : 'example' in s ? [s.example] : [];
  return jsdoc(
    {
      title: typeof s[TITLE] === 'string' ? s[TITLE] : typeof s.title === 'string' ? s.title : undefined,
      description: typeof s.description === 'string' ? s.description : undefined,
      deprecated: s.deprecated === true,
      examples,
      defaultValue: s.default,
      tags: typeof s.format === 'string' ? [['format', s.format]] : [],
    },
    indent,
  );
}

/**
 * Modelina looks property names up on plain objects, so names such as `constructor` or `valueOf`
 * break it. It only ever sees stand-in keys (`p0`, `p1`, …); the preset writes the real ones back.
 */
class PropertyKeys {
  private readonly names: string[] = [];
  private readonly codes = new Map<string, string>();

  encode(name: string): string {
    let code = this.codes.get(name);
    if (code === undefined) {
      code = `p${this.names.length}`;
      this.names.push(name);
      this.codes.set(name, code);
    }
    return code;
  }

  /**
   * Modelina prints a `const` inside a union as `'value'` without escaping (a quote in the value
   * broke out of the string) and prints a null `const` as nothing (`A |  | B`). It only ever sees
   * stand-ins for those; `restore` writes each back as a proper literal type.
   */
  private readonly constants: unknown[] = [];

  constant(value: unknown): unknown {
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
    this.constants.push(value);
    return `${CONST_MARK}${this.constants.length - 1}__`;
  }

  /** The original of a stand-in `const`; anything else as it is. */
  original(value: unknown): unknown {
    const match = typeof value === 'string' ? CONST_STAND_IN.exec(value) : null;
    return match ? this.constants[Number(match[1])] : value;
  }

  restore(text: string): string {
    return text.replace(QUOTED_STAND_IN, (_, _quote: string, n: string) => literalType(this.constants[Number(n)]));
  }

  decode(code: string): string {
    const match = /^p(\d+)$/.exec(code);
    const name = match ? this.names[Number(match[1])] : undefined;
    return name ?? code; // the root model's keys are definition names, not codes; it is dropped anyway
  }

  /** A copy of the schema with every property name encoded; examples and defaults are data and stay. */
  schema(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.schema(n));
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(typeShape(node as Schema))) {
      if (key === 'properties' && typeof value === 'object' && value !== null) {
        out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [this.encode(k), this.schema(v)]));
      } else if (key === 'required' && Array.isArray(value)) {
        out[key] = value.map((k) => (typeof k === 'string' ? this.encode(k) : k));
      } else if (key === 'discriminator' && typeof value === 'string') {
        out[key] = this.encode(value);
      } else if (key === 'title') {
        out[TITLE] = value; // Modelina would name the model after its title; the IR has named it already
      } else if (key === 'const') {
        out[key] = this.constant(value);
      } else if (DATA_KEYWORDS.has(key)) {
        out[key] = value;
      } else if (key === 'dependencies' || key === 'patternProperties' || key === 'dependentRequired') {
        // left out: no bearing on the TypeScript shape
      } else {
        out[key] = this.schema(value);
      }
    }
    return out;
  }
}

const OBJECT_ONLY = ['properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties'];
const ARRAY_ONLY = ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems'];

/**
 * The keywords that shape a schema's instances: object keywords on `type: string` never apply
 * (the validator accepts only strings), nor array keywords on anything but an array.
 */
function typeShape(node: Schema): Schema {
  const types = typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? node.type : undefined;
  const drop = new Set<string>();
  if (types && !types.includes('object')) for (const k of OBJECT_ONLY) drop.add(k);
  if (types && !types.includes('array')) for (const k of ARRAY_ONLY) drop.add(k);
  return Object.fromEntries(Object.entries(node).filter(([k]) => !drop.has(k)));
}

/** A type that may sit before `[]` or `?` as it is. */
function atom(type: string): string {
  return /^[\p{L}\p{N}_$.<>[\]]+$/u.test(type) ? type : `(${type})`;
}

/** The value type of an index signature, for the simple cases; `unknown` says nothing wrong for the others. */
function simpleType(schema: unknown): string {
  if (schema === true || (typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0)) return 'unknown';
  if (typeof schema !== 'object' || schema === null) return 'unknown';
  const s = schema as Schema;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/definitions/')) return s.$ref.slice('#/definitions/'.length);
  const map: Record<string, string> = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', null: 'null' };
  return typeof s.type === 'string' && map[s.type] !== undefined && !('enum' in s) && !('const' in s) ? (map[s.type] ?? 'unknown') : 'unknown';
}

interface TupleLike {
  readonly originalInput?: unknown;
  readonly tuple: ReadonlyArray<{ readonly index: number; readonly value: { readonly type: string } }>;
  readonly options: { readonly isNullable?: boolean };
}

/** A tuple as the validator reads it: items past `minItems` may be missing, and more may follow unless closed. */
function tupleType(model: TupleLike): string {
  const s = (typeof model.originalInput === 'object' && model.originalInput !== null ? model.originalInput : {}) as Schema;
  const min = typeof s.minItems === 'number' ? s.minItems : 0;
  const elements = [...model.tuple].sort((a, b) => a.index - b.index).map((t, i) => (i < min ? t.value.type : `${atom(t.value.type)}?`));
  const closed = s.additionalItems === false || (typeof s.maxItems === 'number' && s.maxItems <= elements.length);
  if (!closed) elements.push('...unknown[]');
  const type = `[${elements.join(', ')}]`;
  return model.options.isNullable ? `${type} | null` : type;
}

const TITLE = 'x-codegen-title';
const CONST_MARK = '__codegen_const_';
const CONST_STAND_IN = /^__codegen_const_(\d+)__$/;
const QUOTED_STAND_IN = /(['"])__codegen_const_(\d+)__\1/g;
const DATA_KEYWORDS = new Set(['examples', 'example', 'default', 'const', 'enum', 'x-examples']);

/** Literal types for a `const`, which Modelina does not escape; `keys` maps stand-ins back. */
function constType(schema: unknown, keys?: PropertyKeys): string | undefined {
  if (typeof schema !== 'object' || schema === null || !('const' in schema)) return undefined;
  const value = (schema as Schema).const;
  return literalType(keys ? keys.original(value) : value);
}

function isSchemaWithType(schema: unknown, type: string): boolean {
  return typeof schema === 'object' && schema !== null && (schema as Schema).type === type;
}

function enumType(schema: unknown): string {
  const values = typeof schema === 'object' && schema !== null && Array.isArray((schema as Schema).enum) ? ((schema as Schema).enum as unknown[]) : [];
  const types = [...new Set(values.map(literalType))];
  return types.length > 0 ? types.join(' | ') : 'never';
}

function literalType(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return literal(value);
  if (typeof value === 'number') return Number.isFinite(value) ? (value < 0 ? `(${String(value)})` : String(value)) : 'number';
  return 'unknown'; // objects and arrays as enum values are checked by the validator, not the type
}

/**
 * Fields next to `additionalProperties`: the validator accepts other keys too, so the interface
 * says so. The signature's type covers the named fields as TypeScript requires.
 */
function withIndexSignature(content: string, schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return content;
  const s = schema as Schema;
  const extra = s.additionalProperties;
  if (extra === undefined || extra === false || !content.endsWith('}')) return content;
  const value = simpleType(extra);
  const named = typeof s.properties === 'object' && s.properties !== null ? Object.values(s.properties).map(simpleType) : [];
  const type = value !== 'unknown' && named.every((t) => t === value) ? value : 'unknown';
  return `${content.slice(0, -1)}  [key: string]: ${type};\n}`;
}

/** Returns the contents of models.ts (without header). */
export interface ModelOptions {
  /** `interface` declarations, or `type` aliases of object literal types. */
  readonly style: 'interface' | 'type';
}

/** An interface declaration as a type alias: same members, `type X = Base & { … };`. */
function asTypeAlias(model: string, bases: readonly string[]): string {
  const m = /^((?:\/\*\*[\s\S]*?\*\/\n)?)export interface (\S+) \{/u.exec(model);
  if (!m || !model.endsWith('}')) return model;
  return `${m[1] ?? ''}export type ${m[2] ?? ''} = ${bases.map((b) => `${b} & `).join('')}{${model.slice(m[0].length)};`;
}

/** The interface with its `extends` clause. */
function withHeritage(model: string, name: string, bases: readonly string[]): string {
  if (bases.length === 0) return model;
  return model.replace(`export interface ${name} {`, `export interface ${name} extends ${bases.join(', ')} {`);
}

export async function generateModels(ir: IrSpec, options: ModelOptions = { style: 'interface' }): Promise<string> {
  const definitions = ir.schemas.definitions;
  if (definitions.size === 0) return 'export {};\n';
  const { TypeScriptGenerator, ConstrainedDictionaryModel } = await import('@asyncapi/modelina');
  const keys = new PropertyKeys();
  const plan = planModels(definitions);
  const withIds: Record<string, JsonSchema> = {};
  for (const [name, schema] of plan.schemas) withIds[name] = typeof schema === 'object' && schema !== null ? { ...(keys.schema(schema) as object), $id: name } : (schema as JsonSchema);
  const root = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: ROOT,
    type: 'object',
    definitions: withIds,
    properties: Object.fromEntries([...definitions.keys()].map((name) => [name, { $ref: `#/definitions/${name}` }])),
  };
  const generator = new TypeScriptGenerator({
    modelType: 'interface',
    enumType: 'union',
    mapType: 'record',
    rawPropertyNames: true,
    // Names come from the IR's naming rule already; Modelina's own would rename some (Event → ReservedEvent).
    constraints: { modelName: ({ modelName }) => modelName },
    typeMapping: {
      Any: () => 'unknown',
      // Modelina writes an array of a nullable type as `number | null[]`.
      Array: ({ constrainedModel }) => `${atom(constrainedModel.valueModel.type)}[]${constrainedModel.options.isNullable ? ' | null' : ''}`,
      Tuple: ({ constrainedModel }) => tupleType(constrainedModel),
    },
    processorOptions: { interpreter: { ignoreAdditionalProperties: true, ignoreAdditionalItems: true } },
    presets: [
      {
        interface: {
          self: ({ content, model }) => `${docsOf(model.originalInput, '')}export ${withIndexSignature(content, model.originalInput)}`,
          property: ({ property }) => {
            // Modelina folds `additionalProperties` into a pseudo-property; interfaces describe named fields only.
            if (property.property instanceof ConstrainedDictionaryModel && property.property.serializationType === 'unwrap') return '';
            const optional = property.required ? '' : '?';
            const type = constType(property.property.originalInput, keys) ?? (isSchemaWithType(property.property.originalInput, 'null') ? 'null' : property.property.type);
            return `${docsOf(property.property.originalInput, '').trimEnd()}\n${typeKey(keys.decode(property.unconstrainedPropertyName))}${optional}: ${type};`.trimStart();
          },
        },
        type: {
          self: ({ content, model }) => `${docsOf(model.originalInput, '')}export ${content}`,
        },
        enum: {
          // Modelina does not escape enum values; literals are written here.
          self: ({ model }) => `${docsOf(model.originalInput, '')}export type ${model.name} = ${enumType(model.originalInput)};`,
        },
      },
    ],
  });
  const models = await generator.generate(root);
  const rootModel = models.find((m) => m.modelName === ROOT || m.model.originalInput?.$id === ROOT);
  const rendered = new Map<string, string>();
  for (const m of models) {
    if (m === rootModel) continue;
    const bases = plan.heritage.get(m.modelName) ?? [];
    rendered.set(m.modelName, options.style === 'type' ? asTypeAlias(m.result.trim(), bases) : withHeritage(m.result.trim(), m.modelName, bases));
  }
  // Primitives, arrays and unions are not models of their own in Modelina: alias them from the root's property types.
  const rootTypes = new Map<string, string>();
  if (rootModel && 'properties' in rootModel.model) {
    const props = rootModel.model.properties as Record<string, { unconstrainedPropertyName: string; property: { type: string } }>;
    for (const p of Object.values(props)) rootTypes.set(p.unconstrainedPropertyName, p.property.type);
  }
  const out: string[] = [];
  for (const [name, schema] of definitions) {
    const alias = plan.aliases.get(name);
    if (alias !== undefined) {
      out.push(`${docsOf(schema, '')}export type ${name} = ${alias};`);
      rendered.delete(name);
      continue;
    }
    const model = rendered.get(name);
    if (model !== undefined) {
      out.push(model);
      rendered.delete(name);
      continue;
    }
    const type = constType(schema) ?? (isSchemaWithType(schema, 'null') ? 'null' : (rootTypes.get(name) ?? 'unknown'));
    out.push(`${docsOf(schema, '')}export type ${name} = ${type};`);
  }
  for (const [, model] of [...rendered].sort(([a], [b]) => a.localeCompare(b))) out.push(model);
  return keys.restore(`${out.join('\n\n')}\n`);
}
