/** `codegen check`: fresh, stale, missing and extra files, through the real binary; the diff in process. */
import { cp, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/emit/unified.js';
import { runCli, type Run } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'cli-check');

async function codegen(args: readonly string[], cwd = DIR, env: Record<string, string> = {}): Promise<Run> {
  return runCli(args, { cwd, env });
}

const MINE = 'export const mine = 1;\n';
/** How many files `generate` said it wrote into `base`: `check` must count the same. */
let generatedCount = '';

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(path.join(DIR, 'specs'), { recursive: true });
  await cp(path.join(ROOT, 'test', 'fixtures', 'config', 'tiny.yaml'), path.join(DIR, 'specs', 'tiny.yaml'));
  const run = await codegen(['generate', 'specs/tiny.yaml', '-o', 'base', '--transport', 'nats']);
  expect(run.code).toBe(0);
  generatedCount = /: (\d+) files \(/.exec(run.stdout)?.[1] ?? 'none';
  await writeFile(path.join(DIR, 'base', 'mine.ts'), MINE);
});

describe('codegen check', () => {
  it.each<[string, string, (out: string) => Promise<void>, string[], RegExp[]]>([
    ['fresh output, with a file of the user beside it', 'fresh', async () => {}, ['--transport', 'nats'], [/^specs\/tiny\.yaml → fresh: up to date \(\d+ files\)$/m]],
    [
      'a stale file, with a short unified diff',
      'stale',
      async (out) => writeFile(path.join(out, 'models.ts'), (await readFile(path.join(out, 'models.ts'), 'utf8')).replace('at?: string', 'at?: number')),
      ['--transport', 'nats'],
      [
        /^specs\/tiny\.yaml → stale: out of date \(1 stale\)\n {2}stale {4}stale\/models\.ts\n\n--- stale\/models\.ts \(on disk\)\n\+\+\+ stale\/models\.ts \(generated\)\n@@ -\d+,\d+ \+\d+,\d+ @@\n/m,
        /^-\s+at\?: number;$/m,
        /^\+\s+at\?: string;$/m,
      ],
    ],
    ['a missing file', 'missing', async (out) => unlink(path.join(out, 'client.ts')), ['--transport', 'nats'], [/out of date \(1 missing\)\n {2}missing {2}missing\/client\.ts$/m]],
    [
      'an extra file: generated earlier, no longer produced',
      'extra',
      async () => {},
      ['--transport', 'memory'],
      [
        /out of date \(1 stale, \d+ extra\)\n {2}stale {4}extra\/\.codegen-manifest\.json\n/,
        /^ {2}extra {4}extra\/runtime\/nats\.ts \(generated earlier, no longer produced\)$/m,
        /^-\s+"runtime\/nats\.ts",$/m,
      ],
    ],
  ])('%s', async (_name, folder, change, flags, want) => {
    const out = path.join(DIR, folder);
    await cp(path.join(DIR, 'base'), out, { recursive: true });
    await change(out);
    const before = await readFile(path.join(out, 'models.ts'), 'utf8').catch(() => '');
    const run = await codegen(['check', 'specs/tiny.yaml', '-o', folder, ...flags]);
    expect(run.stderr).toBe('');
    for (const pattern of want) expect(run.stdout).toMatch(pattern);
    if (folder === 'fresh') expect(run.stdout).toContain(`up to date (${generatedCount} files)`);
    expect(run.code).toBe(folder === 'fresh' ? 0 : 1);
    if (folder !== 'fresh') expect(run.stdout).toContain(`1 of 1 spec out of date: run \`codegen generate specs/tiny.yaml -o ${folder} ${flags.join(' ')}\` and commit the result`);
    expect(run.stdout).not.toContain('mine.ts');
    expect(await readFile(path.join(out, 'mine.ts'), 'utf8')).toBe(MINE);
    expect(await readFile(path.join(out, 'models.ts'), 'utf8').catch(() => '')).toBe(before); // check writes nothing
    expect((await codegen(['check', 'specs/tiny.yaml', '-o', folder, ...flags])).stdout).toBe(run.stdout); // and says the same twice
  });

  it('writes GitHub annotations for each file under GITHUB_ACTIONS=true', async () => {
    const run = await codegen(['check', 'specs/tiny.yaml', '-o', 'missing', '--transport', 'nats'], DIR, { GITHUB_ACTIONS: 'true' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error file=missing/client.ts,title=stale-output::missing/client.ts is missing from specs/tiny.yaml\n');
  });

  it('checks every spec of the config when given none', async () => {
    await writeFile(
      path.join(DIR, 'codegen.config.json'),
      JSON.stringify({
        options: { transports: ['nats'] },
        specs: [
          { spec: 'specs/tiny.yaml', output: 'fresh' },
          { spec: 'specs/tiny.yaml', output: 'missing' },
        ],
      }),
    );
    const run = await codegen(['check'], path.join(DIR, 'specs'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^tiny\.yaml → \.\.\/fresh: up to date/m);
    expect(run.stdout).toMatch(/^tiny\.yaml → \.\.\/missing: out of date \(1 missing\)\n {2}missing {2}\.\.\/missing\/client\.ts$/m);
    expect(run.stdout).toMatch(/1 of 2 specs out of date: run `codegen generate` and commit the result\n$/);
  });

  it('exits 1 with the spec error when the spec is broken', async () => {
    const run = await codegen(['check', path.join('..', '..', 'fixtures', 'broken', 'bad-action.yaml'), '-o', 'fresh']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad-action\.yaml:10:13: error/);
  });
});

describe('unifiedDiff', () => {
  const lines = (n: number, f: (i: number) => string): string => `${Array.from({ length: n }, (_, i) => f(i + 1)).join('\n')}\n`;

  it.each([
    ['one changed line', lines(10, (i) => `l${i}`), lines(10, (i) => (i === 5 ? 'five' : `l${i}`)), ['@@ -2,7 +2,7 @@', ' l4', '-l5', '+five', ' l6', ' l8']],
    ['an insertion at the start', 'b\nc\n', 'a\nb\nc\n', ['@@ -1,2 +1,3 @@', '+a', ' b', ' c']],
    ['a deletion at the end', 'a\nb\nc\n', 'a\nb\n', ['@@ -1,3 +1,2 @@', ' a', ' b', '-c']],
    [
      'two distant changes as two hunks',
      lines(30, (i) => `l${i}`),
      lines(30, (i) => (i === 2 || i === 28 ? `x${i}` : `l${i}`)),
      ['@@ -1,5 +1,5 @@', '-l2', '+x2', '@@ -25,6 +25,6 @@', '-l28', '+x28'],
    ],
  ])('shows %s', (_name, from, to, want) => {
    const diff = unifiedDiff(from, to, { fromLabel: 'a', toLabel: 'b' }).split('\n');
    expect(diff.slice(0, 2)).toEqual(['--- a', '+++ b']);
    let at = 0;
    for (const line of want) {
      const found = diff.indexOf(line, at);
      expect(found, `${line} in\n${diff.join('\n')}`).toBeGreaterThanOrEqual(at);
      at = found;
    }
  });

  it('caps a long diff and counts what it left out', () => {
    const diff = unifiedDiff(
      lines(500, (i) => `a${i}`),
      lines(500, (i) => `b${i}`),
      { fromLabel: 'a', toLabel: 'b', maxLines: 20 },
    );
    expect(diff.split('\n')).toHaveLength(2 + 20 + 1);
    expect(diff).toMatch(/\n… 981 more changed lines$/);
  });

  it('says so when only line endings differ', () => {
    expect(unifiedDiff('a\r\nb\r\n', 'a\nb\n', { fromLabel: 'a', toLabel: 'b' })).toBe('(only line endings or the final newline differ)');
  });
});
