/** The output cache's key and store, on real files in a scratch folder. */
import { mkdir, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cacheEnabled } from '../../src/cache/index.js';
import { cacheKey, stableJson } from '../../src/cache/key.js';
import { prune, readEntry, writeEntry, type CacheEntry } from '../../src/cache/store.js';
import type { GenerateOptions } from '../../src/generate.js';
import { OUT } from '../support/specs.js';

const DIR = path.join(OUT, 'unit-cache');
const SPEC = path.join(DIR, 'spec.yaml');
const SCHEMA = path.join(DIR, 'schemas', 'a.json');
const PARTIALS = path.join(DIR, 'partials');

const SPEC_TEXT = "asyncapi: 3.0.0\ncomponents:\n  schemas:\n    a: { $ref: 'schemas/a.json' }\n";
const job: GenerateOptions = { spec: SPEC, output: path.join(DIR, 'out'), transports: ['nats'] };
const withPartials: GenerateOptions = { ...job, templates: PARTIALS };

beforeEach(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(path.dirname(SCHEMA), { recursive: true });
  await mkdir(PARTIALS, { recursive: true });
  await writeFile(SPEC, SPEC_TEXT);
  await writeFile(SCHEMA, '{ "type": "string" }\n');
  await writeFile(path.join(PARTIALS, 'header.hbs'), '// mine\n');
});

describe('stableJson', () => {
  it.each<[string, { given: [unknown, unknown]; same: boolean }]>([
    [
      'key order does not matter',
      {
        given: [
          { a: 1, b: { c: 2, d: 3 } },
          { b: { d: 3, c: 2 }, a: 1 },
        ],
        same: true,
      },
    ],
    ['an undefined field is an absent one', { given: [{ a: 1, b: undefined }, { a: 1 }], same: true }],
    ['list order matters', { given: [{ t: ['nats', 'mqtt'] }, { t: ['mqtt', 'nats'] }], same: false }],
    ['values matter', { given: [{ validation: true }, { validation: false }], same: false }],
  ])('%s', (_name, { given: [a, b], same }) => {
    expect(stableJson(a) === stableJson(b)).toBe(same);
  });
});

describe('cacheKey', () => {
  it('is the same for the same inputs, wherever the output goes', async () => {
    const key = await cacheKey(job, 'build-1');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await cacheKey({ ...job, output: path.join(DIR, 'elsewhere') }, 'build-1')).toBe(key);
  });

  it.each<[string, () => Promise<[GenerateOptions, string]>]>([
    ['the spec changes', async () => (await writeFile(SPEC, `${SPEC_TEXT}# edited\n`), [withPartials, 'build-1'])],
    ['a file the spec $refs changes', async () => (await writeFile(SCHEMA, '{ "type": "number" }\n'), [withPartials, 'build-1'])],
    ['an option changes', async () => [{ ...withPartials, modelStyle: 'type' }, 'build-1']],
    ['the generator changes', async () => [withPartials, 'build-2']],
    ['a user partial changes', async () => (await writeFile(path.join(PARTIALS, 'header.hbs'), '// theirs\n'), [withPartials, 'build-1'])],
  ])('changes when %s', async (_name, change) => {
    const before = await cacheKey(withPartials, 'build-1');
    const [changed, build] = await change();
    const after = await cacheKey(changed, build);
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  it.each<[string, string]>([
    ['the spec $refs a URL', "asyncapi: 3.0.0\ncomponents:\n  schemas:\n    a: { $ref: 'https://example.com/a.json' }\n"],
    ['a file it $refs refs a URL in turn', SPEC_TEXT],
  ])('is undefined (no caching) when %s', async (name, text) => {
    await writeFile(SPEC, text);
    if (name.startsWith('a file')) await writeFile(SCHEMA, '{ "$ref": "http://example.com/b.json" }\n');
    expect(await cacheKey(job, 'build-1')).toBeUndefined();
  });

  it('is undefined for a spec that cannot be read, so generating reports it', async () => {
    expect(await cacheKey({ ...job, spec: path.join(DIR, 'missing.yaml') }, 'build-1')).toBeUndefined();
  });
});

describe('the store', () => {
  const folder = path.join(DIR, 'cache');
  const entry: CacheEntry = {
    files: [
      ['index.ts', 'export {};\n'],
      ['models.ts', '// models\n'],
    ],
    diagnostics: [{ severity: 'warning', code: 'w', message: 'careful', hint: 'do this', location: { file: 'spec.yaml', line: 3, column: 5, pointer: '/a' } }],
  };

  it('gives back what was stored, and leaves no temporary file', async () => {
    await writeEntry(folder, 'k1', entry);
    expect(await readEntry(folder, 'k1')).toEqual(entry);
    expect(await readdir(folder)).toEqual(['k1.json']);
  });

  it.each<[string, string]>([
    ['a cut-off file', '{"format":1,"files":[["index.ts"'],
    ['another format', JSON.stringify({ format: 99, files: [], diagnostics: [] })],
    ['a wrong shape', JSON.stringify({ format: 1, files: [['index.ts', 1]], diagnostics: [] })],
    ['not JSON at all', '\u0000\u0001'],
  ])('treats %s as a miss', async (_name, text) => {
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'k1.json'), text);
    expect(await readEntry(folder, 'k1')).toBeUndefined();
    await writeEntry(folder, 'k1', entry);
    expect(await readEntry(folder, 'k1')).toEqual(entry);
  });

  it('prunes to the most recently used entries', async () => {
    await mkdir(folder, { recursive: true });
    for (let i = 0; i < 5; i++) {
      await writeFile(path.join(folder, `k${i}.json`), '{}');
      const time = new Date(Date.UTC(2024, 0, 1 + i));
      await utimes(path.join(folder, `k${i}.json`), time, time);
    }
    await prune(folder, 3);
    expect((await readdir(folder)).sort()).toEqual(['k2.json', 'k3.json', 'k4.json']);
  });

  it('keeps an entry that was just read when pruning', async () => {
    await writeEntry(folder, 'old', entry);
    const past = new Date(Date.UTC(2020, 0, 1));
    await utimes(path.join(folder, 'old.json'), past, past);
    await writeEntry(folder, 'newer', entry);
    // Written well before the read below (timestamps within one millisecond would not order them).
    const earlier = new Date(Date.UTC(2021, 0, 1));
    await utimes(path.join(folder, 'newer.json'), earlier, earlier);
    await readEntry(folder, 'old');
    await writeEntry(folder, 'newest', entry, 2);
    expect((await readdir(folder)).sort()).toEqual(['newest.json', 'old.json']);
    expect(JSON.parse(await readFile(path.join(folder, 'old.json'), 'utf8'))).toMatchObject({ format: 1 });
  });
});

describe('cacheEnabled', () => {
  it.each<[string, boolean | undefined, string | undefined, boolean]>([
    ['on by default', undefined, undefined, true],
    ['--no-cache', false, undefined, false],
    ['CODEGEN_CACHE=0', undefined, '0', false],
    ['CODEGEN_CACHE=off', undefined, 'off', false],
    ['CODEGEN_CACHE=1', undefined, '1', true],
  ])('%s', (_name, flag, env, want) => {
    expect(cacheEnabled(flag, env === undefined ? {} : { CODEGEN_CACHE: env })).toBe(want);
  });
});
