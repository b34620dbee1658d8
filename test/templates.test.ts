/**
 * Generation options that change the output's shape: user partials replacing built-in ones, type
 * aliases instead of interfaces, types without validation, a chosen client name. Each output is
 * compiled with tsc --strict and imported and run.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles, type GenerationOptions } from '../src/generate.js';
import { OUT, ROOT } from './support/specs.js';

const run = promisify(execFile);
const DIR = path.join(OUT, 'templates');
const SPEC = path.join(ROOT, 'specs/user-sessions.asyncapi.json');
const PARTIALS = path.join(DIR, 'partials');

const LOGGED = path.join(DIR, 'logged-partials');
/** README, "Template overrides": every endpoint wrapped by a function of the user's. */
const LOGGING_PARTIAL = 'logged({{literal key}}, {{factory}}(transport, {{join args ", "}}, options))\n';
/** The built-in imports, and the user's wrapper. */
const LOGGING_IMPORTS = async (): Promise<string> => `${await readFile(path.join(ROOT, 'templates', 'typescript', 'partials', 'imports.hbs'), 'utf8')}import { logged } from '../logged-log.js';\n`;
/** The user's wrapper: logs each publish by the member's name, then calls it. */
const LOGGER = `export const calls: string[] = [];
export function logged<E extends object>(name: string, endpoint: E): E {
  return new Proxy(endpoint, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'publish' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(name);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
`;

const CASES: Array<[string, GenerationOptions]> = [
  ['overridden', { templates: PARTIALS }],
  ['logged', { templates: LOGGED }],
  ['type-aliases', { modelStyle: 'type' }],
  ['no-validation', { validation: false }],
  ['named', { clientName: 'Sessions' }],
];

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(PARTIALS, { recursive: true });
  // A team's own factory: same client, plus a default export and a banner comment.
  await writeFile(
    path.join(PARTIALS, 'clientFactory.hbs'),
    `/** Our team's factory. */
export function {{factory}}(transport: Transport, options: ClientOptions = {}): {{clientType}} {
  return {
{{#each operations}}
    {{key}}: {{> endpointValue}},
{{/each}}
    channels: {
{{#each channelMembers}}
      {{key}}: {{> endpointValue}},
{{/each}}
    },
  };
}

export default {{factory}};
`,
  );
  // The README's worked example: a logger around every endpoint, from one inline partial.
  await mkdir(LOGGED, { recursive: true });
  await writeFile(path.join(LOGGED, 'endpointValue.hbs'), LOGGING_PARTIAL);
  await writeFile(path.join(LOGGED, 'imports.hbs'), await LOGGING_IMPORTS());
  await mkdir(path.join(DIR, 'src', 'logged'), { recursive: true });
  await writeFile(path.join(DIR, 'src', 'logged-log.ts'), LOGGER);
  for (const [name, options] of CASES) await writeFileSet(path.join(DIR, 'src', name), (await generateFiles(SPEC, options)).files);
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    noUnusedLocals: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  await writeFile(path.join(DIR, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src/**/*.ts'] }));
  await writeFile(path.join(DIR, 'package.json'), '{ "type": "module" }\n');
});

describe('generation options', () => {
  it('every variant compiles under tsc --strict', async () => {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', path.join(DIR, 'tsconfig.json')], { cwd: DIR }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('');
  });

  it('a user partial replaces the built-in one, and the client still works', async () => {
    const files = (await generateFiles(SPEC, { templates: PARTIALS })).files;
    expect(files.get('client.ts')).toContain("/** Our team's factory. */");
    expect(files.get('client.ts')).toContain('export default createUserSessionsClient;');
    const mod = (await import(path.join(DIR, 'src', 'overridden', 'client.ts'))) as { default: (t: unknown) => { userSessionEnd: unknown } };
    const { MemoryTransport } = (await import(path.join(DIR, 'src', 'overridden', 'runtime', 'memory.ts'))) as { MemoryTransport: new () => { close(): Promise<void> } };
    const transport = new MemoryTransport();
    expect(mod.default(transport).userSessionEnd).toBeDefined();
    await transport.close();
  });

  it('an endpointValue partial wraps every endpoint: the README\u2019s logger around every publish', async () => {
    const client = (await import(path.join(DIR, 'src', 'logged', 'index.ts'))) as { createUserSessionsClient: (t: unknown) => { userSessionEnd: { publish(p: unknown): Promise<void> } } };
    const log = (await import(path.join(DIR, 'src', 'logged-log.ts'))) as { calls: string[] };
    const { MemoryTransport } = (await import(path.join(DIR, 'src', 'logged', 'runtime', 'memory.ts'))) as { MemoryTransport: new () => { close(): Promise<void> } };
    const transport = new MemoryTransport();
    const event = { id: 'e1', source: 'com.qlik/edge-auth', specversion: '1.0', type: 'com.qlik.user-session.end', tenantid: 't', data: { subject: 's', reason: 'logout' } };
    await client
      .createUserSessionsClient(transport)
      .userSessionEnd.publish(event)
      .catch(() => undefined);
    expect(log.calls).toEqual(['userSessionEnd']);
    await transport.close();
  });

  it('type aliases instead of interfaces', async () => {
    const models = (await generateFiles(SPEC, { modelStyle: 'type' })).files.get('models.ts') ?? '';
    expect(models).toMatch(/^export type UserSessionBeginData = \{$/m);
    expect(models).not.toMatch(/^export interface /m);
  });

  it('without validation: no validators.ts, and a payload the schema refuses is sent as it is', async () => {
    const { files } = await generateFiles(SPEC, { validation: false });
    expect(files.get('validators.ts')).toBeUndefined();
    const client = (await import(path.join(DIR, 'src', 'no-validation', 'index.ts'))) as { createUserSessionsClient: (t: unknown) => { userSessionEnd: { publish(p: unknown): Promise<void> } } };
    const { MemoryTransport } = (await import(path.join(DIR, 'src', 'no-validation', 'runtime', 'memory.ts'))) as { MemoryTransport: new () => { close(): Promise<void> } };
    const transport = new MemoryTransport();
    await expect(client.createUserSessionsClient(transport).userSessionEnd.publish({ id: 1 })).resolves.toBeUndefined();
    await transport.close();
  });

  it('a chosen client name', async () => {
    const client = (await generateFiles(SPEC, { clientName: 'Sessions' })).files.get('client.ts') ?? '';
    expect(client).toContain('export function createSessionsClient(');
    expect(client).toContain('export interface SessionsClient {');
  });

  it.each([
    ['a partial that overrides nothing', 'clientFactry.hbs', 'x', /clientFactry\.hbs overrides no built-in partial/],
    ['a partial with broken syntax', 'header.hbs', '{{#if header}}', /header\.hbs: Parse error/],
    ['a partial that uses a field its place does not have', 'header.hbs', '{{nope}}', /"nope" not defined/],
  ])('%s is a clear error', async (_name, file, source, want) => {
    const dir = path.join(DIR, `bad-${file}-${source.length}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, file), source);
    await expect(generateFiles(SPEC, { templates: dir })).rejects.toMatchObject({ name: 'CodegenError', message: expect.stringMatching(want) });
  });

  it('names the partials that can be overridden', async () => {
    const dir = path.join(DIR, 'bad-name');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'footer.hbs'), '');
    await expect(generateFiles(SPEC, { templates: dir })).rejects.toMatchObject({
      hint: 'name it after one of: channelDefinition, clientFactory, clientInterface, endpointType, endpointValue, header, imports, indexExports, messageDefinition',
    });
  });

  it('a missing template folder is a clear error', async () => {
    await expect(generateFiles(SPEC, { templates: path.join(DIR, 'nowhere') })).rejects.toMatchObject({ message: expect.stringMatching(/template folder .*nowhere does not exist/) });
  });
});
