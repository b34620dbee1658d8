/**
 * The output cache, through the real binary: a second run reuses the first's files and warnings,
 * and anything the output depends on (the spec, a file it $refs, an option, the generator build)
 * makes it generate anew. To see whether a run used the cache, without timing it, the stored
 * entries are marked: output that carries the mark came from the cache.
 */
import { cp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'cli-cache');
const CACHE = path.join(DIR, 'node_modules', '.cache', 'asyncapi-ts-codegen');
const MARK = '// served from the cache\n';

/** Two messages nothing tells apart: the run warns. Their payload lives in a file beside the spec. */
const SPEC = `asyncapi: 3.0.0
info: { title: cached, version: 1.0.0 }
channels:
  things:
    address: things
    messages:
      created: { $ref: '#/components/messages/created' }
      deleted: { $ref: '#/components/messages/deleted' }
operations:
  sendCreated: { action: send, channel: { $ref: '#/channels/things' }, messages: [{ $ref: '#/channels/things/messages/created' }] }
  sendDeleted: { action: send, channel: { $ref: '#/channels/things' }, messages: [{ $ref: '#/channels/things/messages/deleted' }] }
components:
  messages:
    created: { payload: { $ref: 'schemas/thing.json' } }
    deleted: { payload: { $ref: 'schemas/thing.json' } }
`;
const THING = `${JSON.stringify({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, null, 2)}\n`;

/** The outer environment must not move or switch off the cache. */
const ENV = { CACHE_DIR: '', CODEGEN_CACHE: '' };

function codegen(args: readonly string[], env: Record<string, string> = {}, bin?: string): Promise<Run> {
  if (bin === undefined) return runCli(args, { cwd: DIR, env: { ...ENV, ...env } });
  return promisify(execFile)(process.execPath, [bin, ...args], { cwd: DIR, env: { ...process.env, ...ENV, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof error.code === 'number' ? error.code : -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
}

async function entries(): Promise<string[]> {
  return (await readdir(CACHE).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
}

/** Every stored entry's models.ts gets MARK appended. */
async function markEntries(): Promise<void> {
  for (const name of await entries()) {
    const file = path.join(CACHE, name);
    const entry = JSON.parse(await readFile(file, 'utf8')) as { files: Array<[string, string]> };
    entry.files = entry.files.map(([rel, text]) => [rel, rel === 'models.ts' ? text + MARK : text]);
    await writeFile(file, JSON.stringify(entry));
  }
}

async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.set(path.relative(dir, path.join(entry.parentPath, entry.name)), await readFile(path.join(entry.parentPath, entry.name), 'utf8'));
  }
  return out;
}

const models = (out: string): Promise<string> => readFile(path.join(DIR, out, 'models.ts'), 'utf8');
/** The summary line without its timing. */
const summary = (run: Run): string => run.stdout.replace(/ in \d+\.\d+ s$/m, '');

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(path.join(DIR, 'schemas'), { recursive: true });
  await writeFile(path.join(DIR, 'package.json'), '{ "name": "cache-test", "private": true }\n');
  await writeFile(path.join(DIR, 'spec.yaml'), SPEC);
  await writeFile(path.join(DIR, 'schemas', 'thing.json'), THING);
});

describe('the output cache', () => {
  it('stores the first run in node_modules/.cache of the project; a second run gives the same files, summary and warnings', async () => {
    const first = await codegen(['generate', 'spec.yaml', '-o', 'first']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/warning .*\[ambiguous-messages\]/);
    expect(await entries()).toHaveLength(1);

    const second = await codegen(['generate', 'spec.yaml', '-o', 'second']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe(first.stderr);
    expect(summary(second)).toBe(summary(first).replace('→ first', '→ second'));
    expect(await tree(path.join(DIR, 'second'))).toEqual(await tree(path.join(DIR, 'first')));
    expect(await entries()).toHaveLength(1);
  });

  it('serves a hit from the cache without generating', async () => {
    await markEntries();
    const run = await codegen(['generate', 'spec.yaml', '-o', 'hit']);
    expect(run.code, run.stderr).toBe(0);
    expect(await models('hit')).toContain(MARK);
    // The writer sees the files as any others: a rerun finds them all unchanged.
    expect((await codegen(['generate', 'spec.yaml', '-o', 'hit'])).stdout).toMatch(/\(0 written, \d+ unchanged\)/);
  });

  it.each<[string, { change: () => Promise<void>; undo: () => Promise<void>; args?: string[] }]>([
    ['the spec', { change: () => writeFile(path.join(DIR, 'spec.yaml'), SPEC.replace('address: things', 'address: things.v2')), undo: () => writeFile(path.join(DIR, 'spec.yaml'), SPEC) }],
    [
      'a file the spec $refs',
      {
        change: () => writeFile(path.join(DIR, 'schemas', 'thing.json'), THING.replace('"id"', '"key"').replace('"id"', '"key"')),
        undo: () => writeFile(path.join(DIR, 'schemas', 'thing.json'), THING),
      },
    ],
    ['an option', { change: async () => {}, undo: async () => {}, args: ['--model-style', 'type'] }],
  ])('misses when %s changes, and hits again once it is back', async (_name, { change, undo, args = [] }) => {
    await markEntries();
    await change();
    try {
      const miss = await codegen(['generate', 'spec.yaml', '-o', 'changed', ...args]);
      expect(miss.code, miss.stderr).toBe(0);
      expect(await models('changed')).not.toContain(MARK);
    } finally {
      await undo();
    }
    await codegen(['generate', 'spec.yaml', '-o', 'back']);
    expect(await models('back')).toContain(MARK);
  });

  it('misses when the generator build changes (a template edited, the build run again)', async () => {
    // A second install of the generator: its own bin, bundle and templates, the same node_modules.
    const other = path.join(OUT, 'cli-cache-generator');
    await rm(other, { recursive: true, force: true });
    await mkdir(path.join(other, 'dist'), { recursive: true });
    for (const part of ['bin', 'scripts', 'templates', 'package.json', path.join('dist', 'bundle')]) await cp(path.join(ROOT, part), path.join(other, part), { recursive: true });
    await symlink(path.join(ROOT, 'node_modules'), path.join(other, 'node_modules'), 'dir');
    const errors = path.join(other, 'templates', 'runtime', 'errors.ts');
    await writeFile(errors, `${await readFile(errors, 'utf8')}// a newer generator\n`);
    await promisify(execFile)(process.execPath, [path.join(other, 'scripts', 'build.mjs'), '--fingerprint']);

    await markEntries();
    const run = await codegen(['generate', 'spec.yaml', '-o', 'newer'], {}, path.join(other, 'bin', 'codegen.js'));
    expect(run.code, run.stderr).toBe(0);
    expect(await models('newer')).not.toContain(MARK);
    expect(await readFile(path.join(DIR, 'newer', 'runtime', 'errors.ts'), 'utf8')).toContain('// a newer generator');
  });

  it('survives a corrupt entry: it generates anew and stores a readable entry', async () => {
    await rm(CACHE, { recursive: true, force: true });
    await codegen(['generate', 'spec.yaml', '-o', 'first']);
    const [name] = await entries();
    expect(name).toBeDefined();
    await writeFile(path.join(CACHE, name ?? ''), '{"format":1,"files":[["models.ts"');
    const run = await codegen(['generate', 'spec.yaml', '-o', 'after-corrupt']);
    expect(run.code, run.stderr).toBe(0);
    expect(await tree(path.join(DIR, 'after-corrupt'))).toEqual(await tree(path.join(DIR, 'first')));
    expect(JSON.parse(await readFile(path.join(CACHE, name ?? ''), 'utf8'))).toMatchObject({ format: 1 });
  });

  it.each<[string, { args: string[]; env: Record<string, string> }]>([
    ['--no-cache', { args: ['--no-cache'], env: {} }],
    ['CODEGEN_CACHE=0', { args: [], env: { CODEGEN_CACHE: '0' } }],
  ])('%s neither reads nor writes the cache', async (_name, { args, env }) => {
    await rm(CACHE, { recursive: true, force: true });
    const run = await codegen(['generate', 'spec.yaml', '-o', 'uncached', ...args], env);
    expect(run.code, run.stderr).toBe(0);
    expect(await entries()).toEqual([]);

    await codegen(['generate', 'spec.yaml', '-o', 'first']);
    await markEntries();
    const before = await readFile(path.join(CACHE, (await entries())[0] ?? ''), 'utf8');
    await codegen(['generate', 'spec.yaml', '-o', 'uncached', ...args], env);
    expect(await models('uncached')).not.toContain(MARK);
    expect(await readFile(path.join(CACHE, (await entries())[0] ?? ''), 'utf8')).toBe(before);
  });

  it('is never used by validate, which always reports from a full parse', async () => {
    await codegen(['generate', 'spec.yaml', '-o', 'first']);
    for (const name of await entries()) {
      const file = path.join(CACHE, name);
      const entry = JSON.parse(await readFile(file, 'utf8')) as { diagnostics: unknown[] };
      entry.diagnostics.push({ severity: 'warning', code: 'from-cache', message: 'served from the cache' });
      await writeFile(file, JSON.stringify(entry));
    }
    const cached = await entries();
    const run = await codegen(['validate', 'spec.yaml']);
    expect(run.stdout).toMatch(/spec\.yaml: valid \(1 warning\)/);
    expect(run.stdout).not.toContain('from-cache');
    expect(await entries()).toEqual(cached);
  });
});
