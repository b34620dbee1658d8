/** Config files and generation flags, through the real binary. */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'cli-config');
const TINY = path.join(ROOT, 'test', 'fixtures', 'config', 'tiny.yaml');

async function codegen(args: readonly string[], cwd: string): Promise<Run> {
  return runCli(args, { cwd });
}

/** A project folder: the config file, specs/tiny.yaml and an empty deep/er folder to run from. */
async function project(name: string, configFile: string, config: string): Promise<string> {
  const dir = path.join(DIR, name);
  await mkdir(path.join(dir, 'specs'), { recursive: true });
  await mkdir(path.join(dir, 'deep', 'er'), { recursive: true });
  await cp(TINY, path.join(dir, 'specs', 'tiny.yaml'));
  await writeFile(path.join(dir, configFile), config);
  return dir;
}

async function manifest(dir: string): Promise<string[]> {
  return (JSON.parse(await readFile(path.join(dir, '.codegen-manifest.json'), 'utf8')) as { files: string[] }).files;
}

const noStack = /\n\s+at .*\.(js|ts):\d+/;

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
});

describe('config discovery', () => {
  const define = (dir: string): string =>
    path
      .relative(dir, path.join(ROOT, 'dist', 'config', 'define.js'))
      .split(path.sep)
      .join('/');
  it.each([
    [
      'codegen.config.json, whose options are defaults for every spec',
      'json',
      'codegen.config.json',
      () => JSON.stringify({ options: { modelStyle: 'type' }, specs: [{ spec: 'specs/tiny.yaml', output: 'generated/tiny' }] }, null, 2),
      async (out: string) => expect(await readFile(path.join(out, 'models.ts'), 'utf8')).toMatch(/^export type Ping = \{/m),
    ],
    [
      'codegen.config.mjs, with a per-spec option',
      'mjs',
      'codegen.config.mjs',
      () => `export default { specs: [{ spec: 'specs/tiny.yaml', output: 'generated/tiny', transports: ['nats'] }] };\n`,
      async (out: string) => expect(await manifest(out)).toContain('runtime/nats.ts'),
    ],
    [
      'codegen.config.ts, written with defineConfig and TypeScript syntax',
      'ts',
      'codegen.config.ts',
      () =>
        `import { defineConfig } from '${define(path.join(DIR, 'ts'))}';\n` +
        `const validation: boolean = false;\n` +
        `export default defineConfig({ specs: [{ spec: 'specs/tiny.yaml', output: 'generated/tiny', validation }] });\n`,
      async (out: string) => expect(await manifest(out)).not.toContain('validators.ts'),
    ],
  ])('finds %s from a sub-folder, and its options reach the generator', async (_name, folder, file, config, check) => {
    const dir = await project(folder, file, config());
    const run = await codegen([], path.join(dir, 'deep', 'er'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\.\.\/\.\.\/specs\/tiny\.yaml → \.\.\/\.\.\/generated\/tiny: \d+ files \(\d+ written, 0 unchanged\) in \d+\.\d\d s$/m);
    await check(path.join(dir, 'generated', 'tiny'));
  });

  it('lets flags override the config: check with another model style finds models.ts stale', async () => {
    const run = await codegen(['check', '--model-style', 'interface'], path.join(DIR, 'json', 'deep'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}stale {4}\.\.\/generated\/tiny\/models\.ts$/m);
    expect(run.stdout).toMatch(/^-export type Ping = \{$/m);
    expect(run.stdout).toMatch(/^\+export interface Ping \{$/m);
  });

  it('reports every wrong key at once, each with file:line:col, pointer and hint, and generates nothing', async () => {
    const dir = await project('wrong', 'codegen.config.json', await readFile(path.join(ROOT, 'test', 'fixtures', 'config', 'wrong-keys.json'), 'utf8'));
    const run = await codegen([], dir);
    expect(run.code).toBe(1);
    const want = [
      ['2:3', 'unknown key "option" in the config', '/option', 'did you mean "options"? valid keys: $schema, options, specs'],
      [
        '4:5',
        'unknown key "modelstyle" in "options"',
        '/options/modelstyle',
        'did you mean "modelStyle"? valid keys: transports, validation, modelStyle, clientName, side, runtime, templates, allowExternalRefs, patches',
      ],
      ['5:28', 'unknown transport "zmq"', '/options/transports/1', 'valid transports: "nats", "mqtt", "amqp", "kafka", "webhook"'],
      ['8:56', '"validation" must be true or false', '/specs/0/validation', 'true (default) validates'],
      ['9:29', 'specs[1] writes into "generated/tiny", as specs[0] does', '/specs/1/output', 'each spec needs its own output folder'],
      ['9:57', '"clientName" must be an identifier, not "my client"', '/specs/1/clientName', 'e.g. "Orders", which gives createOrdersClient'],
    ];
    for (const [at, message, pointer, hint] of want) {
      expect(run.stderr).toContain(`codegen.config.json:${at}: error ${message} [invalid-config]\n  at ${pointer}\n  hint: ${hint}`);
    }
    expect(run.stderr).toMatch(/codegen\.config\.json has 6 problems\n$/);
    expect(run.stderr).not.toMatch(noStack);
    expect(await readdir(dir)).not.toContain('generated');
  });

  it.each([
    ['a config that throws', 'codegen.config.mjs', "throw new Error('boom');\n", /^codegen\.config\.mjs:1:7: error cannot load codegen\.config\.mjs: boom \[config-load-failed\]/],
    ['a config without a default export', 'codegen.config.mjs', 'export const specs = [];\n', /codegen\.config\.mjs has no default export/],
    [
      'a TypeScript config with a syntax error',
      'codegen.config.ts',
      'export default {\n',
      /^codegen\.config\.ts:2:1: error cannot load codegen\.config\.ts: ParseError: Unexpected token \[config-load-failed\]/,
    ],
    [
      'invalid JSON',
      'codegen.config.json',
      '{\n  "specs": [,]\n}\n',
      /^codegen\.config\.json:2:13: error codegen\.config\.json is not valid JSON: Unexpected token ',' \[invalid-config\]\n {2}hint: fix the JSON syntax/,
    ],
  ])('exits 1 on %s, without a stack trace', async (name, file, text, message) => {
    const dir = await project(`bad-${name.replace(/\W+/g, '-')}`, file, text);
    const run = await codegen([], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(noStack);
  });

  it('refuses to guess between two config files in one folder', async () => {
    const dir = await project('two', 'codegen.config.json', '{ "specs": [{ "spec": "specs/tiny.yaml", "output": "g" }] }');
    await writeFile(path.join(dir, 'codegen.config.mjs'), 'export default {};\n');
    const run = await codegen(['check'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error \. has 2 config files: codegen\.config\.json, codegen\.config\.mjs \[ambiguous-config\]\n {2}hint: keep one of them/);
  });

  it('says how to start when there is no config and no spec', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'codegen-noconfig-'));
    try {
      const run = await codegen([], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error no spec given and no codegen\.config\.json \(or \.mjs, \.ts\) found in this folder or above \[no-config\]\n {2}hint: name a spec/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a spec named on the command line', () => {
  it('is generated with its config entry\u2019s options and output when the config lists it, so check agrees', async () => {
    const dir = await project(
      'listed',
      'codegen.config.json',
      JSON.stringify({ options: { transports: ['nats'] }, specs: [{ spec: 'specs/tiny.yaml', output: 'generated/tiny', modelStyle: 'type' }] }),
    );
    const run = await codegen(['specs/tiny.yaml'], dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^specs\/tiny\.yaml → generated\/tiny: /m);
    const out = path.join(dir, 'generated', 'tiny');
    expect(await manifest(out)).toContain('runtime/nats.ts');
    expect(await readFile(path.join(out, 'models.ts'), 'utf8')).toMatch(/^export type Ping = \{/m);
    expect((await codegen(['check'], dir)).code).toBe(0);
    // A flag still wins over the entry, and -o still chooses the folder.
    expect((await codegen(['specs/tiny.yaml', '-o', 'elsewhere', '--transport', 'memory'], dir)).code).toBe(0);
    expect(await manifest(path.join(dir, 'elsewhere'))).not.toContain('runtime/nats.ts');
  });
});

describe('generation flags', () => {
  it('reach the generator: transports, model style, client name', async () => {
    const dir = await project('flags', 'unused.txt', '');
    const run = await codegen(['generate', 'specs/tiny.yaml', '-o', 'out', '--transport', 'kafka', '--transport', 'mqtt,kafka', '--model-style', 'type', '--client-name', 'Pinger'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = path.join(dir, 'out');
    expect((await manifest(out)).filter((f) => /runtime\/(nats|mqtt|amqp|kafka|webhook)\.ts/.test(f))).toEqual(['runtime/kafka.ts', 'runtime/mqtt.ts']);
    expect(await readFile(path.join(out, 'models.ts'), 'utf8')).toMatch(/^export type Ping = \{/m);
    expect(await readFile(path.join(out, 'client.ts'), 'utf8')).toMatch(/export function createPingerClient\(/);
  });

  it.each([
    ['an unknown transport', ['generate', 'specs/tiny.yaml', '--transport', 'zmq'], /unknown transport "zmq"; valid: nats, mqtt, amqp, kafka, webhook, websocket, or memory for none of them/],
    ['an unknown model style', ['check', 'specs/tiny.yaml', '--model-style', 'class'], /Allowed choices are interface, type/],
    ['a client name with a space', ['check', 'specs/tiny.yaml', '--client-name', 'a b'], /not an identifier/],
    ['an output-only flag on validate', ['validate', 'specs/tiny.yaml', '--model-style', 'type'], /unknown option '--model-style'/],
    ['--output without a spec', ['check', '-o', 'out'], /error --output needs a spec \[usage\]/],
    ['an unknown validate format', ['validate', 'specs/tiny.yaml', '--format', 'xml'], /Allowed choices are text, json/],
  ])('exit 2 on %s', async (_name, args, message) => {
    const run = await codegen(args, path.join(DIR, 'flags'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
