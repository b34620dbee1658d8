/**
 * The validators module links Ajv's helpers itself (src/validators/link.ts): each format copied
 * with only the declarations it needs must answer as ajv-formats does, and the unused schema
 * constants Ajv declares are dropped while used ones stay.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { formatsModule, link, withoutUnusedSchemas } from '../../src/validators/link.js';

const { fullFormats } = createRequire(import.meta.url)('ajv-formats/dist/formats') as { fullFormats: Record<string, unknown> };

type Format = RegExp | ((s: string) => boolean) | { validate: RegExp | ((s: string) => boolean); compare?: (a: string, b: string) => number | undefined } | boolean;

function load(names: readonly string[]): Record<string, Format> {
  const module = { exports: {} as Record<string, Format> };
  new Function('module', 'exports', 'require', formatsModule(new Set(names)))(module, module.exports, () => {
    throw new Error('a copied format requires nothing');
  });
  return module.exports;
}

const check = (f: Format, s: string): unknown => {
  const v = typeof f === 'object' && !(f instanceof RegExp) ? f.validate : f;
  return v instanceof RegExp ? v.test(s) : typeof v === 'function' ? v(s) : v;
};

const SAMPLES = [
  '',
  '2026-12-02',
  '2026-02-30',
  '2026-12-02T01:02:03Z',
  '2026-12-02T01:02:03',
  '23:59:60Z',
  '12:00:00+01:00',
  'P1D',
  'https://example.com/a?b#c',
  '/relative',
  'a b',
  'me@example.com',
  'example.com',
  '127.0.0.1',
  '::1',
  '[a-z',
  '^a+$',
  '123e4567-e89b-12d3-a456-426614174000',
  '/a~1b',
  '#/a',
  '0#',
  'aGVsbG8=',
  '{x}',
  '42',
  '-1.5',
  String(2 ** 31),
];

describe('formatsModule', () => {
  it.each(Object.keys(fullFormats))('copies %s so that it answers as ajv-formats does', (name) => {
    const copied = load([name])[name] as Format;
    const original = fullFormats[name] as Format;
    expect(typeof copied).toBe(typeof original);
    for (const s of SAMPLES) expect([s, check(copied, s)]).toEqual([s, check(original, s)]);
    if (typeof original === 'object' && !(original instanceof RegExp) && typeof (original as { compare?: unknown }).compare === 'function') {
      const compare = (f: Format) => (f as { compare: (a: string, b: string) => number | undefined }).compare;
      expect(compare(copied)(SAMPLES[1] ?? '', SAMPLES[3] ?? '')).toEqual(compare(original)(SAMPLES[1] ?? '', SAMPLES[3] ?? ''));
    }
  });

  it('copies only the formats asked for and what they use, not the whole table', () => {
    const one = formatsModule(new Set(['date-time']));
    expect(one).toContain('exports["date-time"]');
    expect(one).not.toContain('uri-template');
    expect(one.length).toBeLessThan(4000);
  });
});

describe('withoutUnusedSchemas', () => {
  it.each([
    ['drops a schema nobody reads', { given: 'const schema1 = {"a":"x;y","b":[1,{"c":"}"}]};function validate(){}', want: 'function validate(){}' }],
    [
      'keeps a schema the code reads',
      { given: 'const schema2 = {"enum":["a"]};function validate(d){return schema2.enum.includes(d)}', want: 'const schema2 = {"enum":["a"]};function validate(d){return schema2.enum.includes(d)}' },
    ],
    ['drops a boolean schema', { given: 'const schema3 = true;x()', want: 'x()' }],
  ])('%s', (_name, { given, want }) => {
    expect(withoutUnusedSchemas(given)).toBe(want);
  });
});

describe('link', () => {
  it('links the formats a part names either way Ajv writes them, and refuses a module it cannot find', () => {
    const part =
      '"use strict";exports.v = validate0;const f0 = require("codegen:formats").int32;const f1 = require("codegen:formats")["date-time"];function validate0(d){return f0.validate(d) && f1.validate("2026-12-02T00:00:00Z")}';
    const code = link({ parts: [part], modules: {}, prelude: 'const id = (f) => f;', exports: [{ name: 'validateV', part: 0, compiled: 'v' }], wrap: 'id' });
    expect(code).toContain('exports["int32"]');
    expect(code).toContain('exports["date-time"]');
    expect(code).toContain('export const validateV = id(part0.v);');
    expect(() => link({ parts: ['const x = require("nowhere");'], modules: {}, prelude: '', exports: [], wrap: 'id' })).toThrow(/nowhere/);
  });
});
