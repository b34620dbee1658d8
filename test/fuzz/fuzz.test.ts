/**
 * Property-based tests: random valid AsyncAPI 3.0 documents with hostile names and text must
 * generate (no crash, no CodegenError), generate the same bytes twice, compile under
 * `tsc --strict`, and import without running anything the spec says. Every document that once
 * failed is kept in test/fixtures/fuzz/ and checked the same way.
 *
 * Bounded for CI: a fixed seed and FUZZ_RUNS documents (default 12). Explore with, e.g.,
 * FUZZ_RUNS=300 FUZZ_SEED=$RANDOM npx vitest run test/fuzz/fuzz.test.ts
 * FUZZ_COMPILE_EACH=1 compiles inside the property, so a compile failure is shrunk too (slow).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUT, ROOT } from '../support/specs.js';
import { documentArb } from './arbitraries.js';
import { Batch } from './support.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 5_2024);
const COMPILE_EACH = process.env.FUZZ_COMPILE_EACH === '1';
/** Importing goes through vite's transform, so a long exploration imports a sample only. */
const MAX_IMPORTS = 40;
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'fuzz');

const batch = new Batch(path.join(OUT, 'fuzz'));
const hostile = globalThis as { __pwned?: unknown };

beforeAll(async () => {
  await batch.reset();
});

describe('fuzzing the generator with random valid documents', () => {
  it(
    `generates ${RUNS} documents (seed ${SEED}), each twice with the same bytes`,
    async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(documentArb, async (doc) => {
          const name = `case-${n++}`;
          const out = await batch.generate(name, await batch.spec(name, doc));
          if (COMPILE_EACH) {
            const errors = await batch.compile(name);
            if (errors !== '') throw new Error(`${out} does not compile:\n${errors}`);
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      expect(batch.cases.length).toBeGreaterThanOrEqual(RUNS);
    },
    120_000 + RUNS * 30_000,
  );

  it('generates every kept failure (test/fixtures/fuzz), each twice with the same bytes', async () => {
    const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const doc: unknown = JSON.parse(await readFile(path.join(FIXTURES, file), 'utf8'));
      const name = `fixture-${file.replace(/\.json$/, '')}`;
      await batch.generate(name, await batch.spec(name, doc));
    }
  });

  it(
    'compiles everything generated above in one tsc --strict run',
    async () => {
      expect(batch.cases.length).toBeGreaterThan(0);
      expect(await batch.compile()).toBe('');
    },
    120_000 + RUNS * 2_000,
  );

  it('imports the generated clients and builds each over the in-memory transport without running spec text', async () => {
    const memory = (await import(path.join(batch.dir, 'runtime', 'memory.ts'))) as { MemoryTransport: new () => { close(): Promise<void> } };
    const sample = [...batch.cases.filter((c) => c.startsWith('fixture-')), ...batch.cases.filter((c) => !c.startsWith('fixture-'))].slice(0, MAX_IMPORTS);
    expect(sample.length).toBeGreaterThan(0);
    delete hostile.__pwned;
    for (const name of sample) {
      const index = (await import(path.join(batch.dir, 'src', name, 'index.ts'))) as Record<string, unknown>;
      const factory = Object.entries(index).find(([k]) => /^create.*Client$/.test(k))?.[1];
      expect(typeof factory, name).toBe('function');
      const transport = new memory.MemoryTransport();
      const client = (factory as (t: unknown) => object)(transport);
      expect(Object.keys(client), name).toContain('channels');
      await transport.close();
      expect(hostile.__pwned, name).toBeUndefined();
    }
  });
});
