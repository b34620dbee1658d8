/**
 * Everything the generator writes must compile under the strictest settings a user may have,
 * with both module resolutions: both seed specs and every edge-case fixture.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles } from '../src/generate.js';
import { FIXTURES_DIR, OUT, PUBLIC_DIR, ROOT, SEED_SPECS } from './support/specs.js';
import { STRICT } from './support/strict.js';

const run = promisify(execFile);
const DIR = path.join(OUT, 'compile');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

async function specsIn(dir: string, prefix: string): Promise<Array<[string, string]>> {
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  return files.map((f): [string, string] => [`${prefix}${f.replace(/\..*$/, '')}`, path.join(dir, f)]);
}

/** Both seeds, the edge-case fixtures and the public examples (test/fixtures/public). */
async function specs(): Promise<Array<[string, string]>> {
  return [...SEED_SPECS.map(([name, spec]): [string, string] => [name, path.join(ROOT, spec)]), ...(await specsIn(FIXTURES_DIR, '')), ...(await specsIn(PUBLIC_DIR, 'public-'))];
}

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  for (const [name, spec] of await specs()) {
    const { files } = await generateFiles(spec);
    await writeFileSet(path.join(DIR, 'src', name), files);
  }
});

describe('generated code compiles with tsc --strict', () => {
  it.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['bundler', { module: 'ESNext', moduleResolution: 'bundler' }],
  ])('with moduleResolution %s', async (name, resolution) => {
    const config = path.join(DIR, `tsconfig.${name}.json`);
    await mkdir(DIR, { recursive: true });
    await writeFile(config, JSON.stringify({ compilerOptions: { ...STRICT, ...resolution }, include: ['src/**/*.ts'] }, null, 2));
    await writeFile(path.join(DIR, 'package.json'), '{ "type": "module" }\n');
    const result = await run(process.execPath, [TSC, '-p', config], { cwd: DIR }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  });

  it('covers every fixture', async () => {
    const generated = (await readdir(path.join(DIR, 'src'))).sort();
    expect(generated).toEqual((await specs()).map(([n]) => n).sort());
  });
});
