/**
 * The validators leave out Ajv's first-error counting where it cannot change anything
 * (src/validators/first-error.ts). Differential: every spec of the fixtures, the public and
 * Springwolf corpora and both real specs is compiled both ways, and both answer alike, verdict and
 * error objects, on made-up values of every validated definition and on values broken from them
 * (a field taken out, a field of each wrong type, one level down too).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSync, type JsonSchema as FakerSchema } from 'json-schema-faker';
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../src/generate.js';
import { compileValidators, validatorExports } from '../src/validators/ajv.js';
import { FIXTURES_DIR, OUT, PUBLIC_DIR, ROOT, SEED_SPECS } from './support/specs.js';

type Validator = ((value: unknown) => boolean) & { errors?: unknown };

async function specsIn(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

const SPECS = [
  ...SEED_SPECS.map(([, s]) => path.join(ROOT, s)),
  ...(await specsIn(FIXTURES_DIR)),
  ...(await specsIn(PUBLIC_DIR)),
  ...(await specsIn(path.join(ROOT, 'test', 'fixtures', 'springwolf'))),
  ...(await specsIn(path.join(ROOT, 'test', 'fixtures', 'robust'))),
  ...(await specsIn(path.join(ROOT, 'test', 'fixtures', 'corpus'))),
];

const WRONG: readonly unknown[] = [null, 0, 1.5, -1, '', 'x', '2026-01-01T00:00:00Z', true, [], [1], {}, { a: 1 }];

/** Made-up values of a definition, and each broken once: a field removed, a field of every wrong kind, one level down too. */
function values(definition: string, definitions: Record<string, unknown>): unknown[] {
  const made: unknown[] = [];
  for (const seed of [1, 2, 3]) {
    try {
      made.push(
        generateSync({ $ref: `#/definitions/${definition}`, definitions } as FakerSchema, {
          seed,
          alwaysFakeOptionals: seed !== 3,
          optionalsProbability: seed === 3 ? 0.5 : 1,
          maxDefaultItems: 2,
          maxDepth: 4,
          refResolver: (ref) => definitions[ref.replace('#/definitions/', '')] as FakerSchema,
        }),
      );
    } catch {
      // an unsatisfiable branch: the broken values below still stand
    }
  }
  const out: unknown[] = [...WRONG, ...made];
  const broken = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || depth > 1) return;
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    for (const [key, item] of entries) {
      const copy = (): Record<string | number, unknown> => (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
      const without = copy();
      delete without[key];
      out.push(without);
      for (const w of WRONG) out.push({ ...copy(), [key]: w });
      broken(item, depth + 1);
    }
  };
  for (const m of made) broken(m, 0);
  return out;
}

async function load(code: string, file: string): Promise<Record<string, Validator>> {
  await writeFile(file, code);
  return (await import(file)) as Record<string, Validator>;
}

describe('validators without the first-error counting answer as Ajv wrote them', () => {
  it.each(SPECS.map((s) => [path.relative(ROOT, s), s]))('%s', async (_name, spec) => {
    const { ir } = await generateFiles(spec);
    const exports = validatorExports(ir);
    if (exports.length === 0) return;
    const dir = path.join(OUT, 'first-error', path.basename(spec).replace(/\W/g, '_'));
    await mkdir(dir, { recursive: true });
    const simplified = await compileValidators(ir);
    const asWritten = await compileValidators(ir, undefined, { simplify: false });
    const a = await load(simplified.code, path.join(dir, 'simplified.mjs'));
    const b = await load(asWritten.code, path.join(dir, 'as-written.mjs'));
    const definitions = Object.fromEntries(ir.schemas.definitions) as Record<string, unknown>;
    let compared = 0;
    for (const e of exports) {
      for (const value of values(e.definition, definitions)) {
        // Header validators coerce in place: each side gets its own copy.
        const copyA = structuredClone(value);
        const copyB = structuredClone(value);
        const verdict = a[e.name]!(copyA);
        expect({ value, verdict, errors: a[e.name]!.errors, coerced: copyA }).toEqual({ value, verdict: b[e.name]!(copyB), errors: b[e.name]!.errors, coerced: copyB });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('takes the counting out of the real specs, which shrinks them', async () => {
    for (const [, spec] of SEED_SPECS) {
      const { ir } = await generateFiles(path.join(ROOT, spec));
      const simplified = (await compileValidators(ir)).code;
      const asWritten = (await compileValidators(ir, undefined, { simplify: false })).code;
      expect(simplified.length).toBeLessThan(asWritten.length * 0.9);
      expect(simplified).not.toMatch(/const _errs\d+ = errors;/);
    }
  });
});
