/**
 * Patterns written for other regex engines (protoc-gen-validate's RE2, Java): translated where
 * ECMAScript has an exact equivalent, otherwise left out of that one validator with a warning
 * that points at the pattern. Generation never fails on them, and the generated validator really
 * applies the translations (test/fixtures/robust/foreign-patterns.yaml).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { portablePattern } from '../src/validators/patterns.js';
import { generated, json } from './support/generated.js';
import { ROOT } from './support/specs.js';

const SPEC = path.join(ROOT, 'test', 'fixtures', 'robust', 'foreign-patterns.yaml');

describe('portablePattern', () => {
  it.each([
    ['an ECMAScript pattern, unchanged', { given: '^[a-z]+$', want: { ok: true, source: '^[a-z]+$', flags: 'u' } }],
    ['a leading (?i): the i flag', { given: '(?i)^[0-9a-f]+$', want: { ok: true, source: '^[0-9a-f]+$', flags: 'iu' } }],
    ['a leading (?s): the s flag', { given: '(?s)^a.b$', want: { ok: true, source: '^a.b$', flags: 'su' } }],
    ['a leading (?is): both', { given: '(?is)^x$', want: { ok: true, source: '^x$', flags: 'isu' } }],
    ['\\A and \\z: ^ and $ without the m flag', { given: '\\A[A-Z]{2}\\z', want: { ok: true, source: '^[A-Z]{2}$', flags: 'u' } }],
    ['Go and Python named groups', { given: '^(?P<year>\\d{4})$', want: { ok: true, source: '^(?<year>\\d{4})$', flags: 'u' } }],
    ['an escaped hyphen outside a class (protoc-gen-validate prefix)', { given: '^SKU\\-', want: { ok: true, source: '^SKU\\x2D', flags: 'u' } }],
    ['RE2 one-letter Unicode classes', { given: '(?i)^\\pL+$', want: { ok: true, source: '^\\p{L}+$', flags: 'iu' } }],
    ['RE2 \\x{…}', { given: '(?i)\\x{1F600}', want: { ok: true, source: '\\u{1F600}', flags: 'iu' } }],
    ['POSIX classes', { given: '(?i)^[[:alpha:]_]+$', want: { ok: true, source: '^[A-Za-z_]+$', flags: 'iu' } }],
    ['a literal {', { given: '(?i)^a{,5}$', want: { ok: true, source: '^a\\{,5\\}$', flags: 'iu' } }],
    ['a literal } after a quantifier', { given: '(?i)^a{2}}$', want: { ok: true, source: '^a{2}\\}$', flags: 'iu' } }],
    ['(?m): line ends differ between engines', { given: '(?m)^a$', want: { ok: false, reason: 'ECMAScript has no exact equivalent of the inline flag (?m)' } }],
    ['(?x)', { given: '(?x) a b', want: { ok: false, reason: 'ECMAScript has no exact equivalent of the inline flag (?x)' } }],
    ['a possessive quantifier', { given: '^a++$', want: { ok: false, reason: 'Nothing to repeat' } }],
    ['\\Z, which ends before a final line break in Java', { given: '^a\\Z', want: { ok: false, reason: 'Invalid escape' } }],
    ['an inline flag later than the start', { given: '^(?i)a$', want: { ok: false, reason: 'Invalid group' } }],
  ])('%s', (_name, { given, want }) => {
    expect(portablePattern(given)).toEqual(want);
  });

  it('translates only what then means the same: a translated pattern compiles with its flags', () => {
    const t = portablePattern('(?i)^[0-9a-f]+$');
    expect(t.ok && new RegExp(t.source, t.flags).test('0A1b')).toBe(true);
  });
});

describe('a spec with foreign patterns (protoc-gen-validate, Java)', () => {
  // One generation serves every case; each test awaits it.
  const spec = generated(SPEC, 'patterns/spec');

  it('generates, and warns once per pattern left out, at the line and pointer it is written', async () => {
    const { diagnostics } = await spec;
    const warnings = diagnostics.filter((d) => d.code === 'pattern-not-portable');
    expect(warnings.map((d) => [d.severity, d.location, d.message])).toEqual([
      [
        'warning',
        { file: SPEC, line: 55, column: 20, pointer: '/components/schemas/Device/properties/label/pattern' },
        'pattern "(?m)^[a-z]+$" is not an ECMAScript regular expression (ECMAScript has no exact equivalent of the inline flag (?m)); the generated validator does not check it',
      ],
      [
        'warning',
        { file: SPEC, line: 63, column: 27, pointer: '/components/schemas/Device/properties/tags/patternProperties/^x-[a-z]++$' },
        'pattern "^x-[a-z]++$" is not an ECMAScript regular expression (Nothing to repeat); the generated validator does not check it nor the additionalProperties beside it',
      ],
    ]);
    expect(warnings[0]?.hint).toMatch(/leading \(\?i\)/);
  });

  it.each([
    ['hex in any case', { given: { serial: '0A1b2c' }, want: true }],
    ['not hex', { given: { serial: 'xyz' }, want: false }],
    ['\\A…\\z: a whole-input match', { given: { serial: 'ab', country: 'DE' }, want: true }],
    ['\\A…\\z: nothing after the end', { given: { serial: 'ab', country: 'DE\n' }, want: false }],
    ['an escaped hyphen', { given: { serial: 'ab', sku: 'SKU-1' }, want: true }],
    ['an escaped hyphen, missing', { given: { serial: 'ab', sku: 'SKU1' }, want: false }],
    ['a left-out pattern is not checked', { given: { serial: 'ab', label: 'UP CASE' }, want: true }],
    ['the rest of its schema still is', { given: { serial: 'ab', label: 'far too long' }, want: false }],
    ['a left-out patternProperties entry refuses nothing', { given: { serial: 'ab', tags: { 'x-a': 'b' } }, want: true }],
    ['the rest of the schema still requires serial', { given: { country: 'DE' }, want: false }],
  ])('the validator applies the translated patterns: %s', async (_name, { given, want }) => {
    const { validators } = await spec;
    expect(validators['validateDevice']?.(given)).toBe(want);
  });

  it('refuses a payload that breaks a translated pattern on publish, and delivers one that keeps it', async () => {
    const { client, transport } = await spec;
    const got: unknown[] = [];
    const errors: unknown[] = [];
    await client['receiveRegistered']!.subscribe((payload: unknown) => void got.push(payload), { onError: (e: unknown) => void errors.push(e) });
    await expect(client['publishRegistered']!.publish({ serial: 'not-hex' })).rejects.toThrow(/\/serial must match pattern/);
    await client['publishRegistered']!.publish({ serial: 'DEADbeef' });
    await transport.publish('devices', json({ serial: 'zz' }));
    await transport.idle();
    expect(got).toEqual([{ serial: 'DEADbeef' }]);
    expect(errors).toHaveLength(1);
    await transport.close();
  });
});

describe('a Protobuf payload with protoc-gen-validate rules (test/fixtures/robust/protobuf-validate.yaml)', () => {
  const PROTO = path.join(ROOT, 'test', 'fixtures', 'robust', 'protobuf-validate.yaml');
  const spec = generated(PROTO, 'patterns/protobuf');

  it.each([
    ['hex in upper case, through the translated (?i)', { given: { checksum: 'DEADBEEF', channel: 'stable' }, want: true }],
    ['not hex', { given: { checksum: 'not-hex!', channel: 'stable' }, want: false }],
    ['the left-out (?m) pattern is not checked', { given: { checksum: 'deadbeef', channel: 'nightly' }, want: true }],
  ])('generates a validator that applies what it can: %s', async (_name, { given, want }) => {
    const { validators } = await spec;
    expect(validators['validateReleased']?.(given)).toBe(want);
  });

  it('warns about the pattern inside the .proto text by its schema and path, the file being all it can point at', async () => {
    const { diagnostics } = await spec;
    expect(diagnostics.filter((d) => d.code === 'pattern-not-portable').map((d) => [d.location, d.message])).toEqual([
      [
        { file: PROTO },
        'pattern "(?m)^(stable|beta)$" (schema Released at /properties/channel/pattern) is not an ECMAScript regular expression (ECMAScript has no exact equivalent of the inline flag (?m)); the generated validator does not check it',
      ],
    ]);
  });
});
