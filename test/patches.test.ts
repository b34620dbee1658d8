/**
 * Vendor schema patches (config key `patches`, RFC 6902): Qlik's user-sessions spec says `idpId`
 * is a string, yet a Qlik Account login sends `null`. With the patch of
 * test/fixtures/patches/codegen.config.json that event passes the generated validator and reaches
 * a handler over the in-memory transport; without it, it is refused. A patch that no longer fits
 * the spec is an error naming the config file, the patch and its pointer; applied patches are
 * reported and listed in the output's header; positions still point into the vendor's file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKey } from '../src/cache/key.js';
import { jobsFromConfig } from '../src/config/jobs.js';
import { loadConfig } from '../src/config/load.js';
import { isCodegenError, type CodegenError } from '../src/errors.js';
import { generateFiles, type GenerateOptions } from '../src/generate.js';
import { generated, json } from './support/generated.js';
import { ROOT } from './support/specs.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'patches');
const CONFIG = path.join(FIXTURES, 'codegen.config.json');
const QLIK = path.join(ROOT, 'specs', 'user-sessions.asyncapi.json');
const IDP = '/components/messages/user-session.userSessionBegin/payload/allOf/2/properties/data/properties/idpId';

const qlikEvent = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(path.join(FIXTURES, 'user-session-begin.json'), 'utf8')) as Record<string, unknown>;

async function configJob(): Promise<GenerateOptions> {
  const [job] = jobsFromConfig(await loadConfig(CONFIG), {}, ROOT);
  if (!job) throw new Error('the fixture config lists no spec');
  return job;
}

async function failure(run: Promise<unknown>): Promise<CodegenError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isCodegenError(error)) throw new Error(`expected a CodegenError, got ${String(error)}`);
  return error;
}

describe('Qlik user-session.begin with idpId: null', () => {
  it.each([
    ['with the patch, the validator accepts it', { patched: true, want: true }],
    ['without it, the vendor schema refuses it', { patched: false, want: false }],
  ])('%s', async (_name, { patched, want }) => {
    const job = await configJob();
    const { validators } = await generated(QLIK, `patches/validator-${patched}`, patched ? { patches: job.patches } : {});
    expect(validators['validateUserSessionBegin']?.(await qlikEvent())).toBe(want);
  });

  it('reaches a handler over MemoryTransport with the patch', async () => {
    const job = await configJob();
    const { client, transport } = await generated(QLIK, 'patches/client-patched', { patches: job.patches });
    const got: unknown[] = [];
    const errors: unknown[] = [];
    await client['userSessionBegin']!.subscribe((event: unknown) => void got.push(event), { onError: (e: unknown) => void errors.push(e) });
    const event = await qlikEvent();
    await client['userSessionBegin']!.publish(event);
    await transport.publish('system-events.user-session', { ...json(event), contentType: 'application/cloudevents+json' });
    await transport.idle();
    expect(errors).toEqual([]);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ data: { idpId: null, subject: 'auth0\\foo' } });
    await transport.close();
  });

  it('is refused on publish and reaches onError on receive without it', async () => {
    const { client, transport } = await generated(QLIK, 'patches/client-vendor');
    const got: unknown[] = [];
    const errors: unknown[] = [];
    await client['userSessionBegin']!.subscribe((event: unknown) => void got.push(event), { onError: (e: unknown) => void errors.push(e) });
    const event = await qlikEvent();
    await expect(client['userSessionBegin']!.publish(event)).rejects.toThrow(/\/data\/idpId must be string/);
    await transport.publish('system-events.user-session', { ...json(event), contentType: 'application/cloudevents+json' });
    await transport.idle();
    expect(got).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/\/data\/idpId must be string/);
    await transport.close();
  });
});

describe('what a reviewer sees', () => {
  it('lists every applied patch in the header of models.ts, client.ts and index.ts', async () => {
    const job = await configJob();
    const { files } = await generateFiles(job.spec, job);
    const note = ['// Not the spec verbatim: patched before generation by codegen.config.json (RFC 6902):', `//   test ${IDP}/type`, `//   replace ${IDP}/type`].join('\n');
    for (const file of ['models.ts', 'client.ts', 'index.ts']) expect(files.get(file)?.split('\n').slice(1, 4).join('\n'), file).toBe(note);
  });

  it('reports one info line per applied patch, naming the config file and the patch', async () => {
    const job = await configJob();
    const { diagnostics } = await generateFiles(job.spec, job);
    expect(diagnostics.filter((d) => d.code === 'spec-patched').map((d) => [d.severity, d.location?.file, d.message])).toEqual([
      ['info', 'test/fixtures/patches/codegen.config.json', `patched specs/user-sessions.asyncapi.json: test ${IDP}/type (specs[0].patches[0])`],
      ['info', 'test/fixtures/patches/codegen.config.json', `patched specs/user-sessions.asyncapi.json: replace ${IDP}/type (specs[0].patches[1])`],
    ]);
  });

  it('leaves a spec without patches as it was: no note, no report', async () => {
    const { files, diagnostics } = await generateFiles(QLIK);
    expect(files.get('models.ts')?.split('\n')[1]).not.toMatch(/patched/);
    expect(diagnostics.filter((d) => d.code === 'spec-patched')).toEqual([]);
  });
});

describe('a patch that no longer fits the spec', () => {
  const source = { source: CONFIG, at: '/specs/0/patches' };
  it.each([
    [
      'a target that does not exist',
      {
        operations: [{ op: 'replace', path: `${IDP}/nullable`, value: true }],
        want: /^specs\[0\]\.patches\[0\] \(replace .*\/idpId\/nullable\) cannot be applied to specs\/user-sessions\.asyncapi\.json: the spec has nothing at .*\/idpId\/nullable$/,
      },
    ],
    [
      'a parent that does not exist',
      { operations: [{ op: 'add', path: '/components/schemas/Nope/type', value: 'string' }], want: /the spec has no parent of \/components\/schemas\/Nope\/type to add to$/ },
    ],
    [
      'a failed test (the vendor fixed it)',
      { operations: [{ op: 'test', path: `${IDP}/type`, value: ['string', 'null'] }], want: /the spec's value at .*\/idpId\/type is not the one the test expects$/ },
    ],
  ] as const)('is an error naming the config file, the patch index and its pointer: %s', async (_name, { operations, want }) => {
    const error = await failure(generateFiles(path.relative(process.cwd(), QLIK), { patches: { ...source, operations } }));
    expect(error.code).toBe('patch-failed');
    expect(error.message).toMatch(want);
    expect(error.location).toEqual({ file: 'test/fixtures/patches/codegen.config.json', line: expect.any(Number), column: expect.any(Number), pointer: '/specs/0/patches/0' });
    expect(error.hint).toBeTruthy();
  });

  it('names the later patch when an earlier one applied', async () => {
    const operations = [
      { op: 'replace', path: `${IDP}/type`, value: ['string', 'null'] },
      { op: 'remove', path: `${IDP}/example/0` },
    ] as const;
    const error = await failure(generateFiles(QLIK, { patches: { ...source, operations } }));
    expect(error.message).toMatch(/^specs\[0\]\.patches\[1\] \(remove /);
    expect(error.location?.pointer).toBe('/specs/0/patches/1');
  });
});

describe('a patched spec', () => {
  const SPEC = path.join(ROOT, 'test', 'fixtures', 'robust', 'foreign-patterns.yaml');

  it('still places diagnostics in the vendor file as written, not in the patched document', async () => {
    const patches = [{ op: 'replace', path: '/info/title', value: 'Devices (patched)' }] as const;
    const { diagnostics } = await generateFiles(SPEC, { patches });
    const label = diagnostics.find((d) => d.code === 'pattern-not-portable');
    expect(label?.location).toEqual({ file: SPEC, line: 55, column: 20, pointer: '/components/schemas/Device/properties/label/pattern' });
  });

  it.each([
    ['a value the patch changed, at its line', { path: '/operations/publishRegistered/action', value: 'publish', want: { line: 16, column: 13 } }],
    ['a member the patch added, at its parent', { path: '/operations/publishRegistered/bogus', value: 1, want: { line: 15, pointer: '/operations/publishRegistered/bogus' } }],
  ])('places a parser error of the patched document in the vendor file: %s', async (_name, { path: target, value, want }) => {
    const error = await failure(generateFiles(SPEC, { patches: [{ op: 'add', path: target, value }] }));
    expect(error.diagnostics[0]?.location).toMatchObject({ file: SPEC, ...want });
  });

  it('patches an AsyncAPI 2.x spec as written, before it is converted', async () => {
    const v2 = path.join(ROOT, 'test', 'fixtures', 'v2', 'streetlights-mqtt.yml');
    const patches = [{ op: 'replace', path: '/components/schemas/lightMeasuredPayload/properties/lumens/minimum', value: 10 }] as const;
    const { validators, files } = await generated(v2, 'patches/v2', { patches });
    const validate = Object.entries(validators).find(([name]) => /LightMeasured/i.test(name))?.[1];
    expect(validate?.({ lumens: 5 })).toBe(false);
    expect(validate?.({ lumens: 10 })).toBe(true);
    expect(files.get('models.ts')).toMatch(/^\/\/   replace \/components\/schemas\/lightMeasuredPayload\/properties\/lumens\/minimum$/m);
  });

  it('caches under a key of its own: the patches are part of what the output depends on', async () => {
    const job = await configJob();
    const plain = { spec: job.spec, output: job.output };
    const other = { ...job, patches: [{ op: 'replace', path: `${IDP}/type`, value: ['string', 'null', 'number'] }] } as const;
    const keys = await Promise.all([cacheKey(plain, 'build'), cacheKey(job, 'build'), cacheKey(other, 'build')]);
    expect(new Set(keys).size).toBe(3);
    expect(await cacheKey(job, 'build')).toBe(keys[1]);
  });
});
