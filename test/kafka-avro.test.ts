/**
 * What the generator makes of Avro messages on Kafka, per the AsyncAPI Kafka bindings: the
 * Confluent wire format where a registry or the message binding says so (avro.ts with the spec's
 * schemas, the codec's runtime), and a CodegenError for every combination it cannot send as the
 * spec says, never JSON in its place.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CodegenError } from '../src/errors.js';
import { generateFiles } from '../src/generate.js';
import { planScaffold } from '../src/init/scaffold.js';
import { OUT } from './support/specs.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'specs', 'orders-avro.asyncapi.yaml');
type Spec = {
  servers: Record<string, { bindings?: { kafka?: Record<string, unknown> } }>;
  components: { messages: Record<string, { bindings?: { kafka?: Record<string, unknown> }; payload: { schema: unknown } }> };
};

/** The fixture changed by `edit`, written where the generator can read it. */
function variant(name: string, edit: (spec: Spec) => void): string {
  const spec = parse(readFileSync(FIXTURE, 'utf8')) as Spec;
  edit(spec);
  const dir = path.join(OUT, 'kafka-avro-variants');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(spec));
  return file;
}
const messageBinding = (spec: Spec): Record<string, unknown> => spec.components.messages['orderPlaced']?.bindings?.kafka ?? {};

describe('Kafka Avro generation', () => {
  it('emits avro.ts with the Avro schema exactly as the spec gives it, and the codec runtime, the same bytes every time', async () => {
    const [first, second] = [await generateFiles(FIXTURE, { transports: ['kafka'] }), await generateFiles(FIXTURE, { transports: ['kafka'] })];
    const avro = first.files.get('avro.ts') ?? '';
    expect(avro).toBe(second.files.get('avro.ts'));
    const literal = avro.slice(avro.indexOf('export const avroChannels = ') + 'export const avroChannels = '.length, avro.indexOf(' as const;'));
    expect(JSON.parse(literal)).toEqual([
      {
        address: 'orders.{region}',
        subjectStrategy: 'TopicNameStrategy',
        messages: [{ id: 'orderPlaced', schema: JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'kafka-avro', 'order-placed.avsc'), 'utf8')) }],
      },
    ]);
    expect(avro).toContain('export const schemaRegistryUrl = "http://127.0.0.1:8081";');
    expect(first.files.paths()).toEqual(expect.arrayContaining(['runtime/avro.ts', 'runtime/schema-registry.ts']));
    expect(first.diagnostics.filter((d) => d.code === 'unsupported-content-type')).toEqual([]);
  });

  it.each([
    ['a message binding alone (no registry URL)', (s: Spec) => delete s.servers['local']?.bindings, true],
    ['a registry URL alone (no message binding)', (s: Spec) => delete s.components.messages['orderPlaced']?.bindings, true],
    ['neither: Avro as the schema of JSON payloads, as before', (s: Spec) => (delete s.servers['local']?.bindings, delete s.components.messages['orderPlaced']?.bindings), false],
  ])('%s', async (name, edit, emitted) => {
    const result = await generateFiles(variant(name.replace(/\W+/g, '-'), edit), { transports: ['kafka'] });
    expect(result.files.get('avro.ts') !== undefined).toBe(emitted);
    expect(result.files.get('runtime/avro.ts') !== undefined).toBe(emitted);
  });

  it('emits nothing of Avro without the Kafka adapter', async () => {
    const result = await generateFiles(FIXTURE, { transports: ['nats'] });
    expect(result.files.paths().filter((p) => p.includes('avro'))).toEqual([]);
  });

  it.each([
    ['schemaIdLocation: header', (s: Spec) => (messageBinding(s)['schemaIdLocation'] = 'header'), 'kafka-avro-id-location', 'schemaIdLocation "header" is not supported'],
    [
      'schemaIdPayloadEncoding: apicurio-new',
      (s: Spec) => (messageBinding(s)['schemaIdPayloadEncoding'] = 'apicurio-new'),
      'kafka-avro-id-encoding',
      'schemaIdPayloadEncoding "apicurio-new" is not supported',
    ],
    ['an unknown schemaLookupStrategy', (s: Spec) => (messageBinding(s)['schemaLookupStrategy'] = 'MyStrategy'), 'kafka-avro-strategy', 'schemaLookupStrategy "MyStrategy" is not supported'],
    [
      'a union of two records',
      (s: Spec) => {
        const schema = s.components.messages['orderPlaced']?.payload.schema as { fields: unknown[] };
        schema.fields.push({
          name: 'party',
          type: [
            { type: 'record', name: 'Person', fields: [] },
            { type: 'record', name: 'Company', fields: [] },
          ],
        });
      },
      'kafka-avro-union',
      'an Avro union has two branches that are both objects in JSON',
    ],
  ])('refuses %s with a CodegenError', async (name, edit, code, message) => {
    const failure = generateFiles(variant(name.replace(/\W+/g, '-'), edit), { transports: ['kafka'] });
    await expect(failure).rejects.toBeInstanceOf(CodegenError);
    await expect(failure).rejects.toMatchObject({ code, location: { pointer: '/channels/orders/messages/orderPlaced' } });
    await expect(failure).rejects.toThrow(message);
    // The hint says how to generate the rest, and that way works.
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining("--filter '!channel:orders'") });
    const withAudit = (spec: Spec) => {
      edit(spec);
      const doc = spec as unknown as { channels: Record<string, unknown>; operations?: Record<string, unknown> };
      doc.channels['audit'] = { address: 'audit', messages: { auditNote: { payload: { type: 'object', properties: { note: { type: 'string' } } } } } };
      doc.operations = { ...doc.operations, sendAuditNote: { action: 'send', channel: { $ref: '#/channels/audit' } } };
    };
    const rest = await generateFiles(variant(`${name.replace(/\W+/g, '-')}-filtered`, withAudit), { transports: ['kafka'], filter: ['!channel:orders'] });
    expect(rest.files.paths().filter((p) => p.includes('avro'))).toEqual([]);
    expect(rest.ir.channels.map((c) => c.id)).toEqual(['audit']);
  });

  it('codegen init over Kafka wires the codec into the service and lists avsc beside kafkajs', async () => {
    const plan = await planScaffold({ dir: path.join(OUT, 'kafka-avro-scaffold'), spec: FIXTURE, transport: 'kafka' });
    const pkg = JSON.parse(String(plan.files.get('package.json'))) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(['avsc', 'kafkajs']);
    const index = String(plan.files.get('src/index.ts'));
    expect(index).toContain("import { confluentAvro } from './generated/orders-avro/runtime/avro.js';");
    expect(index).toContain('const registry = process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081";');
    expect(index).toContain('valueCodec }');
  });

  it('accepts Confluent strategy class names and warns about a vendor other than Confluent', async () => {
    const file = variant('apicurio', (s) => {
      messageBinding(s)['schemaLookupStrategy'] = 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy';
      const server = s.servers['local']?.bindings?.kafka;
      if (server) server['schemaRegistryVendor'] = 'apicurio';
    });
    const result = await generateFiles(file, { transports: ['kafka'] });
    expect(result.files.get('avro.ts')).toContain('"subjectStrategy": "TopicRecordNameStrategy"');
    expect(result.diagnostics.filter((d) => d.code === 'kafka-avro-vendor').map((d) => d.hint)).toEqual(["pass Apicurio's Confluent-compatible endpoint (…/apis/ccompat/v7) as the registry URL"]);
  });
});
