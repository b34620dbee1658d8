/**
 * `nullable: true` in a plain AsyncAPI/JSON Schema payload (test/fixtures/robust/nullable-openapi-style.yaml):
 * JSON Schema has no such keyword, so it is warned about at each place with the JSON Schema way
 * to say it, and its meaning is not changed (null is still refused). In a payload in the OpenAPI
 * format the parser converts it, so there is no warning and null is accepted.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generated } from './support/generated.js';
import { ROOT } from './support/specs.js';

const SPEC = path.join(ROOT, 'test', 'fixtures', 'robust', 'nullable-openapi-style.yaml');
const PROFILE = '/components/schemas/Profile/properties';

describe('nullable: true outside the OpenAPI format', () => {
  const spec = generated(SPEC, 'nullable');

  it('warns once per place, at the line of the keyword, naming the schema by its pointer and the JSON Schema way to say it', async () => {
    const { diagnostics } = await spec;
    const warnings = diagnostics.filter((d) => d.code === 'nullable-ignored');
    expect(warnings.map((d) => [d.severity, d.location, d.hint])).toEqual([
      ['warning', { file: SPEC, line: 60, column: 21, pointer: `${PROFILE}/nickname` }, 'to accept null, say it the JSON Schema way: type: ["string","null"] instead of nullable'],
      [
        'warning',
        { file: SPEC, line: 64, column: 21, pointer: `${PROFILE}/tier` },
        'to accept null, say it the JSON Schema way: type: ["string","null"], and add null to its enum instead of nullable',
      ],
      ['warning', { file: SPEC, line: 66, column: 21, pointer: `${PROFILE}/manager` }, 'to accept null, say it the JSON Schema way: oneOf: [<this schema>, { type: "null" }] instead of nullable'],
    ]);
    expect(warnings[0]?.message).toBe('nullable: true is OpenAPI 3.0, not JSON Schema: it is ignored, and null is not accepted here');
  });

  it.each([
    ['a string where nullable is ignored', { validator: 'validateProfile', given: { kind: 'profile', nickname: 'ada' }, want: true }],
    ['null where nullable is ignored: still refused, as JSON Schema says', { validator: 'validateProfile', given: { kind: 'profile', nickname: null }, want: false }],
    ['a field named nullable', { validator: 'validateProfile', given: { kind: 'profile', nullable: true }, want: true }],
    ['null in the OpenAPI format, which the parser converts', { validator: 'validateLegacyProfile', given: { kind: 'legacy', nickname: null }, want: true }],
  ])('the validator keeps the meaning: %s', async (_name, { validator, given, want }) => {
    const { validators } = await spec;
    expect(validators[validator]?.(given)).toBe(want);
  });

  it('refuses null on publish where the keyword is ignored', async () => {
    const { client, transport } = await spec;
    await expect((client['publishProfile']!.publish as (id: string, p: unknown) => Promise<void>)('profileUpdated', { kind: 'profile', nickname: null })).rejects.toThrow(/\/nickname must be string/);
    await transport.close();
  });
});
