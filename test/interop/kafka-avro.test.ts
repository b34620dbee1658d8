/**
 * Avro in the Confluent wire format against peers written by others: kcat (librdkafka) moves the
 * records, and Apache Avro's Python implementation (Debian's python3-avro) writes and reads the
 * values, looking the writer's schema up by id in the registry as Confluent's deserializers do.
 * The registry is a Confluent-compatible fixture on loopback (test/support/schema-registry.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confluentAvro } from '../../templates/runtime/avro.js';
import { connectKafka, type KafkaTransport } from '../../templates/runtime/kafka.js';
import { eventually, uniqueName } from '../brokers/support.js';
import { generated } from '../support/generated.js';
import { kafkaCluster, type KafkaTestCluster } from '../support/kafka-mock-cluster.js';
import { startSchemaRegistry, type TestRegistry } from '../support/schema-registry.js';
import { PYTHON, peer, pythonModule, run } from './peers.js';

const kafka = kafkaCluster();
const kcat = peer('kcat', ['kcat']);
const python = peer('python3-avro', [PYTHON], pythonModule('avro.io'));
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'kafka-avro');
const SCHEMA_FILE = path.join(FIXTURES, 'order-placed.avsc');
const PEER = path.join(import.meta.dirname, 'avro_peer.py');
const VALUE = JSON.parse(readFileSync(path.join(FIXTURES, 'order-placed.json'), 'utf8')) as Record<string, unknown>;

interface Endpoint {
  publish(payload: unknown, options: unknown): Promise<void>;
  subscribe(handler: (payload: unknown) => void): Promise<{ close(): Promise<void> }>;
}

describe.skipIf(!kafka.available || !kcat.available || !python.available)(`Kafka Avro interop with ${kcat.title} and ${python.title} (${kafka.title})`, () => {
  let cluster: KafkaTestCluster;
  let registry: TestRegistry;
  let transport: KafkaTransport;
  let client: { placeOrder: Endpoint; onOrderPlaced: Endpoint };
  const region = uniqueName('interop').replace(/[^a-z0-9]/g, '');
  const topic = `orders.${region}`;
  let schemaId = 0;

  beforeAll(async () => {
    cluster = await kafka.open();
    await cluster.createTopics([topic], 1);
    registry = await startSchemaRegistry();
    schemaId = registry.register(`${topic}-value`, readFileSync(SCHEMA_FILE, 'utf8'), 31);
    const output = await generated(path.join(import.meta.dirname, '..', '..', 'specs', 'orders-avro.asyncapi.yaml'), 'kafka-avro-interop', { transports: ['kafka'] });
    const { avroChannels } = (await import(path.join(output.dir, 'avro.ts'))) as { avroChannels: Parameters<typeof confluentAvro>[0]['channels'] };
    const index = (await import(path.join(output.dir, 'index.ts'))) as { createOrdersClient(transport: KafkaTransport): typeof client };
    transport = await connectKafka({
      brokers: cluster.brokers,
      clientId: uniqueName('avro-interop'),
      maxWaitTimeMs: 100,
      valueCodec: confluentAvro({ registry: { url: registry.url }, channels: avroChannels }),
    });
    client = index.createOrdersClient(transport);
  });
  afterAll(async () => {
    await transport?.close();
    await registry?.close();
    await cluster?.close();
  });

  it('python3-avro writes the value, kcat produces it: the generated client reads it', async () => {
    const value = { ...VALUE, id: uniqueName('o'), note: null, tags: [] };
    const hex = await run(PYTHON, [PEER, 'encode', SCHEMA_FILE, String(schemaId)], { input: JSON.stringify(value) });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'avro-')), 'value.bin');
    writeFileSync(file, Buffer.from(hex.trim(), 'hex'));
    const got: unknown[] = [];
    const subscription = await client.onOrderPlaced.subscribe((payload) => void got.push(payload));
    try {
      // kcat sends each file named on its command line as one record.
      await run('kcat', ['-b', cluster.brokers.join(','), '-P', '-t', topic, file]);
      await eventually(() => got.length === 1, 'the record kcat produced reaches the handler');
      expect(got).toEqual([value]);
    } finally {
      await subscription.close();
    }
  });

  it('the generated client publishes, kcat consumes the record: python3-avro reads it with the schema the registry has for its id', async () => {
    const value = { ...VALUE, id: uniqueName('o') };
    await client.placeOrder.publish(value, { parameters: { region } });
    const consumed = spawnSync('kcat', ['-b', cluster.brokers.join(','), '-C', '-t', topic, '-o', '-1', '-c', '1', '-e', '-f', '%s'], { timeout: 15_000 });
    expect(consumed.status, consumed.stderr.toString()).toBe(0);
    const decoded = await run(PYTHON, [PEER, 'decode', registry.url], { input: consumed.stdout.toString('hex') });
    expect(JSON.parse(decoded)).toEqual({ schemaId, value });
  });
});
