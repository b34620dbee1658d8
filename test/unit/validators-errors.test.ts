/**
 * The validators' error sites are calls that build Ajv's error from the keyword and the params'
 * values (src/validators/error-sites.ts). The table must build, for every keyword it holds, the
 * very message Ajv builds; a site whose message it would not build must be left as Ajv wrote it;
 * and definitions that validate alike are compiled once (src/validators/shared.ts).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/ir/types.js';
import { KEYWORD_ERRORS, rewriteErrorSites, tableMessage } from '../../src/validators/error-sites.js';
import { sharedDefinitions } from '../../src/validators/shared.js';

/** Per keyword: a schema that uses it and a value that fails it (the schema's keyword is what fails). */
const FAILING: ReadonlyArray<readonly [keyword: string, schema: object, value: unknown]> = [
  ['type', { type: 'string' }, 1],
  ['type', { type: ['string', 'null'] }, 1],
  ['required', { required: ['id'] }, {}],
  ['additionalProperties', { additionalProperties: false }, { x: 1 }],
  ['unevaluatedProperties', { $schema: 'https://json-schema.org/draft/2019-09/schema', unevaluatedProperties: false }, { x: 1 }],
  ['enum', { enum: ['a', 'b'] }, 'c'],
  ['const', { const: 'a' }, 'b'],
  ['format', { format: 'date-time' }, 'x'],
  ['pattern', { pattern: '^a"b$' }, 'x'],
  ['minLength', { minLength: 2 }, 'x'],
  ['maxLength', { maxLength: 1 }, 'xy'],
  ['minItems', { minItems: 1 }, []],
  ['maxItems', { maxItems: 0 }, [1]],
  ['additionalItems', { items: [{}], additionalItems: false }, [1, 2]],
  ['items', { $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{}], items: false }, [1, 2]],
  ['unevaluatedItems', { $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{}], unevaluatedItems: false }, [1, 2]],
  ['minProperties', { minProperties: 1 }, {}],
  ['maxProperties', { maxProperties: 0 }, { a: 1 }],
  ['minimum', { minimum: 1 }, 0],
  ['maximum', { maximum: 1 }, 2],
  ['exclusiveMinimum', { exclusiveMinimum: 1 }, 1],
  ['exclusiveMaximum', { exclusiveMaximum: 1 }, 1],
  ['multipleOf', { multipleOf: 2 }, 3],
  ['uniqueItems', { uniqueItems: true }, [1, 1]],
  ['anyOf', { anyOf: [{ type: 'string' }, { type: 'number' }] }, null],
  ['oneOf', { oneOf: [{}, {}] }, 1],
  ['not', { not: {} }, 1],
  ['if', { if: { type: 'number' }, then: { minimum: 5 } }, 1],
  ['propertyNames', { propertyNames: { maxLength: 1 } }, { ab: 1 }],
  ['false schema', { properties: { a: false } }, { a: 1 }],
];

async function ajvFor(schema: object): Promise<Ajv> {
  const $schema = (schema as { $schema?: string }).$schema;
  if ($schema?.includes('2020-12')) return new (await import('ajv/dist/2020.js')).Ajv2020({ strict: false, allErrors: true });
  if ($schema?.includes('2019-09')) return new (await import('ajv/dist/2019.js')).Ajv2019({ strict: false, allErrors: true });
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT/);
  return ajv;
}

describe('KEYWORD_ERRORS', () => {
  it.each(FAILING)('builds the message Ajv builds for %s', async (keyword, schema, value) => {
    const validate = (await ajvFor(schema)).compile(schema);
    expect(validate(value)).toBe(false);
    const error = (validate.errors ?? []).find((e: ErrorObject) => e.keyword === keyword);
    expect(error, `Ajv reports ${keyword}`).toBeDefined();
    const [names] = KEYWORD_ERRORS[keyword] ?? [[]];
    expect(Object.keys(error?.params ?? {})).toEqual(names);
    expect(tableMessage(keyword)?.(...names.map((n) => error?.params[n]))).toBe(error?.message);
  });

  it('has a failing case for every keyword it holds', () => {
    expect(new Set(FAILING.map(([k]) => k))).toEqual(new Set(Object.keys(KEYWORD_ERRORS)));
  });
});

describe('rewriteErrorSites', () => {
  it.each([
    [
      'a first error, stopping',
      {
        given:
          'if(x){validate3.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];return false;}',
        want: 'if(x){return failIn(validate3,instancePath,"id","minLength",1);}',
      },
    ],
    [
      'a first error at a property whose name is escaped in a path, or under allOf',
      {
        given:
          'validate3.errors = [{instancePath:instancePath+"/a~1b",schemaPath:"#/properties/a~1b/type",keyword:"type",params:{type: "string"},message:"must be string"}];return false;validate3.errors = [{instancePath:instancePath+"/id",schemaPath:"#/allOf/1/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];return false;',
        want: 'return failAt(validate3,instancePath+"/a~1b","#/properties/a~1b/type","string");return failAt(validate3,instancePath+"/id","#/allOf/1/properties/id/type","string");',
      },
    ],
    [
      "a failed $ref's errors returned at once (as first-error.ts leaves it)",
      {
        given: 'if(!(validate5(data.a, {instancePath:instancePath+"/a"}))){validate4.errors = validate5.errors;return false;}',
        want: 'if(!(validate5(data.a, {instancePath:instancePath+"/a"}))){return failFrom(validate4,validate5);}',
      },
    ],
    [
      'a required property held in a variable',
      {
        given: 'validate0.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property \'"+missing0+"\'"}];return false;',
        want: 'return failAt(validate0,instancePath,"#/required",missing0);',
      },
    ],
    [
      'an error kept for anyOf, its name read nowhere else',
      {
        given:
          'function validate1(){const err0 = {instancePath,schemaPath:"#/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err0];}else {vErrors.push(err0);}errors++;}',
        want: 'function validate1(){vErrors = addError(vErrors, error(instancePath,"#/anyOf/0/type","type","string"));errors++;}',
      },
    ],
    [
      'a message the table would not build: the object stays, through newError',
      {
        given: 'validate2.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "string"},message:"should be string"}];return false;',
        want: 'validate2.errors = [newError(instancePath,"#/type","type",{type: "string"},"should be string")];return false;',
      },
    ],
    [
      'a variable in the message that is not the param',
      {
        given: 'validate2.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property \'"+missing1+"\'"}];return false;',
        want: 'validate2.errors = [newError(instancePath,"#/required","required",{missingProperty: missing0},"must have required property \'"+missing1+"\'")];return false;',
      },
    ],
    [
      'params in another order, or a literal with other keys: left as they are',
      {
        given:
          'validate2.errors = [{instancePath,schemaPath:"#",keyword:"minimum",params:{limit: 1, comparison: ">="},message:"must be >= 1"}];return false;const err2 = {instancePath,schemaPath:"#",keyword:"x",params:{},message:"m",schema:1};',
        want: 'validate2.errors = [newError(instancePath,"#","minimum",{limit: 1, comparison: ">="},"must be >= 1")];return false;const err2 = {instancePath,schemaPath:"#",keyword:"x",params:{},message:"m",schema:1};',
      },
    ],
    ["a $ref's errors joining the caller's", { given: 'vErrors = vErrors === null ? validate7.errors : vErrors.concat(validate7.errors);', want: 'vErrors = addErrors(vErrors, validate7.errors);' }],
  ])('%s', (_name, { given, want }) => {
    expect(rewriteErrorSites(given).code).toBe(want);
  });
});

describe('sharedDefinitions', () => {
  const defs = (d: Record<string, unknown>): Record<string, JsonSchema> => d as Record<string, JsonSchema>;
  it.each([
    [
      'equal definitions under different names, annotations aside',
      { given: { A: { type: 'string', description: 'a' }, B: { type: 'string', title: 'b' }, C: { type: 'number' } }, want: { A: 'A', B: 'A', C: 'C' } },
    ],
    [
      'definitions equal through the definitions their $refs lead to',
      {
        given: {
          A: { properties: { o: { $ref: '#/definitions/X' } } },
          B: { properties: { o: { $ref: '#/definitions/Y' } } },
          X: { type: 'string' },
          Y: { type: 'string' },
          C: { properties: { o: { $ref: '#/definitions/Z' } } },
          Z: { type: 'number' },
        },
        want: { A: 'A', B: 'A', X: 'X', Y: 'X', C: 'C', Z: 'Z' },
      },
    ],
    ['recursive definitions of the same shape', { given: { A: { items: { $ref: '#/definitions/A' } }, B: { items: { $ref: '#/definitions/B' } } }, want: { A: 'A', B: 'A' } }],
    [
      'a value that only looks like a $ref is data, not a schema',
      { given: { A: { const: { $ref: '#/definitions/X' } }, B: { const: { $ref: '#/definitions/Y' } }, X: {}, Y: {} }, want: { A: 'A', B: 'B', X: 'X', Y: 'X' } },
    ],
    ['a property named like an annotation is kept', { given: { A: { properties: { description: { type: 'string' } } }, B: { properties: {} } }, want: { A: 'A', B: 'B' } }],
    ['nothing is shared when an $id places a schema', { given: { A: { $id: 'a', type: 'string' }, B: { type: 'string' } }, want: { A: 'A', B: 'B' } }],
  ])('%s', (_name, { given, want }) => {
    const shared = sharedDefinitions(defs(given));
    expect(Object.fromEntries(shared.compiledAs)).toEqual(want);
  });

  it("points every $ref at its target's compiled member", () => {
    const shared = sharedDefinitions(defs({ A: { properties: { o: { $ref: '#/definitions/Y' } } }, X: { type: 'string' }, Y: { type: 'string' } }));
    expect(shared.definitions['A']).toEqual({ properties: { o: { $ref: '#/definitions/X' } } });
  });
});

describe('the linked validators', () => {
  it('answer as Ajv does, stopping at the first error, with its error object, for every keyword in the table', async () => {
    const { compileValidators } = await import('../../src/validators/ajv.js');
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const rooted = FAILING.filter(([, schema]) => !('$schema' in schema)).map(([keyword, schema, value], i) => ({ name: `validateCase${i}`, definition: `Case${i}`, keyword, schema, value }));
    // The same cases one level down, at a property: the errors' paths go through `properties`.
    const nested = rooted.map((c, i) => ({ ...c, name: `validateField${i}`, definition: `Field${i}`, schema: { type: 'object', properties: { field: c.schema } }, value: { field: c.value } }));
    const cases = [...rooted, ...nested];
    const definitions = new Map<string, JsonSchema>(cases.map((c) => [c.definition, c.schema as JsonSchema]));
    const messages = cases.map((c) => ({ payload: c.definition, payloadValidator: c.name }));
    const { code } = await compileValidators({ file: 'cases.yaml', messages, schemas: { definitions } } as unknown as Parameters<typeof compileValidators>[0]);
    const dir = await mkdtemp(path.join(tmpdir(), 'validators-'));
    try {
      await writeFile(path.join(dir, 'validators.mjs'), code);
      const linked = (await import(path.join(dir, 'validators.mjs'))) as Record<string, ((v: unknown) => boolean) & { errors: unknown }>;
      const ajv = new Ajv({ strict: false, allErrors: false, allowUnionTypes: true, ownProperties: true, inlineRefs: false });
      ajv.addFormat('date-time', true);
      const { fullFormats } = await import('ajv-formats/dist/formats.js');
      ajv.addFormat('date-time', fullFormats['date-time'] as never);
      ajv.addSchema({ definitions: Object.fromEntries(definitions) }, 'spec');
      for (const c of cases) {
        const reference = ajv.getSchema(`spec#/definitions/${c.definition}`);
        const validate = linked[c.name];
        for (const value of [c.value, null, 'x', [1], { a: 1 }]) {
          expect([c.keyword, value, validate?.(value), validate?.errors]).toEqual([c.keyword, value, reference?.(value), reference?.errors ?? null]);
        }
      }
      // Every site goes through the table but one: a union `type`, whose message Ajv writes out while its params read the schema.
      expect(code.match(/newError\(instancePath(?:\+"\/field")?,"/g)).toHaveLength(2);
      expect(code).toMatch(/failIn\(validate\d+,instancePath,"field","type","string"\)/);
      expect(code).toContain('newError(instancePath,"#/type","type",{type: schema');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
