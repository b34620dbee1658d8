/**
 * The Kafka adapter against kcat (Debian's, on its own librdkafka), both directions, both
 * CloudEvents content modes, with record keys and headers, over a private librdkafka mock cluster
 * (or the cluster KAFKA_BROKERS names). Per the Kafka binding the content-type header decides the
 * mode: `application/cloudevents+json` is structured, anything else binary with `ce_` headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { connectKafka, type KafkaTransport } from '../../templates/runtime/kafka.js';
import { eventually, uniqueName } from '../brokers/support.js';
import { kafkaCluster, type KafkaTestCluster } from '../support/kafka-mock-cluster.js';
import { attributes, EVENT, peer, run, STRUCTURED } from './peers.js';

const kafka = kafkaCluster();
const kcat = peer('kcat', ['kcat']);
const TOPIC = 'system-events.user-session';

describe.skipIf(!kafka.available || !kcat.available)(`Kafka interop with ${kcat.title} (${kafka.title})`, () => {
  let cluster: KafkaTestCluster;
  let admin: Admin;
  let transport: KafkaTransport;
  beforeAll(async () => {
    cluster = await kafka.open();
    await cluster.createTopics([TOPIC], 1);
    admin = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    // Short fetches: the mock holds a fetch that found nothing for its whole max wait.
    transport = await connectKafka({ brokers: cluster.brokers, clientId: uniqueName('interop'), key: 'data.subject', maxWaitTimeMs: 100 });
  });
  afterAll(async () => {
    await transport?.close();
    await admin?.disconnect();
    await cluster?.close();
  });

  const brokers = (): string => cluster.brokers.join(',');
  const header = (name: string, value: string): string[] => ['-H', `${name}=${value}`];

  it.each([
    ['structured (content-type application/cloudevents+json, the event as the value)', 'structured'],
    ['binary (ce_ headers, the data as the value)', 'binary'],
  ] as const)('kcat produces %s with a key: the handler gets the event', async (_name, mode) => {
    const id = uniqueName('evt');
    const event = { ...EVENT, id };
    const [value, headers] =
      mode === 'structured'
        ? [JSON.stringify(event), header('content-type', STRUCTURED)]
        : [JSON.stringify(EVENT.data), [...header('content-type', 'application/json'), ...attributes().flatMap(([k, v]) => header(`ce_${k}`, k === 'id' ? id : v))]];
    const got = await receiving(id, () => run('kcat', ['-b', brokers(), '-P', '-t', TOPIC, '-K', '\t', ...headers], { input: `user-42\t${value}\n` }).then(() => undefined));
    expect(got).toEqual([mode === 'structured' ? event : { ...event, datacontenttype: 'application/json' }]);
  });

  it.each([
    ['structured', STRUCTURED],
    ['binary', 'application/json'],
  ] as const)('the client sends %s, keyed by data.subject: kcat reads key, headers and value', async (mode, contentType) => {
    const marker = uniqueName('subject');
    const high = (await admin.fetchTopicOffsets(TOPIC))[0]?.high ?? '0';
    const client = sessions.createUserSessionsClient(transport, { cloudEvents: { mode } });
    const { id: _id, time: _time, specversion: _v, type: _type, ...init } = EVENT;
    await client.userSessionBegin.emit({ ...init, data: { ...init.data, subject: marker } });
    // One record from the offset the topic ended at before the publish: this case's own.
    const out = await run('kcat', ['-b', brokers(), '-C', '-t', TOPIC, '-p', '0', '-o', high, '-c', '1', '-f', '%k\\t%h\\t%s\\n'], { timeoutMs: 20_000 });
    const [key = '', rawHeaders = '', ...value] = out.trimEnd().split('\t');
    const headers = Object.fromEntries(rawHeaders.split(',').map((h) => [h.slice(0, h.indexOf('=')), h.slice(h.indexOf('=') + 1)]));
    const body = JSON.parse(value.join('\t')) as Record<string, unknown>;
    expect(key).toBe(marker);
    expect(headers['content-type']).toBe(contentType);
    if (mode === 'binary') {
      expect(body).toEqual({ ...EVENT.data, subject: marker });
      expect(headers).toMatchObject({ ce_specversion: '1.0', ce_type: EVENT.type, ce_source: EVENT.source, ce_tenantid: EVENT.tenantid, ce_userid: EVENT.userid });
      expect(headers['ce_id']).toMatch(/.+/);
    } else {
      expect(body).toMatchObject({ specversion: '1.0', type: EVENT.type, source: EVENT.source, data: { ...EVENT.data, subject: marker } });
      expect(Object.keys(headers).filter((h) => h.startsWith('ce_'))).toEqual([]);
    }
  });

  /** Subscribes the typed client, lets kcat produce, and returns the events with this id. */
  async function receiving(id: string, send: () => Promise<void>): Promise<sessions.UserSessionBegin[]> {
    const client = sessions.createUserSessionsClient(transport);
    const got: sessions.UserSessionBegin[] = [];
    const errors: string[] = [];
    const sub = await client.userSessionBegin.subscribe((e) => void (e.id === id && got.push(e)), { onError: (e) => void errors.push(e.message) });
    try {
      await send();
      await eventually(() => got.length + errors.length > 0, 'the event kcat produced', 20_000);
    } finally {
      await sub.close();
    }
    expect(errors).toEqual([]);
    return got;
  }
});
