import { describe, it, expect } from 'vitest';
import { Ajv } from 'ajv';
import { acceptAnything, checkWith, withValues, type RawValidator } from '../../templates/runtime/validation.js';

/** Compiles like the generator does (allErrors), so every problem is reported at once. */
function compile(schema: object, options: { coerceTypes?: boolean } = {}): RawValidator {
  return new Ajv({ allErrors: true, strict: false, ...options }).compile(schema) as RawValidator;
}

const event = compile({
  type: 'object',
  required: ['type', 'data'],
  properties: {
    type: { type: 'string', enum: ['session.begin', 'session.end'] },
    data: {
      type: 'object',
      required: ['subject'],
      additionalProperties: false,
      properties: {
        subject: { type: 'string' },
        count: { type: 'integer', minimum: 0 },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  },
});

interface Event {
  type: string;
  data: { subject: string; count?: number };
}

describe('checkWith over an Ajv validator', () => {
  const check = checkWith<Event>(event);

  it('passes a valid value through unchanged', () => {
    const value = { type: 'session.begin', data: { subject: 'u1', count: 2 } };
    const result = check(value);
    expect(result).toEqual({ ok: true, value });
    expect(result.ok && result.value).toBe(value);
  });

  it.each([
    ['required points at the missing field', { given: { type: 'session.begin', data: {} }, want: [{ pointer: '/data/subject', keyword: 'required', message: 'is required' }] }],
    ['required at the root', { given: { data: { subject: 's' } }, want: [{ pointer: '/type', keyword: 'required', message: 'is required' }] }],
    [
      'additionalProperties points at the extra field',
      { given: { type: 'session.begin', data: { subject: 's', extra: 1 } }, want: [{ pointer: '/data/extra', keyword: 'additionalProperties', message: 'is not allowed' }] },
    ],
    ['type keeps the instance path', { given: { type: 'session.begin', data: { subject: 5 } }, want: [{ pointer: '/data/subject', keyword: 'type', message: 'must be string' }] }],
    [
      'type inside an array keeps the index',
      { given: { type: 'session.begin', data: { subject: 's', tags: ['a', 3] } }, want: [{ pointer: '/data/tags/1', keyword: 'type', message: 'must be string' }] },
    ],
    ['minimum keeps the instance path', { given: { type: 'session.begin', data: { subject: 's', count: -1 } }, want: [{ pointer: '/data/count', keyword: 'minimum', message: 'must be >= 0' }] }],
    ['enum keeps the instance path', { given: { type: 'other', data: { subject: 's' } }, want: [{ pointer: '/type', keyword: 'enum', message: 'must be equal to one of the allowed values' }] }],
    ['the whole value has pointer ""', { given: 'not an object', want: [{ pointer: '', keyword: 'type', message: 'must be object' }] }],
  ])('%s', (_name, { given, want }) => {
    const result = check(given);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual(want);
  });

  it('reports every problem at once', () => {
    const result = check({ type: 1, data: { extra: true, count: 'x' } });
    expect(result.ok).toBe(false);
    const pointers = !result.ok ? result.issues.map((i) => i.pointer).sort() : [];
    expect(pointers).toEqual(['/data/count', '/data/extra', '/data/subject', '/type', '/type'].sort());
  });

  it('does not keep errors from an earlier failed call', () => {
    expect(check({}).ok).toBe(false);
    expect(check({ type: 'session.end', data: { subject: 's' } }).ok).toBe(true);
  });
});

describe('JSON pointer escaping', () => {
  const strict = compile({
    type: 'object',
    required: ['a/b', 'c~d'],
    properties: { 'a/b': {}, 'c~d': {}, 'n~/m': { type: 'integer' } },
    additionalProperties: false,
  });
  const check = checkWith(strict);

  it.each([
    ['"/" in a missing key becomes ~1', { given: { 'c~d': 1 }, want: '/a~1b' }],
    ['"~" in a missing key becomes ~0', { given: { 'a/b': 1 }, want: '/c~0d' }],
    ['both in an extra key', { given: { 'a/b': 1, 'c~d': 1, 'x~/y': 1 }, want: '/x~0~1y' }],
    // Ajv escapes instancePath itself; checkWith must not escape it twice.
    ['both in an instance path', { given: { 'a/b': 1, 'c~d': 1, 'n~/m': 'x' }, want: '/n~0~1m' }],
  ])('%s', (_name, { given, want }) => {
    const result = check(given);
    expect(!result.ok && result.issues.map((i) => i.pointer)).toEqual([want]);
  });
});

describe('dependencies', () => {
  it('points at the field that the present one needs, and says it is required', () => {
    const check = checkWith(compile({ type: 'object', dependencies: { card: ['billingAddress'] } }));
    const result = check({ card: '4111' });
    expect(!result.ok && result.issues).toEqual([{ pointer: '/billingAddress', keyword: 'dependencies', message: 'is required' }]);
  });
});

describe('coercing validators', () => {
  it('returns the coerced value', () => {
    const check = checkWith<{ retries: number; trace?: boolean }>(compile({ type: 'object', properties: { retries: { type: 'integer' }, trace: { type: 'boolean' } } }, { coerceTypes: true }));
    const result = check({ retries: '5', trace: 'true' });
    expect(result).toEqual({ ok: true, value: { retries: 5, trace: true } });
  });
});

describe('acceptAnything', () => {
  it.each([
    ['an object', { given: { a: 1 } }],
    ['null', { given: null }],
    ['a string', { given: 'x' }],
  ])('accepts %s', (_name, { given }) => {
    expect(acceptAnything()(given)).toEqual({ ok: true, value: given });
  });
});

describe('a validator without errors', () => {
  it('fails with no issues rather than throwing', () => {
    const bare: RawValidator = () => false;
    expect(checkWith(bare)(1)).toEqual({ ok: false, issues: [] });
  });

  it('falls back to the keyword when Ajv gave no message', () => {
    const bare: RawValidator = Object.assign(() => false, { errors: [{ instancePath: '/x', keyword: 'custom', params: {} }] });
    expect(checkWith(bare)(1)).toEqual({ ok: false, issues: [{ pointer: '/x', keyword: 'custom', message: 'fails custom' }] });
  });
});

describe('a validator that throws', () => {
  const overflow = (): never => {
    throw new RangeError('Maximum call stack size exceeded');
  };
  const failed = (reason: string) => [{ pointer: '', keyword: 'validator', message: `could not be checked: the validator failed (${reason})` }];

  it.each([
    ['a stack overflow', { given: overflow, want: failed('RangeError: Maximum call stack size exceeded') }],
    [
      'a bug',
      {
        given: (): never => {
          throw new TypeError("Cannot read properties of undefined (reading 'x')");
        },
        want: failed("TypeError: Cannot read properties of undefined (reading 'x')"),
      },
    ],
    [
      'a thrown string',
      {
        given: (): never => {
          throw 'boom';
        },
        want: failed('boom'),
      },
    ],
    [
      'a thrown non-Error',
      {
        given: (): never => {
          throw { secret: 's3cr3t' };
        },
        want: failed('a non-Error value'),
      },
    ],
    [
      'a reason too long for one line',
      {
        given: (): never => {
          throw new Error('x'.repeat(500));
        },
        want: failed(`Error: ${'x'.repeat(112)}…`),
      },
    ],
  ])('refuses the value instead of throwing: %s', (_name, { given, want }) => {
    const result = checkWith(given as RawValidator)({ password: 's3cr3t' });
    expect(result).toEqual({ ok: false, issues: want });
  });

  it('never echoes the value in the report', () => {
    const value = { password: 's3cr3t' };
    const result = checkWith(overflow as RawValidator)(value);
    const issues = withValues(result.ok ? [] : result.issues, value);
    expect(issues).toEqual(failed('RangeError: Maximum call stack size exceeded'));
    expect(JSON.stringify(issues)).not.toContain('s3cr3t');
  });

  it('still passes values once the validator stops throwing', () => {
    let calls = 0;
    const flaky: RawValidator = () => {
      if (calls++ === 0) throw new RangeError('Maximum call stack size exceeded');
      return true;
    };
    const check = checkWith(flaky);
    expect(check(1).ok).toBe(false);
    expect(check(1)).toEqual({ ok: true, value: 1 });
  });
});

describe('every check is a Standard Schema', () => {
  const check = checkWith<Event>(event);

  it('says so the way the spec asks: version 1 and a vendor', () => {
    expect(check['~standard']).toMatchObject({ version: 1, vendor: 'asyncapi-ts-codegen' });
  });

  it('returns the value when it passes', () => {
    const value = { type: 'session.begin', data: { subject: 'u' } };
    expect(check['~standard'].validate(value)).toEqual({ value });
  });

  it('returns issues with paths (array indices as numbers, pointer escapes undone) when it fails', () => {
    const result = check['~standard'].validate({ type: 'session.begin', data: { subject: 'u', count: -1, tags: ['a', 7], 'a/b': 1 } });
    expect(result).toEqual({
      issues: expect.arrayContaining([
        { message: '/data/count must be >= 0', path: ['data', 'count'] },
        { message: '/data/tags/1 must be string', path: ['data', 'tags', 1] },
        { message: '/data/a~1b is not allowed', path: ['data', 'a/b'] },
      ]),
    });
  });

  it('acceptAnything passes everything through, as a Standard Schema too', () => {
    expect(acceptAnything<unknown>()['~standard'].validate(42)).toEqual({ value: 42 });
  });
});
