/**
 * Both specs end to end over every transport: the reviewed golden clients publish every message
 * of both specs (one valid sample each) through a real broker or signed webhook, and a second
 * client receives each one typed, routed to its own handler. CloudEvents go both structured and
 * binary. Brokers that are down skip (or fail under CI=true); Kafka runs on the librdkafka mock
 * cluster of the global setup (test/support/kafka-mock-setup.ts), or on the one KAFKA_BROKERS names.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../src/generate.js';
import type { IrSpec } from '../../src/ir/types.js';
import { sampler } from '../../src/samples/index.js';
import * as iam from '../__snapshots__/iam-client-events/index.js';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { connectAmqp } from '../../templates/runtime/amqp.js';
import { connectKafka } from '../../templates/runtime/kafka.js';
import { MemoryTransport } from '../../templates/runtime/memory.js';
import { connectMqtt } from '../../templates/runtime/mqtt.js';
import { connectNats } from '../../templates/runtime/nats.js';
import type { Transport } from '../../templates/runtime/transport.js';
import { webhookReceiver, webhookSender } from '../../templates/runtime/webhook.js';
import { connectNodeWebSocket, webSocketServer } from '../../templates/runtime/websocket-node.js';
import { ROOT } from '../support/specs.js';
import { amqpBroker, eventually, kafkaBrokers, mqttBroker, natsBroker, uniqueName, type Broker } from './support.js';

interface Pair {
  readonly publisher: Transport;
  readonly subscriber: Transport;
  close(): Promise<void>;
}

interface TransportCase {
  readonly title: string;
  readonly available: boolean;
  /** Subjects/topics the spec uses, for brokers that need them declared (JetStream streams). */
  connect(addresses: readonly string[]): Promise<Pair>;
}

const [nats, mqtt, amqp]: Broker[] = await Promise.all([natsBroker(), mqttBroker(), amqpBroker()]);
const kafka = kafkaBrokers();

const same = (t: Transport): Pair => ({ publisher: t, subscriber: t, close: () => t.close() });

const TRANSPORTS: TransportCase[] = [
  { title: 'memory', available: true, connect: async () => same(new MemoryTransport()) },
  { title: `${nats?.title ?? 'NATS'} core`, available: nats?.available ?? false, connect: async () => same(await connectNats()) },
  {
    title: `${nats?.title ?? 'NATS'} JetStream`,
    available: nats?.available ?? false,
    connect: async (addresses) => {
      // Streams may not overlap: reuse one that already stores these subjects (examples/nats.ts makes
      // SYSTEM_EVENTS for system-events.>, and it may run at the same time), else make our own.
      const probe = await connectNats();
      const { jetstreamManager } = await import('@nats-io/jetstream');
      const jsm = await jetstreamManager(probe.connection);
      const covered = await Promise.all(
        addresses.map((a) =>
          jsm.streams.find(a).then(
            () => true,
            () => false,
          ),
        ),
      );
      await probe.close();
      const sessionsOnly = addresses.every((a) => a.startsWith('system-events.'));
      const ensure = covered.every(Boolean) ? undefined : sessionsOnly ? { name: 'SYSTEM_EVENTS', subjects: ['system-events.>'] } : { name: uniqueName('every-message'), subjects: [...addresses] };
      const transport = await connectNats({ jetstream: ensure ? { ensureStream: ensure } : {} });
      return {
        publisher: transport,
        subscriber: transport,
        close: async () => {
          // Our own stream goes; SYSTEM_EVENTS is shared with the example and stays.
          if (ensure && ensure.name !== 'SYSTEM_EVENTS') await (await jetstreamManager(transport.connection)).streams.delete(ensure.name).catch(() => false);
          await transport.close();
        },
      };
    },
  },
  { title: mqtt?.title ?? 'MQTT', available: mqtt?.available ?? false, connect: async () => same(await connectMqtt({ clientId: uniqueName('every-message') })) },
  {
    title: amqp?.title ?? 'AMQP',
    available: amqp?.available ?? false,
    connect: async () => {
      const exchange = uniqueName('every-message');
      const transport = await connectAmqp({ exchange });
      return {
        publisher: transport,
        subscriber: transport,
        close: async () => {
          await transport.close();
          const { connect } = await import('amqplib');
          const connection = await connect('amqp://guest:guest@127.0.0.1:5672');
          const channel = await connection.createChannel();
          await channel.deleteExchange(exchange).catch(() => undefined);
          await channel.deleteExchange(`${exchange}.dead-letter`).catch(() => undefined);
          await connection.close();
        },
      };
    },
  },
  {
    title: 'signed HTTP webhooks',
    available: true,
    connect: async () => {
      const secret = uniqueName('secret');
      const receiver = webhookReceiver({ secret });
      const { url } = await receiver.listen({ port: 0, host: '127.0.0.1' });
      const sender = webhookSender({ url, secret });
      return { publisher: sender, subscriber: receiver, close: async () => void (await Promise.all([sender.close(), receiver.close()])) };
    },
  },
  {
    title: 'WebSocket (client → Node server)',
    available: true,
    connect: async () => {
      const server = webSocketServer();
      const { url } = await server.listen();
      const client = connectNodeWebSocket({ url });
      return { publisher: client, subscriber: server, close: async () => void (await Promise.all([client.close(), server.close()])) };
    },
  },
  {
    title: kafka.title,
    available: kafka.available,
    // Short fetches: the mock holds a fetch that found nothing for its whole max wait, even when records arrive.
    connect: async () => same(await connectKafka({ brokers: kafka.brokers, clientId: uniqueName('every-message'), maxWaitTimeMs: 100 })),
  },
];

interface LooseEndpoint {
  publish(payload: unknown): Promise<void>;
}
interface LooseChannel {
  subscribe(handlers: Record<string, (payload: unknown) => void>, options?: { onError?: (error: Error) => void }): Promise<{ close(): Promise<void> }>;
}
interface LooseClient {
  readonly channels: Record<string, LooseChannel>;
}

type Factory = (transport: Transport, options: { cloudEvents: { mode: 'structured' | 'binary' } }) => unknown;
const SPECS: Array<[string, string, Factory, ReadonlyArray<'structured' | 'binary'>]> = [
  ['user-sessions', 'specs/user-sessions.asyncapi.json', sessions.createUserSessionsClient, ['structured', 'binary']],
  ['iam-client-events', 'specs/iam-client-events.asyncapi.yaml', iam.createIAMServiceClientEventsClient, ['structured']],
];

const irs = new Map<string, IrSpec>();
beforeAll(async () => {
  for (const [name, spec] of SPECS) irs.set(name, (await generateFiles(path.join(ROOT, spec))).ir);
});

const cases = TRANSPORTS.flatMap((t) => SPECS.flatMap(([name, , factory, modes]) => modes.map((mode) => [t.title, name, t, factory, mode] as const)));

describe.each(cases)('%s: every message of %s', (_title, name, transport, factory, mode) => {
  let pair: Pair | undefined;
  afterAll(async () => pair?.close());

  it.skipIf(!transport.available)(`is published and received typed (${mode})`, async () => {
    const ir = irs.get(name);
    if (!ir) throw new Error(`no IR for ${name}`);
    const samples = sampler(ir);
    pair = await transport.connect(ir.channels.map((c) => c.address));
    const publisher = factory(pair.publisher, { cloudEvents: { mode } }) as LooseClient & Record<string, unknown>;
    const subscriber = factory(pair.subscriber, { cloudEvents: { mode } }) as LooseClient;
    const received: Array<{ id: string; payload: unknown }> = [];
    const errors: string[] = [];
    for (const channel of ir.channels) {
      const handlers = Object.fromEntries(channel.messages.map((id) => [id, (payload: unknown) => void received.push({ id, payload })]));
      await subscriber.channels[channel.key]?.subscribe(handlers, { onError: (e) => void errors.push(e.message) });
    }
    const sent: Array<{ id: string; payload: unknown }> = [];
    for (const op of ir.operations) {
      const id = op.messages[0] ?? '';
      const message = ir.messages.find((m) => m.id === id);
      if (!message) continue;
      const payload = samples.payload(message);
      await (publisher[op.key] as LooseEndpoint).publish(payload);
      sent.push({ id, payload });
    }
    expect(sent.length).toBe(ir.operations.length);
    await eventually(() => sent.every((s) => received.some((r) => r.id === s.id)), `all ${sent.length} messages of ${name}`, 20_000);
    expect(errors).toEqual([]);
    for (const s of sent) {
      const got = received.find((r) => r.id === s.id);
      // Binary CloudEvents carry datacontenttype as the content type, so the receiver sees it; a transport without binary mode (WebSocket) sends them structured.
      expect(got?.payload, s.id).toEqual(mode === 'binary' && pair.publisher.cloudEvents?.binary !== false ? { datacontenttype: 'application/json', ...(s.payload as object) } : s.payload);
    }
  });
});
