/**
 * Recognises CloudEvents: a payload that requires `specversion`, `id`, `source` and `type` (as the
 * CloudEvents JSON schema does). Such messages get helpers that fill the envelope and can travel
 * in binary content mode, where each attribute becomes a header.
 */
import { pins } from './discriminator.js';
import { isSchemaObject } from './schemas.js';
import type { IrCloudEvent, IrCloudEventAttribute } from './types.js';

const REQUIRED = ['specversion', 'id', 'source', 'type'];
/** Members that are the event's data, never attributes. */
const DATA = new Set(['data', 'data_base64']);

/** Required names and top-level property schemas, looking through `allOf`. */
function collect(schema: unknown, required: Set<string>, properties: Map<string, unknown>, seen = new Set<object>()): void {
  if (!isSchemaObject(schema) || seen.has(schema)) return;
  seen.add(schema);
  if (Array.isArray(schema.required)) for (const r of schema.required) if (typeof r === 'string') required.add(r);
  if (isSchemaObject(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) if (!properties.has(name)) properties.set(name, sub);
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) collect(part, required, properties, seen);
}

function kindOf(schema: unknown, seen = new Set<object>()): IrCloudEventAttribute['kind'] {
  if (!isSchemaObject(schema) || seen.has(schema)) return 'string';
  seen.add(schema);
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.includes('string')) return 'string';
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  if (types.includes('boolean')) return 'boolean';
  if (Array.isArray(schema.allOf))
    for (const part of schema.allOf) {
      const k = kindOf(part, seen);
      if (k !== 'string') return k;
    }
  return 'string';
}

export function cloudEventOf(payloadSchema: unknown): IrCloudEvent | undefined {
  const required = new Set<string>();
  const properties = new Map<string, unknown>();
  collect(payloadSchema, required, properties);
  if (!REQUIRED.every((r) => required.has(r))) return undefined;
  const type = pins(payloadSchema).get('type')?.value;
  const attributes = [...properties.entries()].filter(([name]) => !DATA.has(name)).map(([name, schema]): IrCloudEventAttribute => ({ name, kind: kindOf(schema) }));
  return { type: typeof type === 'string' ? type : undefined, attributes };
}
