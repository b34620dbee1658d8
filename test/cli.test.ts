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

async function exists(p: string): Promise<boolean> {
  return readdir(p).then(() => true, () => false);
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
    expect((await readdir(path.join(DIR, 'generated', 'user-sessions'))).sort()).toEqual(
      ['.codegen-manifest.json', 'client.ts', 'index.ts', 'models.ts', 'runtime', 'validators.ts'],
    );
  });

  it('finds the config from a sub-folder and leaves unchanged files alone', async () => {
    const run = await codegen([], path.join(DIR, 'specs'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^user-sessions\.asyncapi\.json → \.\.\/generated\/user-sessions: (\d+) files \(0 written, \1 unchanged\)/m);
  });

  it('generate <spec> -o <dir> writes one client whose entry is index.ts, keeping the user\'s files', async () => {
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

  it.each([
    ['a missing file', 'specs/missing.yaml', '', /missing\.yaml: error cannot read specs\/missing\.yaml: no such file/],
    ['a folder', 'specs', '', /specs is a folder/],
    ['an empty file', 'empty.yaml', '', /empty\.yaml:1:1: error empty\.yaml is empty/],
    [
      'an operation action that is neither send nor receive',
      'bad-action.yaml',
      'asyncapi: 3.0.0\ninfo:\n  title: t\n  version: "1"\nchannels:\n  a:\n    address: a\noperations:\n  op:\n    action: publish\n    channel:\n      $ref: "#/channels/a"\n',
      /bad-action\.yaml:10:13: error .*"send", "receive".*\n\s+at \/operations\/op\/action/,
    ],
    [
      'invalid JSON, reporting the syntax error alone',
      'broken.json',
      '{"asyncapi": "3.0.0", "info": {',
      /^broken\.json:2:1: error Unexpected end of the stream within a flow collection \[parser\]\n  hint: fix the JSON\/YAML syntax here/,
    ],
    [
      'an OpenAPI document',
      'openapi.yaml',
      'openapi: 3.0.0\ninfo: { title: t, version: "1" }\npaths: {}\n',
      /openapi\.yaml:1:1: error This is not an AsyncAPI document[^]*hint: an AsyncAPI document starts with `asyncapi: 3\.0\.0`/,
    ],
    ['invalid YAML', 'tabs.yaml', 'asyncapi: 3.0.0\ninfo:\n\ttitle: t\n', /tabs\.yaml:\d+:\d+: error/],
    [
      'an invalid AsyncAPI 2 document, at its place in the file as written',
      'old.yaml',
      'asyncapi: 2.6.0\ninfo:\n  title: t\nchannels: {}\n',
      /^old\.yaml:2:6: error "info" property must have required property "version"[^]*hint: compare this part with the AsyncAPI 2\.6 specification/,
    ],
    ['an AsyncAPI version nobody has written yet', 'future.yaml', 'asyncapi: 9.0.0\ninfo:\n  title: t\n  version: "1"\n', /future\.yaml:1:1: error Version "9\.0\.0" is not supported/],
  ])('exits 1 on %s, with file:line:col, no stack trace and nothing written', async (_name, file, contents, message) => {
    if (contents !== '') await writeFile(path.join(DIR, file), contents);
    else if (file === 'empty.yaml') await writeFile(path.join(DIR, file), '');
    const run = await codegen(['generate', file, '-o', 'broken-out']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(await exists(path.join(DIR, 'broken-out'))).toBe(false);
  });

  it('prints help quickly and exits 0', async () => {
    const run = await codegen(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: codegen/);
    expect(run.stdout).toMatch(/generate \[options\] \[spec\]/);
  });
});
