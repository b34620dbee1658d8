/** Config checking, option merging and the flag table, in process (the CLI tests spawn the binary). */
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../../src/config/define.js';
import { jobsFromConfig } from '../../src/config/jobs.js';
import { jsonSyntaxError, locateJson } from '../../src/config/locate.js';
import { addGenerationFlags, generationFlags, OPTION_KEYS } from '../../src/config/options.js';
import { checkConfig } from '../../src/config/validate.js';
import { MODEL_STYLES, TRANSPORTS, type GenerationOptions } from '../../src/generate.js';

const entry = { spec: 'a.yaml', output: 'gen/a' };

describe('checkConfig', () => {
  it.each([
    ['an unknown top-level key, with a suggestion', { specs: [entry], option: {} }, '/option', /unknown key "option"/, /did you mean "options"\? valid keys: \$schema, options, specs/],
    ['an unknown option key', { options: { modelstyle: 'type' }, specs: [entry] }, '/options/modelstyle', /unknown key "modelstyle" in "options"/, /did you mean "modelStyle"\?/],
    [
      'an unknown spec key',
      { specs: [{ ...entry, out: 'x' }] },
      '/specs/0/out',
      /unknown key "out" in specs\[0\]/,
      /valid keys: spec, output, transports, validation, modelStyle, clientName, side, runtime, templates, allowExternalRefs, patches/,
    ],
    [
      'a wrong transport, by index',
      { specs: [{ ...entry, transports: ['nats', 'zmq'] }] },
      '/specs/0/transports/1',
      /unknown transport "zmq"/,
      /valid transports: "nats", "mqtt", "amqp", "kafka", "webhook"/,
    ],
    ['transports that are not a list', { options: { transports: 'nats' }, specs: [entry] }, '/options/transports', /must be a list/, /e\.g\. \["nats", "kafka"\]/],
    ['a wrong model style', { options: { modelStyle: 'class' }, specs: [entry] }, '/options/modelStyle', /must be one of "interface", "type", not "class"/, /valid values: "interface", "type"/],
    ['validation that is not a boolean', { specs: [{ ...entry, validation: 'no' }] }, '/specs/0/validation', /must be true or false/, /true \(default\)/],
    ['a client name that is not an identifier', { specs: [{ ...entry, clientName: 'my client' }] }, '/specs/0/clientName', /must be an identifier/, /createOrdersClient/],
    ['an empty templates path', { specs: [{ ...entry, templates: '' }] }, '/specs/0/templates', /must be a folder path/, /relative to the config file/],
    ['a missing spec', { specs: [{ output: 'x' }] }, '/specs/0/spec', /specs\[0\]\.spec must be the path/, /e\.g\. "spec"/],
    ['two specs writing into one folder', { specs: [entry, { spec: 'b.yaml', output: 'gen/a/' }] }, '/specs/1/output', /as specs\[0\] does/, /its own output folder/],
    ['no specs', { specs: [] }, '/specs', /non-empty list/, /e\.g\./],
    ['a filter that is not a list', { options: { filter: 'channel:a' }, specs: [entry] }, '/options/filter', /"filter" must be a list of patterns/, /"!" excludes/],
    ['an empty filter pattern', { specs: [{ ...entry, filter: ['!operation:'] }] }, '/specs/0/filter/0', /filter pattern "!operation:" has no name or glob/, /e\.g\./],
    ['a wrong import extension', { options: { importExtension: '.mjs' }, specs: [entry] }, '/options/importExtension', /must be one of "\.js", "", "\.ts", not "\.mjs"/, /bundlers/],
    ['a header that is not text', { options: { header: ['a'] }, specs: [entry] }, '/options/header', /"header" must be a string/, /eslint-disable/],
    [
      'a postProcess command that is not a list',
      { options: { postProcess: { command: 'biome format' } }, specs: [entry] },
      '/options/postProcess',
      /\{ "command": \[program, \.\.\.arguments\] \}/,
      /reads a file on stdin/,
    ],
    ['not an object', ['x'], '', /must be an object/, /e\.g\./],
  ])('reports %s with its pointer and a hint', (_name, raw, pointer, message, hint) => {
    const { config, problems } = checkConfig(raw);
    expect(config).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.pointer).toBe(pointer);
    expect(problems[0]?.message).toMatch(message);
    expect(problems[0]?.hint).toMatch(hint);
  });

  it('reports every problem at once, in document order', () => {
    const { problems } = checkConfig({ outputs: 1, options: { modelStyle: 'x' }, specs: [{ spec: 's', output: 'o', transport: [] }, 3] });
    expect(problems.map((p) => p.pointer)).toEqual(['/outputs', '/options/modelStyle', '/specs/0/transport', '/specs/1']);
  });

  it('accepts every option key and keeps the values', () => {
    const options = { transports: ['kafka'], validation: false, modelStyle: 'type', clientName: 'Orders', templates: 'tpl' } as const;
    const { config, problems } = checkConfig({ $schema: 'x', options, specs: [{ ...entry, ...options }] });
    expect(problems).toEqual([]);
    expect(config?.options).toEqual(options);
    expect(config?.specs[0]).toEqual({ ...options, ...entry });
  });
});

describe('jobsFromConfig', () => {
  const root = path.resolve('/repo');
  const loaded = {
    file: path.join(root, 'codegen.config.json'),
    options: { modelStyle: 'type', transports: ['nats'], validation: false },
    specs: [
      { spec: path.join(root, 'specs/a.yaml'), output: path.join(root, 'gen/a'), transports: ['kafka'] },
      { spec: path.join(root, 'specs/b.yaml'), output: path.join(root, 'gen/b') },
    ],
  } as const;

  it.each<[string, GenerationOptions, string, Record<string, unknown>]>([
    ['config options are defaults', {}, 'gen/b', { modelStyle: 'type', transports: ['nats'], validation: false }],
    ['a spec entry overrides them', {}, 'gen/a', { modelStyle: 'type', transports: ['kafka'], validation: false }],
    ['flags override both', { transports: [], validation: true }, 'gen/a', { modelStyle: 'type', transports: [], validation: true }],
  ])('%s', (_name, flags, output, want) => {
    const jobs = jobsFromConfig(loaded, flags, root);
    expect(jobs.find((j) => j.output === output)).toEqual({ ...want, spec: `${output.replace('gen/', 'specs/')}.yaml`, output });
  });

  it('prints paths relative to the working folder, also above it', () => {
    expect(jobsFromConfig(loaded, {}, path.join(root, 'specs')).map((j) => [j.spec, j.output])).toEqual([
      ['a.yaml', '../gen/a'],
      ['b.yaml', '../gen/b'],
    ]);
  });
});

describe('generation flags', () => {
  async function parse(args: string[]): Promise<GenerationOptions> {
    let seen: GenerationOptions = {};
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
    addGenerationFlags(program.command('generate [spec]')).action((_spec: unknown, _o: unknown, command: Command) => {
      seen = generationFlags(command);
    });
    await program.parseAsync(['generate', 'x.yaml', ...args], { from: 'user' });
    return seen;
  }

  it.each<[string[], GenerationOptions]>([
    [[], {}],
    [['--transport', 'nats,mqtt', '--transport', 'kafka,nats'], { transports: ['nats', 'mqtt', 'kafka'] }],
    [['--transport', 'memory'], { transports: [] }],
    [['--transport', 'none'], { transports: [] }],
    [['--no-validation'], { validation: false }],
    [['--model-style', 'type'], { modelStyle: 'type' }],
    [['--client-name', 'Orders'], { clientName: 'Orders' }],
    [['--templates', 'tpl'], { templates: 'tpl' }],
  ])('%j gives %j, and nothing the user did not type', async (args, want) => {
    expect(await parse(args)).toEqual(want);
  });

  it.each([
    [['--transport', 'zmq'], /unknown transport "zmq"; valid: nats, mqtt, amqp, kafka, webhook, websocket, or memory for none of them/],
    [['--model-style', 'class'], /Allowed choices are interface, type/],
    [['--client-name', 'a b'], /not an identifier/],
  ])('refuses %j as a usage error', async (args, message) => {
    await expect(parse(args)).rejects.toMatchObject({ code: 'commander.invalidArgument', message: expect.stringMatching(message) });
  });

  it('has a flag and a config key for every option, from the lists the generator exports', () => {
    expect(OPTION_KEYS).toEqual([
      'transports',
      'validation',
      'modelStyle',
      'clientName',
      'side',
      'runtime',
      'templates',
      'allowExternalRefs',
      'patches',
      'filter',
      'header',
      'importExtension',
      'postProcess',
    ]);
    const help = addGenerationFlags(new Command('x')).helpInformation();
    expect(help).toContain('--allow-external-refs');
    for (const t of TRANSPORTS) expect(help).toContain(t);
    for (const s of MODEL_STYLES) expect(help).toContain(s);
  });
});

describe('locateJson', () => {
  it('finds keys and list items by JSON pointer', () => {
    const text = '{\n  "specs": [\n    { "spec": "a", "out~/x": 1 },\n    "b"\n  ]\n}\n';
    const at = locateJson(text);
    expect(at.get('/specs')).toEqual({ line: 2, column: 3 });
    expect(at.get('/specs/0')).toEqual({ line: 3, column: 5 });
    expect(at.get('/specs/0/spec')).toEqual({ line: 3, column: 7 });
    expect(at.get('/specs/0/out~0~1x')).toEqual({ line: 3, column: 20 });
    expect(at.get('/specs/1')).toEqual({ line: 4, column: 5 });
  });
});

describe('jsonSyntaxError', () => {
  it.each([
    ['an unexpected token', '{\n  "specs": [,]\n}\n', { line: 2, column: 13 }, /^Unexpected token ','$/],
    ['a trailing comma', '{ "a": 1, }', { line: 1, column: 11 }, /property name/],
    ['text after the document', '{}\n{}', { line: 2, column: 1 }, /after JSON/],
    ['an unterminated document', '{ "a": [1', { line: 1, column: 10 }, /after array element/],
  ])('places %s', (_name, text, position, message) => {
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      error = e;
    }
    const found = jsonSyntaxError(text, error);
    expect(found.position).toEqual(position);
    expect(found.message).toMatch(message);
  });
});

it('defineConfig returns its argument, typed', () => {
  const config = { specs: [{ spec: 'a.yaml', output: 'gen/a', modelStyle: 'type' }] } as const;
  expect(defineConfig(config)).toBe(config);
});
