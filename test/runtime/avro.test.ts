/**
 * Avro in the Confluent wire format: the codec against bytes Apache Avro's Python implementation
 * wrote (test/fixtures/kafka-avro), over a Confluent-compatible registry on loopback; the failures
 * a consumer meets (no magic byte, an unknown id, no registry) as clear MessagingErrors.
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AvroChannel, confluentAvro, frameConfluent, SchemaRegistry, SchemaRegistryError } from '../../templates/runtime/avro.js';
import { DecodeError, UnavailableError, UsageError, ValidationError } from '../../templates/runtime/errors.js';
import { KafkaTransport } from '../../templates/runtime/kafka.js';
import type { OutgoingMessage } from '../../templates/runtime/transport.js';
import { startSchemaRegistry, type TestRegistry } from '../support/schema-registry.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/kafka-avro/${name}`, import.meta.url), 'utf8');
const SCHEMA_TEXT = fixture('order-placed.avsc');
const SCHEMA = JSON.parse(SCHEMA_TEXT) as Record<string, unknown>;
const VALUE = JSON.parse(fixture('order-placed.json')) as Record<string, unknown>;
/** Written by python3-avro with schema id 7. */
const RECORDED = Buffer.from(fixture('order-placed.confluent.hex').trim(), 'hex');
const TOPIC = 'orders.eu';

const channels = (strategy: AvroChannel['subjectStrategy'] = 'TopicNameStrategy'): AvroChannel[] => [
  { address: 'orders.{region}', subjectStrategy: strategy, messages: [{ id: 'orderPlaced', schema: SCHEMA }] },
];
const outgoing = (value: unknown): OutgoingMessage => ({ payload: Buffer.from(JSON.stringify(value)), headers: {}, contentType: 'application/vnd.apache.avro+binary' });
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

describe('Confluent Avro codec', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startSchemaRegistry();
    registry.register(`${TOPIC}-value`, SCHEMA_TEXT, 7);
  });
  afterAll(() => registry.close());

  it('decodes the bytes Apache Avro (python3-avro) wrote into the JSON value', async () => {
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels() });
    expect(json(await codec.decode(TOPIC, RECORDED))).toEqual(VALUE);
  });

  it('encodes the JSON value into those same bytes, with the id the registry holds for <topic>-value', async () => {
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels() });
    const { value, contentType } = await codec.encode(TOPIC, outgoing(VALUE));
    expect(Buffer.from(value).toString('hex')).toBe(RECORDED.toString('hex'));
    expect(contentType).toBe('application/vnd.apache.avro+binary');
  });

  it('asks the registry once per id and once per subject and schema', async () => {
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels() });
    const before = registry.requests.length;
    for (let i = 0; i < 3; i++) {
      await codec.encode(TOPIC, outgoing(VALUE));
      await codec.decode(TOPIC, RECORDED);
    }
    expect(registry.requests.slice(before)).toEqual([`POST /subjects/${TOPIC}-value`, 'GET /schemas/ids/7']);
  });

  it.each([
    ['a JSON value (no magic byte)', Buffer.from(JSON.stringify(VALUE)), "starts with byte 0x7b, not the Confluent wire format's magic byte 0x00"],
    ['a magic byte 1', Buffer.concat([Buffer.from([1]), RECORDED.subarray(1)]), 'starts with byte 0x01'],
    ['fewer than 5 bytes', Buffer.from([0, 0, 0]), 'the value has 3 bytes; the Confluent wire format needs 5'],
    ['an id the registry does not know', frameConfluent(99, RECORDED.subarray(5)), 'schema id 99 is unknown to the schema registry'],
    ['a body cut short', RECORDED.subarray(0, 20), "the Avro body does not match the writer's schema (id 7)"],
  ])('refuses %s with a DecodeError', async (_name, value, reason) => {
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels() });
    const failure = codec.decode(TOPIC, value);
    await expect(failure).rejects.toBeInstanceOf(DecodeError);
    await expect(failure).rejects.toThrow(`cannot decode message on "${TOPIC}": `);
    await expect(failure).rejects.toThrow(reason);
  });

  it('reads a newer writer through the spec schema (Avro schema resolution): a field it lacks takes its default', async () => {
    const fields = (SCHEMA['fields'] as Array<{ name: string }>).filter((f) => f.name !== 'note');
    const writer = { ...SCHEMA, fields: [...fields, { name: 'channel', type: 'string' }] };
    const id = registry.register(`${TOPIC}-value`, JSON.stringify(writer));
    const avsc = (await import('avsc')).default;
    const { note: _note, ...rest } = VALUE;
    const body = avsc.Type.forSchema(writer as never, { wrapUnions: false }).toBuffer({ ...rest, checksum: Buffer.from(String(VALUE['checksum']), 'latin1'), channel: 'web' });
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels() });
    expect(json(await codec.decode(TOPIC, frameConfluent(id, body)))).toEqual({ ...VALUE, note: null });
  });

  it('refuses a value Avro cannot hold, naming the field', async () => {
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels() });
    const failure = codec.encode(TOPIC, outgoing({ ...VALUE, quantity: 2 ** 31 }));
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(failure).rejects.toThrow('orderPlaced: invalid payload on publish: /quantity is not a valid Avro int (got 2147483648)');
  });

  it.each([
    ['TopicRecordNameStrategy', `${TOPIC}-com.example.orders.OrderPlaced`],
    ['RecordNameStrategy', 'com.example.orders.OrderPlaced'],
  ] as const)('%s looks the id up under %s', async (strategy, subject) => {
    const id = registry.register(subject, SCHEMA_TEXT);
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels(strategy) });
    const { value } = await codec.encode(TOPIC, outgoing(VALUE));
    expect(Buffer.from(value).readUInt32BE(1)).toBe(id);
    expect(registry.requests.at(-1)).toBe(`POST /subjects/${subject}`);
  });

  it('refuses a subject the registry lacks, saying how to fix it; with autoRegister it registers the schema', async () => {
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels() });
    const failure = codec.encode('orders.us', outgoing(VALUE));
    await expect(failure).rejects.toBeInstanceOf(SchemaRegistryError);
    await expect(failure).rejects.toThrow(`schema registry ${registry.url} has no subject "orders.us-value": register the schema there, or pass autoRegister: true`);
    const registering = confluentAvro({ registry: new SchemaRegistry({ url: registry.url, autoRegister: true }), channels: channels() });
    const { value } = await registering.encode('orders.us', outgoing(VALUE));
    expect(registry.requests.slice(-2)).toEqual(['POST /subjects/orders.us-value', 'POST /subjects/orders.us-value/versions']);
    expect(json(await registering.decode('orders.us', value))).toEqual(VALUE);
  });

  it('reports a registry it cannot reach as unavailable (the consumer tries the record again)', async () => {
    const codec = confluentAvro({ registry: { url: 'http://127.0.0.1:1', timeoutMs: 2_000 }, channels: channels() });
    await expect(codec.decode(TOPIC, RECORDED)).rejects.toBeInstanceOf(UnavailableError);
    await expect(codec.encode(TOPIC, outgoing(VALUE))).rejects.toThrow('schema registry http://127.0.0.1:1 cannot be reached (POST /subjects/orders.eu-value)');
  });

  it('takes only the topics of its channels', () => {
    const codec = confluentAvro({ registry: { url: registry.url }, channels: channels() });
    expect([codec.handles('orders.eu'), codec.handles('orders'), codec.handles('payments.eu')]).toEqual([true, false, false]);
  });

  it('refuses an Avro union whose branches JSON cannot tell apart when it is built', () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [
        {
          name: 'x',
          type: [
            { type: 'record', name: 'A', fields: [] },
            { type: 'record', name: 'B', fields: [] },
          ],
        },
      ],
    };
    expect(() => confluentAvro({ registry: { url: registry.url }, channels: [{ address: 'r', subjectStrategy: 'TopicNameStrategy', messages: [{ id: 'r', schema }] }] })).toThrow(UsageError);
  });
});

describe('Kafka adapter without a value codec', () => {
  it('refuses to send an Avro message as JSON, before it reaches a broker', async () => {
    const transport = new KafkaTransport(new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }));
    const failure = transport.publish(TOPIC, outgoing(VALUE));
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow('is Avro (application/vnd.apache.avro+binary) but no value codec covers the topic: pass valueCodec: confluentAvro(');
    await transport.close();
  });
});
