/**
 * The generated client with Avro in the Confluent wire format, over a private librdkafka mock
 * cluster (or KAFKA_BROKERS) and a Confluent-compatible registry on loopback: a round trip whose
 * record value is, byte for byte, what Apache Avro's Python implementation writes for the value;
 * records that cannot be read (no magic byte, an unknown schema id) dead-lettered at once with a
 * DecodeError; a payload the generated validator refuses never reaches the codec.
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confluentAvro, frameConfluent } from '../../templates/runtime/avro.js';
import { DecodeError } from '../../templates/runtime/errors.js';
import { connectKafka, type KafkaTransport } from '../../templates/runtime/kafka.js';
import type { IncomingMessage } from '../../templates/runtime/transport.js';
import { kafkaCluster, type KafkaTestCluster } from '../support/kafka-mock-cluster.js';
import { generated } from '../support/generated.js';
import { startSchemaRegistry, type TestRegistry } from '../support/schema-registry.js';
import { eventually, uniqueName } from './support.js';

const kafka = kafkaCluster();
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'kafka-avro');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const VALUE = JSON.parse(fixture('order-placed.json')) as Record<string, unknown>;
const RECORDED = fixture('order-placed.confluent.hex').trim();
const FAST = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100, redeliveryDelayMs: 10 } as const;

interface Endpoint {
  publish(payload: unknown, options: unknown): Promise<void>;
  subscribe(handler: (payload: unknown, context: { parameters: unknown }) => void, options?: unknown): Promise<{ close(): Promise<void> }>;
}

describe.skipIf(!kafka.available)(`Kafka Avro in the Confluent wire format (${kafka.title})`, () => {
  let cluster: KafkaTestCluster;
  let registry: TestRegistry;
  let avro: KafkaTransport;
  let plain: KafkaTransport;
  let client: { placeOrder: Endpoint; onOrderPlaced: Endpoint };
  const region = uniqueName('eu').replace(/[^a-z0-9]/g, '');
  const topic = `orders.${region}`;

  beforeAll(async () => {
    cluster = await kafka.open();
    await cluster.createTopics([topic, `${topic}.dead-letter`], 1);
    registry = await startSchemaRegistry();
    registry.register(`${topic}-value`, fixture('order-placed.avsc'), 7);
    const output = await generated(path.join(import.meta.dirname, '..', '..', 'specs', 'orders-avro.asyncapi.yaml'), 'kafka-avro', { transports: ['kafka'] });
    const { avroChannels } = (await import(path.join(output.dir, 'avro.ts'))) as { avroChannels: Parameters<typeof confluentAvro>[0]['channels'] };
    const index = (await import(path.join(output.dir, 'index.ts'))) as { createOrdersClient(transport: KafkaTransport): typeof client };
    avro = await connectKafka({ brokers: cluster.brokers, clientId: uniqueName('avro'), ...FAST, valueCodec: confluentAvro({ registry: { url: registry.url }, channels: avroChannels }) });
    plain = await connectKafka({ brokers: cluster.brokers, clientId: uniqueName('plain'), ...FAST });
    client = index.createOrdersClient(avro);
  });
  afterAll(async () => {
    await avro?.close();
    await plain?.close();
    await registry?.close();
    await cluster?.close();
  });

  /** Every record value of the topic, as the bytes on the wire. */
  const rawRecords = async (): Promise<{ values: string[]; close(): Promise<void> }> => {
    const values: string[] = [];
    const { addressPattern } = await import('../../templates/runtime/address.js');
    const subscription = await plain.subscribe(addressPattern(topic), async (m: IncomingMessage) => {
      values.push(Buffer.from(m.payload).toString('hex'));
    });
    return { values, close: () => subscription.close() };
  };

  it('round trip: the handler gets the value, and the record on the wire is what Apache Avro writes for it', async () => {
    const raw = await rawRecords();
    const got: Array<{ payload: unknown; parameters: unknown }> = [];
    const subscription = await client.onOrderPlaced.subscribe((payload, context) => void got.push({ payload, parameters: context.parameters }));
    try {
      await client.placeOrder.publish(VALUE, { parameters: { region } });
      await eventually(() => got.length === 1 && raw.values.length === 1, 'the record reaches both subscribers');
      expect(got).toEqual([{ payload: VALUE, parameters: { region } }]);
      expect(raw.values).toEqual([RECORDED]);
    } finally {
      await subscription.close();
      await raw.close();
    }
  });

  it.each([
    ['a JSON value (no magic byte)', () => Buffer.from(JSON.stringify(VALUE)), "not the Confluent wire format's magic byte 0x00"],
    ['a schema id the registry does not know', () => frameConfluent(4242, Buffer.from(RECORDED, 'hex').subarray(5)), 'schema id 4242 is unknown to the schema registry'],
  ])('a record with %s is dead-lettered at once with a DecodeError; the subscription goes on', async (_name, value, reason) => {
    const got: unknown[] = [];
    const lettered: Array<{ error: unknown; attempt: number }> = [];
    const subscription = await client.onOrderPlaced.subscribe((payload) => void got.push(payload), {
      onDeadLetter: (message: IncomingMessage, error: unknown) => lettered.push({ error, attempt: message.deliveryAttempt }),
    });
    try {
      await plain.publish(topic, { payload: value(), headers: {}, contentType: 'application/json' });
      await client.placeOrder.publish(VALUE, { parameters: { region } });
      await eventually(() => lettered.length === 1 && got.length === 1, 'the bad record is dead-lettered and the good one handled');
      expect(lettered[0]?.error).toBeInstanceOf(DecodeError);
      expect(String(lettered[0]?.error)).toContain(reason);
      expect(lettered[0]?.attempt).toBe(1);
      expect(got).toEqual([VALUE]);
    } finally {
      await subscription.close();
    }
  });

  it('a payload the generated validator refuses is not sent', async () => {
    const failure = client.placeOrder.publish({ ...VALUE, quantity: 'three' }, { parameters: { region } });
    // The generated client's runtime is its own copy: the error is told by its code.
    await expect(failure).rejects.toMatchObject({ code: 'validation', name: 'ValidationError' });
    await expect(failure).rejects.toThrow('/quantity must be integer');
  });
});
