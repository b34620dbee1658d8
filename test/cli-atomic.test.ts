/**
 * All-or-nothing output under a real kill: `codegen generate` is SIGKILLed at points spread over
 * its run while it replaces one complete output with another. Whenever it dies, the folder holds
 * one complete output, the old or the new, never a mix, and the user's own file is untouched.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'cli-atomic');
const VARIANTS = { a: ['--transport', 'nats'], b: ['--transport', 'mqtt', '--model-style', 'type'] } as const;
type Variant = keyof typeof VARIANTS;

async function snapshot(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(folder, path.join(entry.parentPath, entry.name))] = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

// The whole pipeline every time (no cache), so each run takes as long as the first.
const generate = (variant: Variant, output: string) => ['generate', 'specs/user-sessions.asyncapi.json', '-o', output, '--no-cache', ...VARIANTS[variant]];

/** Runs the CLI and SIGKILLs it after `ms`; resolves once it is gone, however it ended. */
function killAfter(args: readonly string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: DIR, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const expected: Partial<Record<Variant, Record<string, string>>> = {};
let duration = 0;

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
  await cp(path.join(ROOT, 'specs'), path.join(DIR, 'specs'), { recursive: true });
  for (const variant of ['a', 'b'] as const) {
    const started = performance.now();
    const run = await runCli(generate(variant, `expected-${variant}`), { cwd: DIR });
    duration = Math.max(duration, performance.now() - started);
    expect(run.code, run.stderr).toBe(0);
    expected[variant] = await snapshot(path.join(DIR, `expected-${variant}`));
  }
});

describe('a run killed midway', () => {
  it('leaves one complete output, old or new, wherever it dies', async () => {
    const out = path.join(DIR, 'out');
    expect((await runCli(generate('a', 'out'), { cwd: DIR })).code).toBe(0);
    await writeFile(path.join(out, 'mine.ts'), 'export const mine = 1;\n');
    const seen = new Set<string>();
    // Writing comes last, so the kills cluster around the end of a run: from 400 ms before it to 150 ms after.
    const steps = 12;
    for (let i = 0; i < steps; i++) {
      const now = await snapshot(out);
      const current: Variant = now['models.ts'] === expected.a?.['models.ts'] ? 'a' : 'b';
      const next: Variant = current === 'a' ? 'b' : 'a';
      await killAfter(generate(next, 'out'), Math.max(50, Math.round(duration - 400 + (550 * i) / steps)));
      const after = await snapshot(out);
      const { 'mine.ts': mine, ...generated } = after;
      expect(mine).toBe('export const mine = 1;\n');
      const whole = (['a', 'b'] as const).find((v) => JSON.stringify(generated) === JSON.stringify(expected[v]));
      expect(whole, `after a kill at step ${i}, the folder is neither output: ${Object.keys(generated).join(', ')}`).toBeDefined();
      seen.add(whole === current ? 'old' : 'new');
    }
    // The next complete run tidies up after the killed ones: only the folders we made are left.
    const last = await runCli(generate('a', 'out'), { cwd: DIR });
    expect(last.code, last.stderr).toBe(0);
    expect(await snapshot(out)).toEqual({ ...expected.a, 'mine.ts': 'export const mine = 1;\n' });
    const names = (await readdir(DIR)).filter((n) => n.startsWith('.out.codegen-'));
    for (const name of names) expect(name).toMatch(/^\.out\.codegen-new-/); // a killed run's staging, removed once stale
    expect(seen.size).toBeGreaterThan(0);
  });
});
