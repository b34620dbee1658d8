/**
 * Two endpoints of one channel in one group, over each real broker: `onBegin` and `onEnd` both
 * subscribe with `{ group: 'audit' }`. Before they shared one transport subscription, each was a
 * member of the broker's queue group / durable consumer / quorum queue / shared subscription,
 * and half of the messages went to the endpoint that does not handle them and were dropped.
 */
import path from 'node:path';
import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../../src/emit/write.js';
import { generateFiles } from '../../src/generate.js';
import { OUT, ROOT } from '../support/specs.js';
import { amqpBroker, eventually, mqttBroker, natsBroker, uniqueName, type Broker } from './support.js';

const DIR = path.join(OUT, 'groups');
const SPEC = path.join(ROOT, 'test', 'fixtures', 'operations', 'audit.yaml');
const [nats, mqtt, amqp]: Broker[] = await Promise.all([natsBroker(), mqttBroker(), amqpBroker()]);

interface Closable {
  close(): Promise<void>;
}
interface Endpoint {
  subscribe(handler: (payload: { user: string }) => void, options: object): Promise<Closable>;
}
interface Client {
  readonly onBegin: Endpoint;
  readonly onEnd: Endpoint;
  readonly channels: { readonly sessions: { publish(id: string, payload: object, options: object): Promise<void> } };
}
type Factory = (transport: Closable) => Client;

let factory: Factory;
const runtime = (name: string): Promise<Record<string, unknown>> => import(path.join(DIR, 'runtime', `${name}.ts`));

beforeAll(async () => {
  const { files } = await generateFiles(SPEC, { transports: ['nats', 'mqtt', 'amqp'] });
  await writeFileSet(DIR, files);
  factory = ((await import(path.join(DIR, 'index.ts'))) as { createSessionAuditClient: Factory }).createSessionAuditClient;
});

interface Case {
  readonly title: string;
  readonly available: boolean;
  /** A transport for subscribing and one for publishing, and what to remove from the broker afterwards. */
  open(tenant: string): Promise<{ subscriber: Closable; publisher: Closable; cleanup?: () => Promise<void> }>;
}

const CASES: Case[] = [
  {
    title: `${nats?.title ?? 'NATS'} core queue group`,
    available: nats?.available ?? false,
    async open() {
      const { connectNats } = (await runtime('nats')) as { connectNats: (o?: object) => Promise<Closable> };
      return { subscriber: await connectNats(), publisher: await connectNats() };
    },
  },
  {
    title: `${nats?.title ?? 'NATS'} JetStream durable consumer`,
    available: nats?.available ?? false,
    async open(tenant) {
      const { connectNats } = (await runtime('nats')) as { connectNats: (o?: object) => Promise<Closable & { connection: unknown }> };
      const stream = uniqueName('groups');
      const jetstream = { ensureStream: { name: stream, subjects: [`audit.${tenant}.sessions`] } };
      const subscriber = await connectNats({ jetstream });
      const publisher = await connectNats({ jetstream });
      return {
        subscriber,
        publisher,
        cleanup: async () => {
          const { jetstreamManager } = await import('@nats-io/jetstream');
          const probe = await connectNats();
          await (await jetstreamManager(probe.connection as never)).streams.delete(stream).catch(() => false);
          await probe.close();
        },
      };
    },
  },
  {
    title: `${amqp?.title ?? 'AMQP'} quorum queue`,
    available: amqp?.available ?? false,
    async open() {
      const { connectAmqp } = (await runtime('amqp')) as { connectAmqp: (o?: object) => Promise<Closable> };
      const exchange = uniqueName('groups');
      const queue = uniqueName('groups-audit');
      const options = { url: 'amqp://guest:guest@127.0.0.1:5672', exchange, groupQueueName: () => queue };
      return {
        subscriber: await connectAmqp(options),
        publisher: await connectAmqp(options),
        cleanup: async () => {
          const admin = await connect('amqp://guest:guest@127.0.0.1:5672');
          const ch = await admin.createChannel();
          await ch.deleteQueue(queue);
          await ch.deleteExchange(exchange);
          await admin.close();
        },
      };
    },
  },
  {
    title: `${mqtt?.title ?? 'MQTT'} shared subscription`,
    available: mqtt?.available ?? false,
    async open() {
      const { connectMqtt } = (await runtime('mqtt')) as { connectMqtt: (o?: object) => Promise<Closable> };
      return { subscriber: await connectMqtt({ clientId: uniqueName('groups-sub') }), publisher: await connectMqtt({ clientId: uniqueName('groups-pub') }) };
    },
  },
];

describe.each(CASES)('$title', (c) => {
  const opened: Array<{ subscriber: Closable; publisher: Closable; cleanup?: () => Promise<void> }> = [];
  afterAll(async () => {
    for (const o of opened) {
      await Promise.allSettled([o.subscriber.close(), o.publisher.close()]);
      await o.cleanup?.();
    }
  });

  it.skipIf(!c.available)('delivers every message to its own endpoint when both endpoints share a group', async () => {
    const tenant = uniqueName('t');
    const o = await c.open(tenant);
    opened.push(o);
    const subscriber = factory(o.subscriber);
    const publisher = factory(o.publisher);
    const begins: string[] = [];
    const ends: string[] = [];
    const errors: unknown[] = [];
    const options = { group: 'audit', parameters: { tenant }, onError: (e: unknown) => errors.push(e) };
    await subscriber.onBegin.subscribe((p) => void begins.push(p.user), options);
    await subscriber.onEnd.subscribe((p) => void ends.push(p.user), options);
    for (const user of ['u1', 'u2', 'u3', 'u4']) {
      await publisher.channels.sessions.publish('begin', { type: 'begin', user }, { parameters: { tenant } });
      await publisher.channels.sessions.publish('end', { type: 'end', user }, { parameters: { tenant } });
    }
    await eventually(async () => begins.length + ends.length >= 8, 'all 8 messages handled');
    expect(begins.sort()).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(ends.sort()).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(errors).toEqual([]);
  });
});
