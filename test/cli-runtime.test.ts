/**
 * Several specs in one program with one runtime (`runtime` in the config): the clients import it
 * from the shared folder, errors of one are `instanceof` the other's classes, `check` agrees, and
 * generating one spec keeps the adapters another needs. Through the real binary.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';
import { STRICT } from './support/strict.js';

const run = promisify(execFile);
const DIR = path.join(OUT, 'cli-runtime');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const CONFIG = {
  options: { runtime: 'generated/runtime' },
  specs: [
    { spec: 'specs/user-sessions.asyncapi.json', output: 'generated/user-sessions', transports: ['nats'] },
    { spec: 'specs/iam-client-events.asyncapi.yaml', output: 'generated/iam', transports: ['kafka'] },
  ],
};

/** A program that uses both clients and tells their errors apart with one set of classes. */
const PROGRAM = `
import { createUserSessionsClient, MessagingError, ValidationError } from './generated/user-sessions/index.js';
import { createIAMServiceClientEventsClient, ValidationError as IamValidationError } from './generated/iam/index.js';
import { MemoryTransport } from './generated/runtime/memory.js';

export async function run(): Promise<string[]> {
  const transport = new MemoryTransport();
  const sessions = createUserSessionsClient(transport);
  const iam = createIAMServiceClientEventsClient(transport);
  const seen: string[] = [];
  for (const attempt of [
    () => sessions.userSessionBegin.publish({} as never),
    () => iam.clientCreated.publish({ name: 'clientDeleted' } as never),
  ]) {
    const error: unknown = await attempt().then(() => undefined, (e: unknown) => e);
    seen.push([error instanceof MessagingError, error instanceof ValidationError, error instanceof IamValidationError].join(' '));
  }
  await transport.close();
  return seen;
}
`;

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(path.join(DIR, 'specs'), { recursive: true });
  for (const spec of ['user-sessions.asyncapi.json', 'iam-client-events.asyncapi.yaml']) await cp(path.join(ROOT, 'specs', spec), path.join(DIR, 'specs', spec));
  await writeFile(path.join(DIR, 'codegen.config.json'), JSON.stringify(CONFIG, null, 2));
  await writeFile(path.join(DIR, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(DIR, 'program.ts'), PROGRAM);
});

describe('a runtime shared by several specs', () => {
  it('is written once, with every adapter the specs chose, and no output has a runtime of its own', async () => {
    const result = await runCli([], { cwd: DIR });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const runtime = await readdir(path.join(DIR, 'generated', 'runtime'));
    expect(runtime).toEqual(expect.arrayContaining(['client.ts', 'errors.ts', 'nats.ts', 'kafka.ts', 'memory.ts']));
    expect(await readdir(path.join(DIR, 'generated', 'user-sessions'))).not.toContain('runtime');
    expect(await readdir(path.join(DIR, 'generated', 'iam'))).not.toContain('runtime');
  });

  it('compiles under the strict settings, and one error class serves both clients', async () => {
    const config = path.join(DIR, 'tsconfig.json');
    await writeFile(config, JSON.stringify({ compilerOptions: { ...STRICT, module: 'NodeNext', moduleResolution: 'NodeNext' }, include: ['program.ts', 'generated/**/*.ts'] }));
    const compiled = await run(process.execPath, [TSC, '-p', config], { cwd: DIR }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(compiled).toBe('');
    const program = (await import(path.join(DIR, 'program.ts'))) as { run: () => Promise<string[]> };
    expect(await program.run()).toEqual(['true true true', 'true true true']);
  });

  it('check agrees, and generating one spec alone keeps the adapters the other needs', async () => {
    expect((await runCli(['check'], { cwd: DIR })).code).toBe(0);
    expect((await runCli(['specs/user-sessions.asyncapi.json'], { cwd: DIR })).code).toBe(0);
    expect(await readdir(path.join(DIR, 'generated', 'runtime'))).toContain('kafka.ts');
    expect((await runCli(['check'], { cwd: DIR })).code).toBe(0);
  });
});
