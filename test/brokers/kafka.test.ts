/**
 * The Kafka transport. The pure pieces (topic names, subscription RegExps, record keys, headers)
 * and the failures that need no broker run everywhere; the broker suite runs against a private
 * librdkafka mock cluster (test/support/kafka-mock.c), or against the cluster KAFKA_BROKERS names
 * (e.g. `KAFKA_BROKERS=127.0.0.1:9092 npm test`). Cases the mock cannot run skip with its reason.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressPattern } from '../../templates/runtime/address.js';
import {
  connectKafka,
  deadLetterHeaders,
  decodeHeaders,
  encodeHeaders,
  KAFKA_TOPIC_RULE,
  kafkaTopic,
  KafkaTopicError,
  KafkaTransport,
  nextOffset,
  recordKey,
  topicSubscription,
  type KafkaTransportOptions,
} from '../../templates/runtime/kafka.js';
import { UnavailableError } from '../../templates/runtime/errors.js';
import type { IncomingMessage, OutgoingMessage } from '../../templates/runtime/transport.js';
import { kafkaCluster, MOCK_LIMITS, type KafkaTestCluster } from '../support/kafka-mock-cluster.js';
import { startRestartableKafkaMock } from '../support/kafka-mock.js';
import { eventually, uniqueName } from './support.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (payload: Uint8Array): string => new TextDecoder().decode(payload);
const json = (value: unknown): OutgoingMessage => ({ payload: bytes(JSON.stringify(value)), headers: {}, contentType: 'application/json' });

describe('Kafka topic names', () => {
  it.each([
    ['a dotted address', 'orders.eu.created'],
    ['every allowed character', 'AZaz09._-'],
    ['249 characters', 'a'.repeat(249)],
  ])('keep %s as it is', (_, address) => {
    expect(kafkaTopic(address)).toBe(address);
  });

  it.each([
    ['a slash', 'tenants/acme/orders', '"/" is not allowed; use an address such as "tenants.acme.orders"'],
    ['a colon', 'billing:invoices', '":" is not allowed; use an address such as "billing.invoices"'],
    ['a non-ASCII letter', 'bestellungen.über', '"ü" is not allowed'],
    ['a space', 'user signed up', '" " is not allowed'],
    ['nothing', '', 'it is empty'],
    ['"."', '.', 'it is reserved'],
    ['".."', '..', 'it is reserved'],
    ['250 characters', 'a'.repeat(250), 'it has 250 characters'],
  ])('refuse an address with %s', (_, address, reason) => {
    expect(() => kafkaTopic(address)).toThrow(KafkaTopicError);
    expect(() => kafkaTopic(address)).toThrow(`address "${address}" cannot be a Kafka topic: ${reason}`);
  });

  it('say the rule in the refusal', () => {
    expect(() => kafkaTopic('a/b')).toThrow(`address "a/b" cannot be a Kafka topic: "/" is not allowed; use an address such as "a.b" (${KAFKA_TOPIC_RULE})`);
  });
});

describe('Kafka subscriptions of address patterns', () => {
  const created = addressPattern('orders.{region}.created');
  const subscription = topicSubscription(created);

  it.each([
    ['orders.eu.created', true],
    ['orders.us-east_1.created', true],
    ['orders.eu.west.created', false],
    ['orders..created', false],
    ['orders.eu.created.dead-letter', false],
    ['xorders.eu.created', false],
    ['ordersXeuXcreated', false],
  ])('orders.{region}.created as a RegExp: %s matches = %s', (topic, matches) => {
    expect(subscription).toBeInstanceOf(RegExp);
    expect((subscription as RegExp).test(topic)).toBe(matches);
    expect(created.match(topic) !== undefined).toBe(matches);
  });

  it.each([
    ['a template without parameters', addressPattern('orders.created'), 'orders.created'],
    ['a template with every parameter pinned', addressPattern('orders.{region}.created', { region: 'eu' }), 'orders.eu.created'],
  ])('%s subscribes to one topic', (_, pattern, topic) => {
    expect(topicSubscription(pattern)).toBe(topic);
  });

  it('let a parameter span dots where the template has none', () => {
    expect((topicSubscription(addressPattern('{queue}')) as RegExp).test('billing.invoices')).toBe(true);
  });

  it('refuse a template whose literal text Kafka does not allow, naming the template', () => {
    expect(() => topicSubscription(addressPattern('tenants/{tenantId}/orders'))).toThrow(
      'address "tenants/{tenantId}/orders" cannot be a Kafka topic: "/" is not allowed; use an address such as "tenants.{tenantId}.orders"',
    );
  });

  it.each(['orders.{region}.created', 'commands.{region}.orders.{action}', '{queue}', 'logistics_{carrier}-returns'])('agree with pattern.match on any Kafka topic name: %s', (template) => {
    const pattern = addressPattern(template);
    const regex = topicSubscription(pattern) as RegExp;
    const name = fc.stringMatching(/^[a-zA-Z0-9._-]{1,40}$/);
    const shaped = fc.array(fc.oneof(fc.constantFrom('orders', 'created', 'commands', 'logistics_', '-returns', '.', 'eu'), name), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(fc.property(fc.oneof(name, shaped), (topic) => regex.test(topic) === (pattern.match(topic) !== undefined)));
  });
});

describe('Kafka record keys', () => {
  const event = json({ id: 7, data: { subject: 'user-42', nested: { deep: true }, empty: null } });
  const binary: OutgoingMessage = { ...json({ subject: 'user-42' }), headers: { ce_specversion: '1.0', ce_id: '7', ce_userid: 'u-7' } };
  it.each<[string, Parameters<typeof recordKey>[0], OutgoingMessage, string | undefined]>([
    ['a nested string field', 'data.subject', event, 'user-42'],
    ['a number field', 'id', event, '7'],
    ['a boolean field', 'data.nested.deep', event, 'true'],
    ['a missing field', 'data.missing', event, undefined],
    ['a path through null', 'data.empty.x', event, undefined],
    ['an object field', 'data.nested', event, undefined],
    ['an inherited property', 'toString', event, undefined],
    ['a payload that is not JSON', 'id', { payload: bytes('not json'), headers: {} }, undefined],
    ['no key option', undefined, event, undefined],
    ['a function of the address', (address) => `${address}:k`, event, 'orders.eu:k'],
    // Binary CloudEvents carry the data as the payload and attributes as ce_ headers: one path keys both modes.
    ['a binary CloudEvent, by a data field', 'data.subject', binary, 'user-42'],
    ['a binary CloudEvent, by an attribute header', 'userid', binary, 'u-7'],
    ['a binary CloudEvent, by an attribute it lacks', 'tenantid', binary, undefined],
    ['a binary CloudEvent, by a field outside data', 'subject', binary, undefined],
  ])('%s', (_, key, message, want) => {
    expect(recordKey(key, 'orders.eu', message)).toBe(want);
  });
});

describe('Kafka headers', () => {
  it('encode wire headers, content type, correlation id and reply-to as Kafka headers', () => {
    const message: OutgoingMessage = { payload: bytes('{}'), headers: { ce_id: '1', 'x-trace': 't' }, contentType: 'application/json', correlationId: 'c-1', replyTo: 'replies' };
    expect(encodeHeaders(message)).toEqual({ ce_id: '1', 'x-trace': 't', 'content-type': 'application/json', 'correlation-id': 'c-1', 'reply-to': 'replies' });
    expect(encodeHeaders({ payload: bytes(''), headers: {} })).toEqual({});
  });

  it.each<[string, Parameters<typeof decodeHeaders>[0], ReturnType<typeof decodeHeaders>]>([
    [
      'Buffers with a content type',
      { ce_id: Buffer.from('1'), 'content-type': Buffer.from('application/cloudevents+json') },
      { headers: { ce_id: '1' }, contentType: 'application/cloudevents+json', correlationId: undefined, replyTo: undefined },
    ],
    [
      'strings, correlation id and reply-to',
      { 'x-a': 'a', 'correlation-id': 'c-1', 'reply-to': 'replies' },
      { headers: { 'x-a': 'a' }, contentType: undefined, correlationId: 'c-1', replyTo: 'replies' },
    ],
    [
      'a repeated header, by its last value',
      { 'x-multi': [Buffer.from('a'), 'b', Buffer.from('c')] },
      { headers: { 'x-multi': 'c' }, contentType: undefined, correlationId: undefined, replyTo: undefined },
    ],
    ['UTF-8 text', { greeting: Buffer.from('grüße ✓') }, { headers: { greeting: 'grüße ✓' }, contentType: undefined, correlationId: undefined, replyTo: undefined }],
    ['missing values, skipped', { 'x-gone': undefined }, { headers: {}, contentType: undefined, correlationId: undefined, replyTo: undefined }],
    ['no headers', undefined, { headers: {}, contentType: undefined, correlationId: undefined, replyTo: undefined }],
  ])('decode %s', (_, raw, want) => {
    expect(decodeHeaders(raw)).toEqual(want);
  });

  it('keep a header named __proto__ as a header', () => {
    expect(Object.keys(decodeHeaders({ ['__proto__']: Buffer.from('x') }).headers)).toEqual(['__proto__']);
  });

  it('round-trip through Buffers as the broker returns them', () => {
    const message: OutgoingMessage = { payload: bytes('{}'), headers: { ce_type: 'com.example.created' }, contentType: 'application/json', correlationId: 'c-9' };
    const onTheWire = Object.fromEntries(Object.entries(encodeHeaders(message)).map(([k, v]) => [k, Buffer.from(v)]));
    expect(decodeHeaders(onTheWire)).toEqual({ headers: message.headers, contentType: 'application/json', correlationId: 'c-9', replyTo: undefined });
  });

  it('describe a dead-lettered record', () => {
    expect(deadLetterHeaders({ topic: 'orders', partition: 2, offset: '41' }, 3, new Error('no stock'))).toEqual({
      'dlt-original-topic': 'orders',
      'dlt-original-partition': '2',
      'dlt-original-offset': '41',
      'dlt-delivery-attempts': '3',
      'dlt-error': 'no stock',
    });
  });

  it.each([
    ['0', '1'],
    ['41', '42'],
    ['9007199254740993', '9007199254740994'],
  ])('commit %s as %s (the next offset, exact beyond 2^53)', (offset, want) => {
    expect(nextOffset(offset)).toBe(want);
  });
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Kafka transport without a broker', () => {
  let brokers: string[] = [];
  beforeAll(async () => {
    brokers = [`127.0.0.1:${await closedPort()}`];
  });
  const unreachable = (): KafkaTransport => new KafkaTransport(new Kafka({ brokers, retry: { retries: 1, initialRetryTime: 50 }, logLevel: logLevel.NOTHING }));

  it('connectKafka fails clearly when no broker answers', async () => {
    await expect(connectKafka({ brokers, retry: { retries: 0 } })).rejects.toThrow(/^cannot connect to Kafka: .*ECONNREFUSED/);
  });

  it('publish fails after its retries, naming the topic', async () => {
    const transport = unreachable();
    await expect(transport.publish('orders.eu', json({}))).rejects.toThrow(/^publish to Kafka topic "orders.eu" failed: cannot connect to Kafka/);
    await transport.close();
  });

  it('refuses a bad address before any network traffic', async () => {
    const transport = unreachable();
    await expect(transport.publish('tenants/acme', json({}))).rejects.toThrow(KafkaTopicError);
    await expect(transport.subscribe(addressPattern('tenants/{id}'), async () => undefined)).rejects.toThrow(KafkaTopicError);
    await transport.close();
    await expect(transport.publish('orders', json({}))).rejects.toThrow('KafkaTransport is closed');
  });

  it('sends CloudEvents in binary mode with ce_ headers (the Kafka protocol binding)', () => {
    expect(unreachable().cloudEvents).toEqual({ headerPrefix: 'ce_', binary: true });
  });
});

const kafka = kafkaCluster();
/**
 * Fast rebalances: the mock gives a departed member's partitions away a session timeout (minus 1 s)
 * later. Short fetches: the mock holds a fetch that found nothing for its whole max wait, even when
 * records arrive meanwhile (a real broker answers at once).
 */
const FAST = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 } as const;
const CONSUMER = path.join(import.meta.dirname, '..', 'support', 'kafka-mock-consumer.ts');
const skipped = (limit: string): string => (kafka.mock ? ` (skipped: ${limit})` : '');

describe.skipIf(!kafka.available)(kafka.title, () => {
  let cluster: KafkaTestCluster;
  let raw: Kafka;
  let admin: Admin;
  const groups: string[] = [];
  const transports: KafkaTransport[] = [];

  beforeAll(async () => {
    cluster = await kafka.open();
    raw = new Kafka({ brokers: cluster.brokers, clientId: 'kafka-test', logLevel: logLevel.NOTHING });
    admin = raw.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.allSettled(transports.map((t) => t.close()));
    if (!kafka.mock) await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
    await cluster.close();
  });

  const createTopics = (names: string[], partitions = 1): Promise<void> => cluster.createTopics(names, partitions);

  async function transport(options: Partial<KafkaTransportOptions> = {}): Promise<KafkaTransport> {
    const t = await connectKafka({ brokers: cluster.brokers, clientId: 'kafka-test', redeliveryDelayMs: 10, ...FAST, ...options });
    transports.push(t);
    return t;
  }

  function group(): string {
    const name = uniqueName('group');
    groups.push(name);
    return name;
  }

  async function committed(groupId: string, topic: string): Promise<string[]> {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => p.offset);
  }

  /** Reads `count` records with a plain kafkajs consumer, from the beginning, with their partitions. */
  async function readRaw(topic: string, count: number): Promise<Array<KafkaMessage & { partition: number }>> {
    const consumer = raw.consumer({ groupId: group(), sessionTimeout: FAST.sessionTimeoutMs, heartbeatInterval: FAST.heartbeatIntervalMs, maxWaitTimeInMs: FAST.maxWaitTimeMs });
    const got: Array<KafkaMessage & { partition: number }> = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message, partition }) => void got.push({ ...message, partition }) });
    try {
      await eventually(() => got.length >= count, `${count} records on ${topic}`, 30_000);
    } finally {
      await consumer.disconnect();
    }
    return got;
  }

  const n = (m: IncomingMessage): number => (JSON.parse(text(m.payload)) as { n: number }).n;

  it('round-trips payload, headers, content type and correlation id', async () => {
    const topic = uniqueName('roundtrip');
    await createTopics([topic]);
    const t = await transport();
    const got: IncomingMessage[] = [];
    await t.subscribe(addressPattern(topic), async (m) => void got.push(m));
    await t.publish(topic, { payload: bytes('{"a":1}'), headers: { ce_id: '1', 'x-trace': 'abc' }, contentType: 'application/json', correlationId: 'c-1' });
    await eventually(() => got.length === 1, 'the record', 30_000);
    expect(got[0]).toMatchObject({ address: topic, headers: { ce_id: '1', 'x-trace': 'abc' }, contentType: 'application/json', correlationId: 'c-1', deliveryAttempt: 1 });
    expect(text(got[0]?.payload ?? new Uint8Array())).toBe('{"a":1}');
  });

  it('receives a parameterised address from every matching topic and no other', async () => {
    const prefix = uniqueName('orders');
    const [eu, us, audit] = [`${prefix}.eu.created`, `${prefix}.us.created`, `${prefix}.eu.created.audit`];
    await createTopics([eu, us, audit]);
    const t = await transport();
    const pattern = addressPattern(`${prefix}.{region}.created`);
    const got: string[] = [];
    await t.subscribe(pattern, async (m) => void got.push(pattern.match(m.address)?.['region'] ?? '?'));
    for (const topic of [audit, eu, us]) await t.publish(topic, json({ topic }));
    await eventually(() => got.length >= 2, 'both regions', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(got.sort()).toEqual(['eu', 'us']);
  });

  it("splits a group's partitions between its members, each partition to one member; an ungrouped subscriber sees every record", async () => {
    const topic = uniqueName('shared');
    await createTopics([topic], 4);
    // fromBeginning: records published while the group rebalances are not skipped.
    const [a, b] = [await transport({ fromBeginning: true }), await transport({ fromBeginning: true })];
    const shared = group();
    const byMember: Record<'a' | 'b' | 'all', number[]> = { a: [], b: [], all: [] };
    const record = (who: keyof typeof byMember) => async (m: IncomingMessage) => void byMember[who].push(n(m));
    await a.subscribe(addressPattern(topic), record('a'), { group: shared });
    await b.subscribe(addressPattern(topic), record('b'), { group: shared }); // resolves once both members hold their share
    await b.subscribe(addressPattern(topic), record('all'));
    const sent = Array.from({ length: 40 }, (_, i) => i);
    const producer = raw.producer();
    await producer.connect();
    // Spread over the 4 partitions by the record's own number, so each partition holds 10.
    await producer.send({ topic, messages: sent.map((i) => ({ partition: i % 4, value: JSON.stringify({ n: i }) })) });
    await producer.disconnect();
    await eventually(() => byMember.a.length + byMember.b.length === 40 && byMember.all.length === 40, 'every record', 30_000);
    expect([...byMember.a, ...byMember.b].sort((x, y) => x - y)).toEqual(sent);
    expect(byMember.all.sort((x, y) => x - y)).toEqual(sent);
    const partitions = (got: number[]): number[] => [...new Set(got.map((i) => i % 4))].sort();
    expect(partitions(byMember.a).length).toBeGreaterThan(0);
    expect(partitions(byMember.b).length).toBeGreaterThan(0);
    expect([...partitions(byMember.a), ...partitions(byMember.b)].sort()).toEqual([0, 1, 2, 3]);
  });

  it('keys records by the configured payload field: one key, one partition, in publish order', async () => {
    const topic = uniqueName('keyed');
    await createTopics([topic], 4);
    const t = await transport({ key: 'data.subject' });
    const subjects = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5'];
    for (let i = 0; i < 25; i++) await t.publish(topic, json({ n: i, data: { subject: subjects[i % 5] } }));
    await t.publish(topic, json({ n: 25, data: {} })); // no such field: no key
    const records = await readRaw(topic, 26);
    const byKey = new Map<string, Array<{ partition: number; n: number }>>();
    for (const r of records) {
      const key = r.key === null ? '(none)' : r.key.toString();
      byKey.set(key, [...(byKey.get(key) ?? []), { partition: r.partition, n: (JSON.parse(r.value?.toString() ?? '{}') as { n: number }).n }]);
    }
    expect([...byKey.keys()].sort()).toEqual(['(none)', ...subjects]);
    for (const subject of subjects) {
      const got = byKey.get(subject) ?? [];
      expect(new Set(got.map((g) => g.partition)).size, subject).toBe(1);
      expect(
        got.map((g) => g.n),
        subject,
      ).toEqual(got.map((g) => g.n).sort((x, y) => x - y));
    }
  });

  it('commits a record only after its handler resolves, and close waits for it', async () => {
    const topic = uniqueName('commit');
    await createTopics([topic]);
    const t = await transport();
    const groupId = group();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const sub = await t.subscribe(
      addressPattern(topic),
      async (m) => {
        seen.push(text(m.payload));
        await gate;
        seen.push('done');
      },
      { group: groupId },
    );
    await t.publish(topic, { payload: bytes('slow'), headers: {} });
    await eventually(() => seen.length === 1, 'the handler to start', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await committed(groupId, topic)).toEqual(['-1']);
    setTimeout(release, 200);
    await sub.close();
    expect(seen).toEqual(['slow', 'done']);
    expect(await committed(groupId, topic)).toEqual(['1']);
  });

  it('a consumer killed mid-batch loses nothing it acknowledged and skips nothing it did not', async () => {
    const topic = uniqueName('killed');
    await createTopics([topic]);
    const groupId = group();
    const t = await transport();
    const sent = Array.from({ length: 30 }, (_, i) => i);
    for (const i of sent) await t.publish(topic, json({ n: i }));
    // Another process takes the whole batch in one fetch, handles records slowly, and is killed -9 after the 10th.
    const child = spawn(process.execPath, ['--import', 'tsx', CONSUMER, cluster.brokers.join(','), topic, groupId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const handledByChild = (): number[] => [...stdout.matchAll(/^handled (\d+)$/gm)].map((m) => Number(m[1]));
    try {
      await eventually(() => handledByChild().length >= 10, `the other process to handle 10 records (stderr: ${stderr})`, 60_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const before = handledByChild();
    const [offset] = await committed(groupId, topic);
    const acknowledged = Number(offset);
    // Committed after each handler: either the last handled record's commit went out or it did not.
    expect(acknowledged === before.length || acknowledged === before.length - 1, `committed ${acknowledged} after ${before.length} handled`).toBe(true);
    expect(acknowledged).toBeLessThan(sent.length);

    const after: number[] = [];
    await t.subscribe(addressPattern(topic), async (m) => void after.push(n(m)), { group: groupId });
    await eventually(() => after.includes(29), 'the rest of the records in the same group', 60_000);
    expect(after).toEqual(sent.slice(acknowledged)); // from the committed offset on, in order, none skipped, none acknowledged again
    expect([...new Set([...before, ...after])].sort((x, y) => x - y)).toEqual(sent);
  });

  it('redelivers a rejected record up to maxDeliveries, then dead-letters it and moves on', async () => {
    const topic = uniqueName('retry');
    await createTopics([topic, `${topic}.dead-letter`]);
    const t = await transport();
    const groupId = group();
    const attempts: Array<[string, number]> = [];
    const dead: Array<[IncomingMessage, unknown]> = [];
    await t.subscribe(
      addressPattern(topic),
      async (m) => {
        const body = text(m.payload);
        attempts.push([body, m.deliveryAttempt]);
        if (body === 'poison' || (body === 'flaky' && m.deliveryAttempt === 1)) throw new Error(`cannot handle ${body}`);
      },
      { group: groupId, maxDeliveries: 3, onDeadLetter: (m, error) => dead.push([m, error]) },
    );
    for (const body of ['poison', 'flaky', 'ok']) await t.publish(topic, { payload: bytes(body), headers: { 'x-id': body }, contentType: 'text/plain' });
    await eventually(() => attempts.some(([body]) => body === 'ok'), 'the record after the poison', 30_000);
    expect(attempts).toEqual([
      ['poison', 1],
      ['poison', 2],
      ['poison', 3],
      ['flaky', 1],
      ['flaky', 2],
      ['ok', 1],
    ]);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.[0]).toMatchObject({ address: topic, deliveryAttempt: 3, headers: { 'x-id': 'poison' } });
    expect(String(dead[0]?.[1])).toContain('cannot handle poison');
    await eventually(async () => (await committed(groupId, topic))[0] === '3', 'the offset after all three records', 30_000);

    const [letter] = await readRaw(`${topic}.dead-letter`, 1);
    expect(letter?.value?.toString()).toBe('poison');
    expect(decodeHeaders(letter?.headers)).toEqual({
      headers: { 'x-id': 'poison', 'dlt-original-topic': topic, 'dlt-original-partition': '0', 'dlt-original-offset': '0', 'dlt-delivery-attempts': '3', 'dlt-error': 'cannot handle poison' },
      contentType: 'text/plain',
      correlationId: undefined,
      replyTo: undefined,
    });
  });

  it('interoperates with plain kafkajs producers and consumers', async () => {
    const [inbound, outbound] = [uniqueName('interop-in'), uniqueName('interop-out')];
    await createTopics([inbound, outbound]);
    const t = await transport({ key: 'data.subject' });
    const got: IncomingMessage[] = [];
    await t.subscribe(addressPattern(inbound), async (m) => void got.push(m));

    const producer = raw.producer();
    await producer.connect();
    await producer.send({ topic: inbound, messages: [{ key: 'k', value: '{"x":1}', headers: { 'content-type': Buffer.from('application/json'), ce_id: Buffer.from('7') } }] });
    await producer.disconnect();
    await eventually(() => got.length === 1, 'the plain record', 30_000);
    expect(got[0]).toMatchObject({ contentType: 'application/json', headers: { ce_id: '7' } });
    expect(text(got[0]?.payload ?? new Uint8Array())).toBe('{"x":1}');

    await t.publish(outbound, json({ data: { subject: 'user-42' } }));
    const [record] = await readRaw(outbound, 1);
    expect(record?.key?.toString()).toBe('user-42');
    expect(record?.headers?.['content-type']?.toString()).toBe('application/json');
    expect(JSON.parse(record?.value?.toString() ?? 'null')).toEqual({ data: { subject: 'user-42' } });
  });

  it.skipIf(kafka.mock)(`removes the group of a subscription without one when it closes${skipped(MOCK_LIMITS.admin)}`, async () => {
    const topic = uniqueName('ungrouped');
    await createTopics([topic]);
    const t = await transport();
    const before = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    const sub = await t.subscribe(addressPattern(topic), async () => undefined);
    const mine = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => !before.has(g) && g.startsWith('kafka-test-'));
    expect(mine).toHaveLength(1);
    await sub.close();
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(mine[0]);
  });

  it.skipIf(kafka.mock)(`never hands a subscriber the records of an aborted transaction${skipped(MOCK_LIMITS.transactions)}`, async () => {
    const topic = uniqueName('txn');
    await createTopics([topic]);
    const t = await transport();
    const got: string[] = [];
    await t.subscribe(addressPattern(topic), async (m) => void got.push(text(m.payload)));
    const producer = raw.producer({ transactionalId: uniqueName('txn'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted' }] });
    await aborted.abort();
    const kept = await producer.transaction();
    await kept.send({ topic, messages: [{ value: 'committed' }] });
    await kept.commit();
    await producer.disconnect();
    await eventually(() => got.includes('committed'), 'the committed record', 30_000);
    expect(got).toEqual(['committed']);
  });
});

describe.skipIf(!kafka.available || !kafka.mock)(`${kafka.mock ? kafka.title : 'Kafka (skipped: KAFKA_BROKERS names a cluster this test cannot restart)'}: the cluster killed and restarted`, () => {
  it('clients reconnect; a publish during the outage fails clearly or succeeds, and what succeeded is received', async () => {
    const topic = uniqueName('restart');
    const cluster = await startRestartableKafkaMock([`${topic}:1`]);
    const patient = await connectKafka({ brokers: cluster.brokers, clientId: 'kafka-restart', ...FAST, fromBeginning: true, retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 2_000 } });
    const impatient = await connectKafka({ brokers: cluster.brokers, clientId: 'kafka-restart', retry: { retries: 0 }, connectionTimeout: 500 });
    try {
      const got: string[] = [];
      // Nothing is read before the crash: the restarted mock is empty and numbers its records from 0
      // again, which a real cluster (that keeps its log) never does, so a consumer past offset 0 would skip some.
      await patient.subscribe(addressPattern(topic), async (m) => void got.push(text(m.payload)), { group: uniqueName('restart') });

      await cluster.kill();
      const refused = impatient.publish(topic, { payload: bytes('refused'), headers: {} });
      await expect(refused).rejects.toThrow(/^publish to Kafka topic ".+" failed: /);
      await expect(refused).rejects.toBeInstanceOf(UnavailableError); // the runtime's error for a broker that is gone
      const during = ['during-1', 'during-2', 'during-3'].map((body) => patient.publish(topic, { payload: bytes(body), headers: {} }).then(() => body));
      await new Promise((r) => setTimeout(r, 1_500));
      await cluster.restart();
      const outcomes = await Promise.allSettled(during);
      const delivered = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(UnavailableError);
      expect(delivered.length).toBeGreaterThan(0); // the patient client rides out a 1.5 s outage
      await patient.publish(topic, { payload: bytes('after'), headers: {} });
      await impatient.publish(topic, { payload: bytes('impatient-after'), headers: {} });
      await eventually(() => ['after', 'impatient-after', ...delivered].every((d) => got.includes(d)), `"after" and every publish that resolved (${delivered.join(', ')})`, 60_000);
      // The new coordinator never heard of the group; kafkajs gives the consumer up a session later, and the adapter restarts it.
      await new Promise((r) => setTimeout(r, FAST.sessionTimeoutMs + 2_000));
      await patient.publish(topic, { payload: bytes('later'), headers: {} });
      await eventually(() => got.includes('later'), 'a record published after kafkajs gave the old consumer up', 30_000);
      expect(got).not.toContain('refused'); // a publish that failed was not sent after all
    } finally {
      await Promise.allSettled([patient.close(), impatient.close()]);
      await cluster.stop();
    }
  });
});
