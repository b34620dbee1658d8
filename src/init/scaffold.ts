/**
 * A new event service, planned in memory: the spec copied in, its client generated, a service
 * wired to the chosen transport, a test of every message, and the project files around them.
 * Nothing touches the disk here, so a bad spec leaves nothing behind.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CodegenError } from '../errors.js';
import { AVRO_RUNTIME_FILES } from '../emit/avro.js';
import { generateFiles, type GeneratedSpec } from '../generate.js';
import { fileName } from '../ir/naming.js';
import { TEMPLATES_DIR } from '../render/handlebars.js';
import { sampler } from '../samples/index.js';
import { roundTrips } from './cases.js';
import { TRANSPORT_SETUPS, type ScaffoldTransport } from './transports.js';
import { indexView, readmeView, testView, type ScaffoldNames } from './view.js';

export interface ScaffoldOptions {
  readonly dir: string;
  readonly spec: string;
  readonly transport: ScaffoldTransport;
}

export interface ScaffoldPlan {
  readonly names: ScaffoldNames;
  /** Project files, relative POSIX paths to contents (the spec copy included). */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  /** Folder of the generated client, relative to the scaffold. */
  readonly clientOutput: string;
  readonly generated: GeneratedSpec;
  /** `$ref`s to other files, which the copied spec would lose. */
  readonly externalRefs: readonly string[];
}

/** The tools every scaffold develops with; their versions follow this repository's own. */
const DEV_TOOLS = ['@types/node', 'tsx', 'typescript'] as const;

/** An npm package name from a folder name: lower case, URL-safe, no leading dot or underscore. */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '')
    .slice(0, 214);
  return name === '' ? 'event-service' : name;
}

let repoPackage: Promise<Record<string, string>> | undefined;

/** This repository's dependency ranges: the scaffold pins the same ones we test with. */
function repoRanges(): Promise<Record<string, string>> {
  repoPackage ??= readFile(new URL('../../package.json', import.meta.url), 'utf8').then((text) => {
    const pkg = JSON.parse(text) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    return { ...pkg.dependencies, ...pkg.devDependencies };
  });
  return repoPackage;
}

/** Packages a set of runtime sources import (bare specifiers other than node built-ins). */
export function importedPackages(sources: readonly string[]): string[] {
  const found = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^'./][^']*)'/gm)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('node:')) continue;
      const parts = specifier.split('/');
      found.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier));
    }
  }
  return [...found].sort();
}

/** The client libraries each broker adapter needs, read from the runtime files the generator copies. */
export async function adapterPackages(): Promise<Map<string, string[]>> {
  const dir = path.join(TEMPLATES_DIR, 'runtime');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.ts'));
  const out = new Map<string, string[]>();
  for (const [transport, setup] of Object.entries(TRANSPORT_SETUPS)) {
    if (!setup.adapter) continue;
    const own = names.filter((n) => n === `${setup.adapter}.ts` || n.startsWith(`${setup.adapter}-`));
    out.set(transport, importedPackages(await Promise.all(own.map((n) => readFile(path.join(dir, n), 'utf8')))));
  }
  return out;
}

/** The registry URL a generated avro.ts names (its default when the spec names none); undefined without Confluent Avro. */
function avroRegistryOf(avro: string | undefined): string | undefined {
  if (avro === undefined) return undefined;
  const named = /^export const schemaRegistryUrl = ("(?:[^"\\]|\\.)*");$/m.exec(avro)?.[1];
  return named === undefined ? 'http://127.0.0.1:8081' : (JSON.parse(named) as string);
}

function pick(ranges: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => {
      const range = ranges[name];
      if (range === undefined) throw new Error(`internal: the generated code imports ${name}, which this repository's package.json does not list`);
      return [name, range];
    }),
  );
}

/** Relative `$ref`s to other documents: the scaffold copies one file, so these would dangle. */
function externalRefs(text: string): string[] {
  const refs = [...text.matchAll(/["']?\$ref["']?\s*:\s*["']?([^"'\s#,}]+)/g)].map((m) => m[1] ?? '');
  return [...new Set(refs.filter((r) => r !== '' && !/^[a-z]+:\/\//i.test(r)))].sort();
}

async function renderer(): Promise<(template: string, view: object) => string> {
  const { default: Handlebars } = await import('handlebars');
  const hb = Handlebars.create();
  const dir = path.join(TEMPLATES_DIR, 'scaffold');
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.hbs'))) {
    compiled.set(file.slice(0, -4), hb.compile(await readFile(path.join(dir, file), 'utf8'), { strict: true, noEscape: true }));
  }
  return (template, view) => {
    const t = compiled.get(template);
    if (!t) throw new Error(`internal: no scaffold template ${template}`);
    return t(view);
  };
}

export async function planScaffold(options: ScaffoldOptions): Promise<ScaffoldPlan> {
  const setup = TRANSPORT_SETUPS[options.transport];
  const specText = await readFile(options.spec).catch(() => undefined);
  // An unreadable spec is reported by the pipeline, with its usual message.
  const generated = await generateFiles(options.spec, { transports: setup.adapter ? [setup.adapter] : [] });
  const specFile = path.basename(options.spec);
  const names: ScaffoldNames = {
    service: packageName(path.basename(path.resolve(options.dir))),
    clientDir: fileName(specFile.replace(/\.(asyncapi\.)?(ya?ml|json)$/i, '')),
    specFile,
  };
  const clientOutput = `src/generated/${names.clientDir}`;
  const samples = sampler(generated.ir);
  const trips = roundTrips(generated.ir, samples);
  const render = await renderer();
  const ranges = await repoRanges();
  const adapters = await adapterPackages();
  // The runtime files a spec brings beyond its adapter (avro.ts and its avsc for Confluent Avro on Kafka) need their packages too.
  const extra = generated.files.entries().filter(([file]) => AVRO_RUNTIME_FILES.some((name) => file === `runtime/${name}`));
  const chosen = [...new Set([...(adapters.get(options.transport) ?? []), ...importedPackages(extra.map(([, source]) => source))])].sort();

  const pkg = {
    name: names.service,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      build: 'tsc',
      start: 'tsx src/index.ts',
      test: 'tsx --test test/*.test.ts',
      generate: 'codegen generate',
    },
    dependencies: pick(ranges, chosen),
    devDependencies: pick(ranges, DEV_TOOLS),
  };
  const config = {
    specs: [{ spec: `specs/${specFile}`, output: clientOutput, transports: setup.adapter ? [setup.adapter] : [] }],
  };
  const readme = readmeView(generated.ir, options.transport, names, trips);
  const files = new Map<string, string | Uint8Array>([
    ['package.json', `${JSON.stringify(pkg, null, 2)}\n`],
    ['codegen.config.json', `${JSON.stringify(config, null, 2)}\n`],
    ['tsconfig.json', await readFile(path.join(TEMPLATES_DIR, 'scaffold', 'tsconfig.json'), 'utf8')],
    ['.gitignore', await readFile(path.join(TEMPLATES_DIR, 'scaffold', 'gitignore'), 'utf8')],
    [
      'README.md',
      render('README.md', {
        ...readme,
        hasEnv: setup.env.length > 0,
        adapterNames: [...adapters.keys()].join(', '),
        adapters: [...adapters].map(([t, p]) => `${t}: ${p.length > 0 ? p.map((n) => `\`${n}\``).join(', ') : 'nothing (Node.js built-ins only)'}`),
      }),
    ],
    ['src/index.ts', render('index.ts', indexView(generated.ir, samples, options.transport, names, avroRegistryOf(generated.files.get('avro.ts'))))],
    ['test/messages.test.ts', render('messages.test.ts', testView(generated.ir, trips, names))],
  ]);
  if (specText === undefined) throw new CodegenError({ code: 'spec-unreadable', message: `cannot read ${options.spec}`, location: { file: options.spec } });
  files.set(`specs/${specFile}`, specText);
  return { names, files, clientOutput, generated, externalRefs: externalRefs(specText.toString('utf8')) };
}
