/**
 * Keywords a spec writes that JSON Schema does not have, so they change nothing and the author
 * would never know: `nullable: true` (OpenAPI 3.0's way to allow null) in a plain AsyncAPI/JSON
 * Schema payload. Schemas in the OpenAPI format are left alone: their parser turns `nullable`
 * into JSON Schema already. The meaning is not changed here, only reported.
 */
import type { Diagnostic } from '../errors.js';
import type { SpecSource } from '../spec/load.js';
import { findKeywords } from '../spec/keywords.js';

/** One warning per place the spec writes `nullable: true`, with the JSON Schema way to say it. */
export function lintSchemas(source: SpecSource): Diagnostic[] {
  // Most specs never say it: no need to read the document again.
  if (!/\bnullable\b/.test(source.text)) return [];
  const hits = findKeywords(source, (key, value, { names }) => !names && key === 'nullable' && value === true, { jsonSchemaOnly: true });
  return hits.map((hit) => ({
    severity: 'warning',
    code: 'nullable-ignored',
    message: 'nullable: true is OpenAPI 3.0, not JSON Schema: it is ignored, and null is not accepted here',
    hint: `to accept null, say it the JSON Schema way: ${jsonSchemaWay(hit.node)}`,
    // The line of the keyword, the pointer of the schema that carries it.
    location: { ...hit.location, pointer: (hit.location.pointer ?? '').replace(/\/nullable$/, '') },
  }));
}

function jsonSchemaWay(schema: Readonly<Record<string, unknown>>): string {
  const type = schema['type'];
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
  const withEnum = Array.isArray(schema['enum']) ? ', and add null to its enum' : '';
  if (types.length > 0) return `type: ${JSON.stringify([...types.filter((t) => t !== 'null'), 'null'])}${withEnum} instead of nullable`;
  return `oneOf: [<this schema>, { type: "null" }] instead of nullable${withEnum}`;
}
