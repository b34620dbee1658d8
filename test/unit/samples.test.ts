/**
 * Sample payloads: every message of the seeds and of a spread of fixtures gets one that the
 * GENERATED validators accept (the ones the client runs), the same bytes on every run.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodegenError } from '../../src/errors.js';
import { generateFiles } from '../../src/generate.js';
import type { IrSpec } from '../../src/ir/types.js';
import { normalise } from '../../src/ir/normalise.js';
import { sampleHeaders, samplePayload, sampler } from '../../src/samples/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { parseSpec } from '../../src/spec/parse.js';
import { OUT, ROOT } from '../support/specs.js';

const DIR = path.join(OUT, 'samples');

const SPECS = [
  'specs/user-sessions.asyncapi.json',
  'specs/iam-client-events.asyncapi.yaml',
  'test/fixtures/valid/components-shared.json',
  'test/fixtures/valid/headers.yaml',
  'test/fixtures/valid/parameters.yaml',
  'test/fixtures/valid/enums.yaml',
  'test/fixtures/valid/oneof.yaml',
  'test/fixtures/valid/nullable.yaml',
  'test/fixtures/valid/recursion.yaml',
  'test/fixtures/valid/reply.yaml',
  'test/fixtures/valid/no-payload.yaml',
  'test/fixtures/valid/deprecated-docs.yaml',
] as const;
/** Enough variety for the determinism check (examples, synthesis, headers, recursion), fewer parses. */
const DETERMINISM_SPECS = [SPECS[0], SPECS[1], SPECS[3], SPECS[8]] as const;

type Validators = Record<string, ((data: unknown) => boolean) & { errors?: unknown }>;

async function ir(spec: string): Promise<IrSpec> {
  return normalise(await parseSpec(await loadSpec(path.join(ROOT, spec))));
}

/** The validators.ts the generator writes for a spec, imported as the client would. */
async function generatedValidators(spec: string): Promise<{ ir: IrSpec; validators: Validators }> {
  const generated = await generateFiles(path.join(ROOT, spec));
  const file = path.join(DIR, path.basename(spec).replace(/\W+/g, '-'), 'validators.ts');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, generated.files.get('validators.ts') ?? '');
  return { ir: generated.ir, validators: (await import(pathToFileURL(file).href)) as Validators };
}

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
});

describe('sample payloads', () => {
  it.each(SPECS)('every message of %s gets a payload (and headers) its generated validators accept', async (spec) => {
    const { ir, validators } = await generatedValidators(spec);
    expect(ir.messages.length).toBeGreaterThan(0);
    for (const message of ir.messages) {
      const payload = samplePayload(message, ir);
      if (message.payloadValidator) {
        const validate = validators[message.payloadValidator];
        expect(validate?.(payload), `${message.id}: ${JSON.stringify(validate?.errors)}`).toBe(true);
      } else {
        expect(payload, `${message.id} has no payload schema`).toBeNull();
      }
      const headers = sampleHeaders(message, ir);
      if (message.headersValidator) expect(validators[message.headersValidator]?.(headers), `${message.id} headers`).toBe(true);
      else expect(headers).toBeUndefined();
    }
  });

  // Object.prototype names as properties (valueOf, isPrototypeOf): the validators must not read
  // inherited members as present (Ajv's ownProperties).
  it('reserved.yaml: the generated validators accept a sample without Object.prototype-named properties', async () => {
    const { ir, validators } = await generatedValidators('test/fixtures/valid/reserved.yaml');
    const message = ir.messages.find((m) => m.id === 'delete');
    if (!message?.payloadValidator) throw new Error('no delete message');
    expect(validators[message.payloadValidator]?.(samplePayload(message, ir))).toBe(true);
  });

  it('uses the first example when it is valid', async () => {
    const spec = await ir('test/fixtures/valid/deprecated-docs.yaml');
    const issued = spec.messages.find((m) => m.id === 'invoiceIssued');
    expect(issued?.examples.length).toBeGreaterThan(1);
    expect(issued && samplePayload(issued, spec)).toEqual(issued?.examples[0]);
  });

  it('synthesises for the IAM events, whose examples are placeholders the schema refuses', async () => {
    const spec = await ir('specs/iam-client-events.asyncapi.yaml');
    for (const message of spec.messages) {
      const sample = samplePayload(message, spec) as Record<string, unknown>;
      expect(message.examples[0]).toMatchObject({ name: 'string' }); // the page's placeholder
      expect(sample).not.toEqual(message.examples[0]);
      expect(sample.name, 'the event name is pinned by a const and routes the message').toBe(message.id);
    }
  });

  it('carries the value each channel routes by, preferring defaults to schema examples', async () => {
    const spec = await ir('specs/user-sessions.asyncapi.json');
    const [begin, end] = spec.messages;
    expect(begin && samplePayload(begin, spec)).toMatchObject({ type: 'com.qlik.user-session.begin', id: 'A234-1234-1234', specversion: '1.0' });
    expect(end && samplePayload(end, spec)).toMatchObject({ type: 'com.qlik.user-session.end' });
  });

  it('hands out copies: changing one sample does not change the next', async () => {
    const spec = await ir('specs/user-sessions.asyncapi.json');
    const message = spec.messages[0];
    if (!message) throw new Error('no message');
    const first = samplePayload(message, spec) as Record<string, unknown>;
    first.id = 'changed';
    expect((samplePayload(message, spec) as Record<string, unknown>).id).not.toBe('changed');
  });

  it('is deterministic: a fresh IR, and a separate process, give byte-identical samples', async () => {
    const all = async (): Promise<string> => {
      const out: Record<string, unknown> = {};
      for (const spec of DETERMINISM_SPECS) {
        const specIr = await ir(spec);
        const fresh = sampler(specIr);
        for (const m of specIr.messages) out[`${spec}#${m.id}`] = [fresh.payload(m), fresh.headers(m) ?? null];
      }
      return JSON.stringify(out);
    };
    const here = await all();
    expect(await all()).toBe(here);
    const script = [
      `import { normalise } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/ir/normalise.ts')).href)};`,
      `import { sampler } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/samples/index.ts')).href)};`,
      `import { loadSpec } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/spec/load.ts')).href)};`,
      `import { parseSpec } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/spec/parse.ts')).href)};`,
      `const out = {};`,
      `for (const spec of ${JSON.stringify(DETERMINISM_SPECS)}) {`,
      `  const ir = normalise(await parseSpec(await loadSpec(${JSON.stringify(ROOT)} + spec)));`,
      `  const s = sampler(ir);`,
      `  for (const m of ir.messages) out[spec + '#' + m.id] = [s.payload(m), s.headers(m) ?? null];`,
      `}`,
      `process.stdout.write(JSON.stringify(out));`,
    ].join('\n');
    const file = path.join(DIR, 'determinism.mts');
    await writeFile(file, script);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).toBe(here);
  });

  it.each([
    ['contradicting constraints', { type: 'string', minLength: 5, maxLength: 2 }],
    ['oneOf branches that every small value satisfies twice', { oneOf: [{ type: 'object' }, { type: 'object', properties: { a: { type: 'string' } } }] }],
  ])('fails clearly when no valid sample can be made: %s', async (_name, schema) => {
    const file = path.join(DIR, 'impossible.json');
    await writeFile(
      file,
      JSON.stringify({
        asyncapi: '3.0.0',
        info: { title: 'Impossible', version: '1.0.0' },
        channels: { things: { address: 'things', messages: { thing: { payload: schema, examples: [{ payload: 'no' }] } } } },
        operations: { sendThing: { action: 'send', channel: { $ref: '#/channels/things' } } },
      }),
    );
    const spec = normalise(await parseSpec(await loadSpec(file)));
    const message = spec.messages[0];
    if (!message) throw new Error('no message');
    let error: unknown;
    try {
      samplePayload(message, spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as CodegenError).code).toBe('no-sample');
    expect((error as CodegenError).message).toMatch(/no valid sample payload for message "thing" of impossible\.json: its first example and every synthesised value fail the schema \(.+\)/);
    expect((error as CodegenError).hint).toMatch(/give the message a valid example/);
  });
});
