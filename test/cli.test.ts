/** The real binary, spawned as a user runs it. */
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'cli');

async function codegen(args: readonly string[], cwd = DIR): Promise<Run> {
  return runCli(args, { cwd });
}

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(path.join(DIR, 'specs'), { recursive: true });
  await cp(path.join(ROOT, 'specs'), path.join(DIR, 'specs'), { recursive: true });
  await cp(path.join(ROOT, 'codegen.config.json'), path.join(DIR, 'codegen.config.json'));
});

describe('codegen', () => {
  it('with no arguments generates every spec of the config, one folder each, and says so in a line each', async () => {
    const run = await codegen([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^specs\/user-sessions\.asyncapi\.json → generated\/user-sessions: (\d+) files \(\1 written, 0 unchanged\) in \d+\.\d\d s$/m);
    expect(run.stdout).toMatch(/^specs\/iam-client-events\.asyncapi\.yaml → generated\/iam-client-events: \d+ files/m);
    expect((await readdir(path.join(DIR, 'generated', 'user-sessions'))).sort()).toEqual(['.codegen-manifest.json', 'client.ts', 'index.ts', 'models.ts', 'runtime', 'validators.ts']);
  });

  it('finds the config from a sub-folder and leaves unchanged files alone', async () => {
    const run = await codegen([], path.join(DIR, 'specs'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^user-sessions\.asyncapi\.json → \.\.\/generated\/user-sessions: (\d+) files \(0 written, \1 unchanged\)/m);
  });

  it("generate <spec> -o <dir> writes one client whose entry is index.ts, keeping the user's files", async () => {
    const out = path.join(DIR, 'one');
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'mine.ts'), 'export const mine = 1;\n');
    const run = await codegen(['generate', 'specs/user-sessions.asyncapi.json', '-o', 'one']);
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toContain('index.ts');
    expect((await readdir(out)).sort()).toContain('mine.ts');
  });

  it.each([
    ['an unknown option', ['--nope']],
    ['an unknown command', ['frobnicate', 'x', 'y']],
    ['a missing option value', ['generate', 'specs/user-sessions.asyncapi.json', '-o']],
  ])('exits 2 on %s', async (_name, args) => {
    const run = await codegen(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error|unknown|too many/i);
  });

  it('prints help quickly and exits 0', async () => {
    const run = await codegen(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: codegen/);
    expect(run.stdout).toMatch(/generate \[options\] \[spec\]/);
  });
});
