/** AsyncAPI 2.x (converted on the fly), 1.x and 3.1 input, through the real binary. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const DIR = path.join(OUT, 'cli-versions');

async function codegen(args: readonly string[]): Promise<Run> {
  return runCli(args, { cwd: DIR });
}

const SPECS: Record<string, string> = {
  'two.json': `${JSON.stringify(
    {
      asyncapi: '2.6.0',
      info: { title: 'Json Two', version: '1' },
      channels: {
        'user/{id}/signedup': {
          parameters: { id: { schema: { type: 'string' } } },
          subscribe: { operationId: 'userSignedUp', message: { messageId: 'signedUp', payload: { type: 'object', properties: { email: { type: 'string' } } } } },
        },
      },
    },
    null,
    2,
  )}\n`,
  'two-broken.yaml': 'asyncapi: 2.6.0\ninfo:\n  title: t\nchannels: {}\n',
  'one.yaml': 'asyncapi: 1.2.0\ninfo:\n  title: Old\n  version: "1"\ntopics:\n  user.signedup:\n    publish:\n      payload:\n        type: object\n',
  'three-one.yaml': [
    'asyncapi: 3.1.0',
    'info:',
    '  title: Three One',
    '  version: "1"',
    'servers:',
    '  local:',
    '    host: 127.0.0.1:4222',
    '    protocol: nats',
    'channels:',
    '  pings:',
    '    address: pings.{zone}',
    '    parameters:',
    '      zone:',
    '        enum: [eu, us]',
    '    messages:',
    '      ping:',
    '        payload:',
    '          type: object',
    '          required: [at]',
    '          properties:',
    '            at: { type: string, format: date-time }',
    'operations:',
    '  sendPing:',
    '    action: send',
    '    channel: { $ref: "#/channels/pings" }',
    '',
  ].join('\n'),
};

const NOTE = (file: string, at: string, from: string): string =>
  `${file}:${at}: info converted from AsyncAPI ${from} to 3.0.0 before parsing; lines and columns of the other diagnostics refer to the converted document [converted]\n` +
  `  at /asyncapi\n  hint: run \`npx @asyncapi/cli convert ${file} --target-version 3.0.0\` to keep a 3.0 copy\n`;

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
  await cp(path.join(ROOT, 'test', 'fixtures', 'v2', 'streetlights-mqtt.yml'), path.join(DIR, 'streetlights-mqtt.yml'));
  for (const [name, text] of Object.entries(SPECS)) await writeFile(path.join(DIR, name), text);
});

describe('AsyncAPI 2.x input', () => {
  it('generates the 2.6 Streetlights example with a conversion note, names from its components, a client that compiles', async () => {
    const run = await codegen(['generate', 'streetlights-mqtt.yml', '-o', 'streetlights']);
    expect(run.stderr).toBe(NOTE('streetlights-mqtt.yml', '1:1', '2.6.0'));
    expect(run.code).toBe(0);
    const out = path.join(DIR, 'streetlights');
    const models = await readFile(path.join(out, 'models.ts'), 'utf8');
    expect(models).toMatch(/^export interface LightMeasured \{/m);
    expect(models).toMatch(/^export type TurnOnOffCommand = "on" \| "off";$/m);
    const client = await readFile(path.join(out, 'client.ts'), 'utf8');
    expect(client).toMatch(/export function createStreetlightsMQTTAPIClient\(/);
    // 2.x `publish` is what the application receives: the converter's application point of view.
    expect(client).toMatch(/`receive` operation "receiveLightMeasurement"/);
    expect(client).toMatch(/`send` operation "turnOn"/);
    expect(JSON.parse(await readFile(path.join(out, '.codegen-manifest.json'), 'utf8')).files).toContain('runtime/mqtt.ts');
    const tsconfig = {
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noEmit: true, types: [] },
      include: ['streetlights'],
    };
    await writeFile(path.join(DIR, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = await promisify(execFile)(process.execPath, [TSC, '-p', path.join(DIR, 'tsconfig.json')]).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? 'failed',
    );
    expect(tsc).toBe('');
  });

  it('converts JSON documents too, pointing the note at the asyncapi key', async () => {
    const run = await codegen(['validate', 'two.json']);
    expect(run.stdout).toBe(`${NOTE('two.json', '2:3', '2.6.0')}two.json: valid\n`);
    expect(run.code).toBe(0);
  });

  it('reports errors of a 2.x document at their place in the file as written, linking the 2.6 specification', async () => {
    const run = await codegen(['validate', 'two-broken.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      'two-broken.yaml:2:6: error "info" property must have required property "version" [asyncapi-document-resolved]\n' +
        '  at /info\n' +
        '  hint: compare this part with the AsyncAPI 2.6 specification: https://www.asyncapi.com/docs/reference/specification/v2.6.0\n' +
        'two-broken.yaml: invalid (1 error)\n',
    );
  });

  it('converts 1.x documents, which the parser no longer reads', async () => {
    const run = await codegen(['validate', 'one.yaml']);
    expect(run.stdout).toBe(`${NOTE('one.yaml', '1:1', '1.2.0')}one.yaml: valid\n`);
    expect(run.code).toBe(0);
  });
});

describe('AsyncAPI 3.1 input', () => {
  it('is read as it is, without a note', async () => {
    const run = await codegen(['generate', 'three-one.yaml', '-o', 'three-one']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const client = await readFile(path.join(DIR, 'three-one', 'client.ts'), 'utf8');
    expect(client).toMatch(/export function createThreeOneClient\(/);
    expect(JSON.parse(await readFile(path.join(DIR, 'three-one', '.codegen-manifest.json'), 'utf8')).files).toContain('runtime/nats.ts');
  });
});
