/** The pipeline: load → parse → normalise → generate (models, validators, code, runtime) → FileSet. */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from './errors.js';
import { TRANSPORTS, type GenerationOptions, type TransportName } from './options.js';
import { avroOutput, withoutAvroWarnings } from './emit/avro.js';
import { FileSet } from './emit/fileset.js';
import { postProcess } from './emit/postprocess.js';
import { runtimeImport, writeJob } from './emit/runtime.js';
import type { WriteResult } from './emit/write.js';
import { normalise } from './ir/normalise.js';
import type { IrSpec } from './ir/types.js';
import { generateModels } from './models/modelina.js';
import { TEMPLATES_DIR, renderer } from './render/handlebars.js';
import { userHeader, withImportExtension } from './render/imports.js';
import { clientView, header } from './render/view.js';
import { loadSpec } from './spec/load.js';
import { parseSpec } from './spec/parse.js';
import { patchNotes } from './spec/patch.js';
import { compileValidators } from './validators/ajv.js';
import { timed } from './timings.js';

export { defineConfig, type Config, type SpecConfig } from './config/define.js';

/** Runtime files copied into every output, unchanged. */
export const RUNTIME_FILES = [
  'address.ts',
  'channel.ts',
  'client.ts',
  'cloudevents.ts',
  'codec.ts',
  'definitions.ts',
  'endpoints.ts',
  'errors.ts',
  'groups.ts',
  'memory.ts',
  'tracing-otel.ts',
  'tracing.ts',
  'transport.ts',
  'validation.ts',
] as const;

export { MODEL_STYLES, TRANSPORTS, type GenerationOptions, type ModelStyle, type TransportName } from './options.js';

export interface GenerateOptions extends GenerationOptions {
  /** Path of the AsyncAPI document (JSON or YAML). */
  readonly spec: string;
  /** Folder to write into; its `index.ts` is the entry point. */
  readonly output: string;
}

export interface GeneratedSpec {
  readonly ir: IrSpec;
  readonly files: FileSet;
  readonly diagnostics: readonly Diagnostic[];
}

export interface GenerateResult extends GeneratedSpec, WriteResult {
  readonly output: string;
}

const runtimeSources = new Map<string, Promise<string>>();

/** A runtime file, read once per process (watch and multi-spec runs reuse it). */
function runtimeFile(name: string): Promise<string> {
  let source = runtimeSources.get(name);
  if (!source) {
    source = readFile(path.join(TEMPLATES_DIR, 'runtime', name), 'utf8');
    runtimeSources.set(name, source);
  }
  return source;
}

let runtimeNames: Promise<string[]> | undefined;

/** The runtime files of one adapter: `nats.ts` and any `nats-*.ts` beside it. */
async function adapterFiles(transport: TransportName): Promise<string[]> {
  runtimeNames ??= readdir(path.join(TEMPLATES_DIR, 'runtime'));
  const names = await runtimeNames;
  return names.filter((n) => n === `${transport}.ts` || (n.startsWith(`${transport}-`) && n.endsWith('.ts'))).sort();
}

/** Server protocols (AsyncAPI bindings names) and the adapter that speaks each. */
const PROTOCOL_TRANSPORTS: Readonly<Record<string, TransportName>> = {
  nats: 'nats',
  mqtt: 'mqtt',
  mqtt5: 'mqtt',
  'secure-mqtt': 'mqtt',
  amqp: 'amqp',
  amqps: 'amqp',
  kafka: 'kafka',
  'kafka-secure': 'kafka',
  http: 'webhook',
  https: 'webhook',
  ws: 'websocket',
  wss: 'websocket',
};

/** The adapters to emit: the option when given, else those the spec's servers speak. */
export function transportsFor(ir: IrSpec, option: readonly TransportName[] | undefined): TransportName[] {
  const chosen = option ?? ir.protocols.flatMap((p) => (PROTOCOL_TRANSPORTS[p] ? [PROTOCOL_TRANSPORTS[p]] : []));
  return TRANSPORTS.filter((t) => chosen.includes(t));
}

/**
 * Reads the spec, builds the IR, and produces every output file in memory. Writes nothing. The
 * output folder matters only with a shared `runtime` folder, which the clients import relatively.
 */
export async function generateFiles(spec: string, options: GenerationOptions & { readonly output?: string | undefined } = {}): Promise<GeneratedSpec> {
  const source = await timed('load', () => loadSpec(spec));
  const parsed = await timed('parse', () => parseSpec(source, { allowExternalRefs: options.allowExternalRefs, patches: options.patches }));
  const validation = options.validation ?? true;
  const ir = await timed('normalise', () => normalise(parsed, { clientName: options.clientName, validation, filter: options.filter }));
  const files = new FileSet();
  const ext = options.importExtension ?? '.js';
  const own = userHeader(options.header);
  // A patched spec says so in every file's header: the output is not the vendor's spec verbatim.
  const top = `${own}${[header(ir), ...patchNotes(parsed.source)].join('\n')}`;
  const [models, validators, render] = await Promise.all([
    timed('models', () => generateModels(ir, { style: options.modelStyle ?? 'interface' })),
    validation ? timed('validators', () => compileValidators(ir, parsed.source)) : undefined,
    renderer(options.templates),
  ]);
  await timed('render', () => {
    files.add('models.ts', `${top}\n${models}`);
    if (validators !== undefined) files.add('validators.ts', `${own}${validators.code}`);
    const runtime = runtimeImport(options.output, options.runtime);
    files.add('client.ts', render('client.ts', { ...clientView(ir, options.side ?? 'both'), header: top, runtime, ext }));
    files.add('index.ts', render('index.ts', { header: top, runtime, ext }));
  });
  const transports = transportsFor(ir, options.transports);
  const adapters = (await Promise.all(transports.map(adapterFiles))).flat();
  // Channels that carry Avro in the Confluent wire format on Kafka: their schemas, and the codec's runtime.
  const avro = avroOutput(parsed.document, ir, transports.includes('kafka'), render, top);
  if (avro.file !== undefined) files.add('avro.ts', avro.file);
  for (const name of [...RUNTIME_FILES, ...adapters, ...avro.runtime]) files.add(`runtime/${name}`, `${own}${withImportExtension(await runtimeFile(name), ext)}`);
  return { ir, files, diagnostics: [...withoutAvroWarnings(ir.diagnostics, avro.messageIds), ...avro.diagnostics, ...(validators?.diagnostics ?? [])] };
}

/** Generates one spec into its output folder: the library API the CLI calls. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const generated = await generateFiles(options.spec, options);
  const files = await postProcess(generated.files, options);
  const result = await writeJob(options.output, files, options.runtime);
  return { ...generated, files, ...result, output: options.output };
}
