/**
 * Ajv's code optimiser counting names without a copy per enclosing block (codegen-names.ts) writes
 * the very code Ajv's own getter does: the same standalone module, byte for byte, for schemas
 * that nest blocks in every way the validators do (first error, coercion, combinators, loops).
 */
import * as ajvModule from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { describe, expect, it } from 'vitest';
import { compactNames } from '../../src/validators/codegen-names.js';

const { Ajv } = ajvModule;
// CommonJS: the default export is the function itself.
const standaloneCode = standalone as unknown as typeof standalone.default;

const SCHEMAS: ReadonlyArray<[string, object]> = [
  [
    'nested properties',
    { type: 'object', required: ['a'], properties: { a: { type: 'object', properties: { b: { type: 'string', minLength: 1 }, c: { type: 'integer', minimum: 0 } } }, d: { enum: ['x', 'y'] } } },
  ],
  ['arrays and tuples', { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } }, minItems: 1, uniqueItems: true }],
  ['combinators', { anyOf: [{ type: 'string' }, { type: 'number' }], oneOf: [{ minimum: 1 }, { maximum: 0 }], not: { const: 3 } }],
  ['if then else', { if: { properties: { kind: { const: 'a' } } }, then: { required: ['a'] }, else: { required: ['b'] } }],
  ['maps', { type: 'object', patternProperties: { '^x-': { type: 'string' } }, additionalProperties: { type: 'boolean' }, propertyNames: { maxLength: 8 } }],
  ['contains and dependencies', { type: 'array', contains: { type: 'integer' }, items: { dependentRequired: { a: ['b'] } } }],
  ['references', { definitions: { node: { type: 'object', properties: { next: { $ref: '#/definitions/node' } } } }, $ref: '#/definitions/node' }],
];

function compiled(coerceTypes: boolean): string {
  const ajv = new Ajv({ code: { source: true }, strict: false, allErrors: false, allowUnionTypes: true, coerceTypes, inlineRefs: false });
  const refs: Record<string, string> = {};
  SCHEMAS.forEach(([, schema], i) => {
    ajv.addSchema(schema, `s${i}`);
    refs[`v${i}`] = `s${i}`;
  });
  return standaloneCode(ajv, refs);
}

describe('counting names for the code optimiser', () => {
  // Ajv's getter first: the counting one replaces it for the rest of the process.
  const before = [compiled(false), compiled(true)];
  const installed = compactNames(ajvModule);
  const after = [compiled(false), compiled(true)];

  it('is installed over the Ajv this package depends on', () => {
    expect(installed).toBe(true);
  });

  it.each([
    ['payloads', 0],
    ['coerced headers', 1],
  ] as const)('leaves the compiled code of %s unchanged', (_name, i) => {
    expect(after[i]).toBe(before[i]);
  });
});
