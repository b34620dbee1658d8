/**
 * Multi Format Schema Objects (`{ schemaFormat, schema }`) inside schemas. The parser converts a
 * message's own payload to JSON Schema, but a component schema that is itself such an object stays
 * wrapped wherever another schema `$ref`s it (Springwolf writes every component so), and read as a
 * schema its wrapper has no keyword at all: the model became `unknown` and the validator accepted
 * anything. JSON Schema-like formats (AsyncAPI, JSON Schema, OpenAPI) are unwrapped in place; other
 * formats inside a schema are left as they are and reported.
 */
import { isSchemaObject } from './schemas.js';

type Wrapper = { readonly schemaFormat: string; readonly schema: unknown };

/** Formats whose schema is JSON Schema (OpenAPI 3.0's `nullable` aside, which the lint reports). */
const JSON_SCHEMA_LIKE = /^application\/(vnd\.aai\.asyncapi|schema|vnd\.oai\.openapi)([+;]|$)/i;

export function isMultiFormat(value: unknown): value is Wrapper {
  return isSchemaObject(value) && typeof value.schemaFormat === 'string' && 'schema' in value && !('type' in value) && !('properties' in value);
}

/** The schema inside any number of JSON Schema-like wrappers. */
export function unwrapSchema(value: unknown): unknown {
  let current = value;
  for (let depth = 0; isMultiFormat(current) && JSON_SCHEMA_LIKE.test(current.schemaFormat) && depth < 16; depth++) current = current.schema;
  return current;
}

/**
 * Replaces, throughout the schema graphs under `roots`, every JSON Schema-like wrapper by the schema
 * it holds, in place (the graphs are the parser's, shared and possibly cyclic). Returns the formats
 * of the wrappers it had to leave, once each.
 */
export function unwrapNested(roots: readonly unknown[]): string[] {
  const seen = new WeakSet<object>();
  const left = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [key, value] of entries) {
      const inner = unwrapSchema(value);
      if (inner !== value) (node as Record<string | number, unknown>)[key] = inner;
      if (isMultiFormat(inner)) left.add(inner.schemaFormat);
      visit(inner);
    }
  };
  for (const root of roots) visit(unwrapSchema(root));
  return [...left].sort();
}

const AVRO = /^application\/vnd\.apache\.avro([+;]|$)/i;

/**
 * The Avro schema of a message as the spec wrote it, when its payload is Avro: the parser converts
 * it to JSON Schema for the models and validators, and keeps the original beside the conversion
 * (`x-parser-original-payload`, in the payload's multi-format object in 3.x, on the message in 2.x).
 */
export function avroSchemaOf(message: unknown): unknown {
  if (!isSchemaObject(message)) return undefined;
  const payload = message.payload;
  if (isSchemaObject(payload) && typeof payload.schemaFormat === 'string' && AVRO.test(payload.schemaFormat)) return payload['x-parser-original-payload'];
  if (typeof message.schemaFormat === 'string' && AVRO.test(message.schemaFormat)) return message['x-parser-original-payload'];
  return undefined;
}
