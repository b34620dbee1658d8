/**
 * examples/output-options as a user runs it: `codegen` with its config (filter, header,
 * importExtension "", postProcess biome), `codegen check` after it, tsc with bundler resolution,
 * then the program itself.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { ROOT } from './support/specs.js';

const run = promisify(execFile);
const EXAMPLE = path.join(ROOT, 'examples', 'output-options');

describe('examples/output-options', () => {
  it('generates, is up to date for check, compiles with bundler resolution and runs', async () => {
    const generated = await runCli([], { cwd: EXAMPLE });
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect((await runCli(['check'], { cwd: EXAMPLE })).stdout).toMatch(/→ \.\.\/\.\.\/generated\/output-options: up to date/);
    const client = await readFile(path.join(ROOT, 'generated', 'output-options', 'client.ts'), 'utf8');
    expect(client).toMatch(/^\/\* eslint-disable \*\/\n\/\/ DO NOT EDIT/);
    expect(client).toMatch(/from '\.\/runtime\/transport';/);
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const errors = await run(process.execPath, [tsc, '-p', path.join(EXAMPLE, 'tsconfig.json')], { cwd: EXAMPLE }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(errors).toBe('');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: EXAMPLE });
    expect(stdout).toMatch(/received com\.qlik\.user-session\.begin for auth0\\foo\nmembers: userSessionBegin, channels\n/);
  });
});
