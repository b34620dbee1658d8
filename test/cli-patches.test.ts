/**
 * Vendor schema patches through the real binary: `generate`, `check` and `watch` apply the config's
 * `patches` (and `--patches <file>`), report each on one line, and a patch that no longer fits
 * the vendor's spec exits 1 naming the config file, the patch and its place, writing nothing.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'cli-patches');
const IDP = '/components/messages/user-session.userSessionBegin/payload/allOf/2/properties/data/properties/idpId';
const NULLABLE = { op: 'replace', path: `${IDP}/type`, value: ['string', 'null'] };
const noStack = /\n\s+at .*\.(js|ts):\d+/;

/** A project with Qlik's spec under specs/ and a config listing it with `patches`. */
async function project(name: string, patches: readonly object[]): Promise<string> {
  const dir = path.join(DIR, name);
  await mkdir(path.join(dir, 'specs'), { recursive: true });
  await cp(path.join(ROOT, 'specs', 'user-sessions.asyncapi.json'), path.join(dir, 'specs', 'user-sessions.asyncapi.json'));
  const config = { specs: [{ spec: 'specs/user-sessions.asyncapi.json', output: 'generated/user-sessions', patches }] };
  await writeFile(path.join(dir, 'codegen.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return dir;
}

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});

describe('patches in the config', () => {
  it('generate applies them and says so, one line each; check applies them too', async () => {
    const dir = await project('applied', [{ op: 'test', path: `${IDP}/type`, value: 'string' }, NULLABLE]);
    const run = await runCli(['--no-cache'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      [
        `codegen.config.json: info patched specs/user-sessions.asyncapi.json: test ${IDP}/type (specs[0].patches[0]) [spec-patched]`,
        `codegen.config.json: info patched specs/user-sessions.asyncapi.json: replace ${IDP}/type (specs[0].patches[1]) [spec-patched]`,
        '',
      ].join('\n'),
    );
    expect(await readFile(path.join(dir, 'generated', 'user-sessions', 'models.ts'), 'utf8')).toMatch(/^\/\/ Not the spec verbatim: patched before generation by codegen\.config\.json/m);
    const check = await runCli(['check'], { cwd: dir });
    expect(check.stdout).toMatch(/up to date/);
    expect(check.code).toBe(0);
  });

  it('check fails when the patches change and the output was not regenerated', async () => {
    const dir = await project('changed', [NULLABLE]);
    expect((await runCli([], { cwd: dir })).code).toBe(0);
    const config = JSON.parse(await readFile(path.join(dir, 'codegen.config.json'), 'utf8')) as { specs: Array<{ patches: unknown[] }> };
    config.specs[0]!.patches = [];
    await writeFile(path.join(dir, 'codegen.config.json'), JSON.stringify(config));
    const check = await runCli(['check'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/out of date/);
  });

  it('exits 1 on a patch whose target the spec does not have, naming the config file, the patch and its place', async () => {
    const dir = await project('missing', [NULLABLE, { op: 'replace', path: `${IDP}/nullable`, value: true }]);
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^codegen\.config\.json:\d+:\d+: error specs\[0\]\.patches\[1\] \(replace \/components\/.*\/idpId\/nullable\) cannot be applied to specs\/user-sessions\.asyncapi\.json: the spec has nothing at \/components\/.*\/idpId\/nullable \[patch-failed\]\n  at \/specs\/0\/patches\/1\n  hint: check the pointer/,
    );
    expect(run.stderr).not.toMatch(noStack);
    expect(run.stdout).toBe('');
    expect(await readdir(dir)).not.toContain('generated');
  });

  it('refuses a patch that is not an RFC 6902 operation, with its pointer in the config', async () => {
    const dir = await project('malformed', [{ op: 'update', path: 'components' }]);
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /codegen\.config\.json:\d+:\d+: error patches\[0\]\.op must be one of "add", "remove", "replace", "move", "copy", "test", not "update" \[invalid-config\]\n  at \/specs\/0\/patches\/0\/op/,
    );
    expect(run.stderr).toMatch(/patches\[0\]\.path must be a JSON pointer into the spec, not "components"/);
  });
});

describe('--patches <file>', () => {
  it('applies the operations of a JSON file to a spec named on the command line', async () => {
    const dir = path.join(DIR, 'flag');
    await mkdir(dir, { recursive: true });
    await cp(path.join(ROOT, 'specs', 'user-sessions.asyncapi.json'), path.join(dir, 'qlik.json'));
    await writeFile(path.join(dir, 'qlik.patch.json'), JSON.stringify([NULLABLE]));
    const run = await runCli(['generate', 'qlik.json', '-o', 'out', '--patches', 'qlik.patch.json', '--no-cache'], { cwd: dir });
    expect(run.stderr).toBe(`qlik.patch.json: info patched qlik.json: replace ${IDP}/type (operation 0) [spec-patched]\n`);
    expect(run.code).toBe(0);
    expect(await readFile(path.join(dir, 'out', 'client.ts'), 'utf8')).toMatch(/^\/\/ Not the spec verbatim: patched before generation by qlik\.patch\.json \(RFC 6902\):\n\/\/   replace /m);
  });

  it('is a usage error when the file is not a list of operations', async () => {
    const dir = path.join(DIR, 'flag-bad');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'bad.patch.json'), '{"op": "add"}');
    const run = await runCli(['generate', 'qlik.json', '-o', 'out', '--patches', 'bad.patch.json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.patch\.json: "patches" must be a list of JSON Patch \(RFC 6902\) operations/);
  });
});

describe('codegen watch', () => {
  it('applies the patches at start and again when the config changes them', async () => {
    const dir = await project('watch', [NULLABLE]);
    const child = spawn(process.execPath, [BIN, 'watch'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
    const waitFor = async (pattern: RegExp, from: number): Promise<void> => {
      for (let waited = 0; !pattern.test(out.slice(from)); waited += 50) {
        if (waited > 90_000) throw new Error(`timed out waiting for ${pattern}; got:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const models = () => readFile(path.join(dir, 'generated', 'user-sessions', 'models.ts'), 'utf8');
    try {
      await waitFor(/watching \d+ files/, 0);
      expect(out).toMatch(/info patched specs\/user-sessions\.asyncapi\.json: replace .*\(specs\[0\]\.patches\[0\]\)/);
      expect(await models()).toMatch(/^\/\/   replace .*\/idpId\/type$/m);
      const from = out.length;
      const config = JSON.parse(await readFile(path.join(dir, 'codegen.config.json'), 'utf8')) as { specs: Array<{ patches: unknown[] }> };
      config.specs[0]!.patches = [{ op: 'test', path: `${IDP}/type`, value: 'string' }, NULLABLE];
      await writeFile(path.join(dir, 'codegen.config.json'), JSON.stringify(config));
      await waitFor(/specs\/user-sessions\.asyncapi\.json → generated\/user-sessions: /, from);
      expect(out.slice(from)).toMatch(/info patched .*: test .*\(specs\[0\]\.patches\[0\]\)/);
      expect(await models()).toMatch(/^\/\/   test .*\/idpId\/type\n\/\/   replace /m);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
