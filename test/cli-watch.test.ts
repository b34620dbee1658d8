/** `codegen watch`: a long-running real process, driven by editing files on disk. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT, ROOT } from './support/specs.js';

const BIN = path.join(ROOT, 'bin', 'codegen.js');
const DIR = path.join(OUT, 'cli-watch');

const spec = (title: string): string =>
  [
    'asyncapi: 3.0.0',
    'info:',
    `  title: ${title}`,
    '  version: "1"',
    'channels:',
    '  pings:',
    '    address: pings',
    '    messages:',
    '      ping:',
    '        payload:',
    '          $ref: "./ping.schema.json"',
    'operations:',
    '  sendPing:',
    '    action: send',
    '    channel:',
    '      $ref: "#/channels/pings"',
    '',
  ].join('\n');
const schema = (properties: Record<string, unknown>): string => `${JSON.stringify({ type: 'object', properties }, null, 2)}\n`;

/** The child's output so far, and a way to wait for what it prints next. */
class Output {
  text = '';
  waitFor(pattern: RegExp, from: number, what: string, ms = 90_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const match = this.text.slice(from).match(pattern);
        if (match) {
          clearInterval(poll);
          resolve(match);
        } else if (Date.now() - started > ms) {
          clearInterval(poll);
          reject(new Error(`timed out waiting for ${what}; got:\n${this.text.slice(from)}`));
        }
      }, 50);
    });
  }
}

let child: ChildProcess | undefined;
const stdout = new Output();
const stderr = new Output();
const file = (rel: string): string => path.join(DIR, rel);
const LINE = /\[\d\d:\d\d:\d\d\] specs\/tiny\.yaml → gen\/tiny: \d+ files \((\d+) written, \d+ unchanged\) in (\d+\.\d\d) s\n/;

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(file('specs'), { recursive: true });
  await writeFile(file('specs/tiny.yaml'), spec('Tiny'));
  await writeFile(file('specs/ping.schema.json'), schema({ at: { type: 'string' } }));
  await writeFile(file('codegen.config.json'), JSON.stringify({ specs: [{ spec: 'specs/tiny.yaml', output: 'gen/tiny' }] }));
  child = spawn(process.execPath, [BIN, 'watch'], { cwd: DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout.text += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr.text += s));
  await stdout.waitFor(/watching 3 files for changes \(Ctrl-C to stop\)\n/, 0, 'the watcher to start');
});

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('codegen watch', () => {
  it('generated every spec of the config at start, one timed line each', () => {
    expect(stdout.text).toMatch(new RegExp(`^${LINE.source}`));
    expect(stderr.text).toBe('');
  });

  it('regenerates when a file the spec $refs changes', async () => {
    const from = stdout.text.length;
    await writeFile(file('specs/ping.schema.json'), schema({ at: { type: 'string' }, count: { type: 'integer' } }));
    const [, written] = await stdout.waitFor(LINE, from, 'a regeneration');
    expect(Number(written)).toBeGreaterThan(0);
    expect(await readFile(file('gen/tiny/models.ts'), 'utf8')).toMatch(/count\?: number;/);
  });

  it('prints the error of a broken spec and keeps running', async () => {
    const from = stdout.text.length;
    await writeFile(file('specs/tiny.yaml'), `${spec('Tiny')}oops: [\n`);
    await stdout.waitFor(/specs\/tiny\.yaml: not regenerated; fix it and save to retry\n/, from, 'the failure line');
    expect(stderr.text).toMatch(/^specs\/tiny\.yaml:\d+:\d+: error .*\[parser\]$/m);
    expect(stderr.text).not.toMatch(/internal error/);
    expect(child?.exitCode).toBeNull();
  });

  it('regenerates once the spec is fixed', async () => {
    const from = stdout.text.length;
    await writeFile(file('specs/tiny.yaml'), spec('Tiny Fixed'));
    await stdout.waitFor(LINE, from, 'a regeneration after the fix');
    expect(await readFile(file('gen/tiny/client.ts'), 'utf8')).toMatch(/export function createTinyFixedClient\(/);
  });

  it('reloads the config when it changes and regenerates with its options', async () => {
    const from = stdout.text.length;
    await writeFile(file('codegen.config.json'), JSON.stringify({ options: { modelStyle: 'type' }, specs: [{ spec: 'specs/tiny.yaml', output: 'gen/tiny' }] }));
    await stdout.waitFor(new RegExp(`codegen\\.config\\.json changed: reloading\\n${LINE.source}`), from, 'a reload');
    expect(await readFile(file('gen/tiny/models.ts'), 'utf8')).toMatch(/^export type Ping = \{/m);
  });

  it('keeps the last good config when the new one is wrong', async () => {
    const from = stderr.text.length;
    await writeFile(file('codegen.config.json'), JSON.stringify({ specs: [{ spec: 'specs/tiny.yaml', output: 'gen/tiny', modelstyle: 'type' }] }));
    await stderr.waitFor(/codegen\.config\.json:1:\d+: error unknown key "modelstyle" in specs\[0\]/, from, 'the config error');
    expect(child?.exitCode).toBeNull();
  });

  it('exits 0 on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child?.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
