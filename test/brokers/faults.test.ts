/**
 * Runtime faults through the generated user-sessions client over every transport with a broker
 * here (Kafka: the librdkafka mock cluster of the global setup, or KAFKA_BROKERS): bad messages
 * injected with each broker's own client (raw NATS, mqtt.js, amqplib, kafkajs, a hand-signed HTTP
 * request) reach the subscriber's error callback with the reason, and
 * the subscriber goes on to handle the next valid message; a handler that throws is redelivered
 * up to maxDeliveries, then dead-lettered.
 *
 * Each case subscribes on an address of its own (the spec's channel with a unique address), so
 * bad messages never reach other test files listening on the spec's real address.
 *
 * Covered elsewhere, not repeated here:
 * - webhook requests refused before the handler runs — bad, foreign or missing signature (401),
 *   stale or future timestamp (401), replay (409), body over 1 MiB (413), with the handler never
 *   called: test/brokers/webhook.test.ts, "webhook receiver against hostile requests";
 * - a broker killed and restarted mid-stream: restart-jetstream.test.ts, restart-rabbitmq.test.ts.
 */
import { createHmac } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect, headers as natsHeaders } from '@nats-io/transport-node';
import { connect as amqpConnect } from 'amqplib';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemEventsUserSessionChannel, type IncomingMessage, type ReceiveError, type Transport, type UserSessionBegin } from '../__snapshots__/user-sessions/index.js';
import { addressPattern } from '../../templates/runtime/address.js';
import { connectAmqp } from '../../templates/runtime/amqp.js';
import { connectKafka } from '../../templates/runtime/kafka.js';
import { cloudEventEndpoint } from '../../templates/runtime/client.js';
import { connectMqtt } from '../../templates/runtime/mqtt.js';
import { connectNats } from '../../templates/runtime/nats.js';
import { webhookReceiver, webhookSender } from '../../templates/runtime/webhook.js';
import { amqpBroker, eventually, kafkaBrokers, mqttBroker, natsBroker, uniqueName } from './support.js';

const [nats, mqttb, amqp] = await Promise.all([natsBroker(), mqttBroker(), amqpBroker()]);
const kafka = kafkaBrokers();
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Per-subscription limit for the oversized case, well under every broker's own maximum. */
const LIMIT = 64 * 1024;

const valid = (id: string): UserSessionBegin => ({ specversion: '1.0', id, source: 'com.qlik/edge-auth', type: 'com.qlik.user-session.begin', tenantid: 't1', data: {} });
const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

/** Bad messages, as bytes on the wire with a content type; `want` is the reason onError must give. */
const BAD_MESSAGES: Array<[string, { given: { body: (id: string) => Uint8Array; contentType: string }; want: RegExp }]> = [
  ['malformed JSON', { given: { body: (id) => encoder.encode(`{"id":"${id}","specversion":`), contentType: 'application/json' }, want: /^cannot decode message on ".+": payload is not valid JSON/ }],
  ['bytes that are not UTF-8', { given: { body: () => new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), contentType: 'application/json' }, want: /payload is not valid UTF-8/ }],
  [
    'a payload that fails validation',
    { given: { body: (id) => json({ ...valid(id), tenantid: 42 }), contentType: 'application/json' }, want: /^userSessionBegin: invalid payload on receive: \/tenantid must be string/ },
  ],
  [
    'a payload without a required field',
    { given: { body: (id) => json({ ...valid(id), source: undefined }), contentType: 'application/json' }, want: /^userSessionBegin: invalid payload on receive: .*\bsource\b.*required/ },
  ],
  [
    'an event type the channel does not have',
    {
      given: { body: (id) => json({ ...valid(id), type: 'com.qlik.user-session.paused' }), contentType: 'application/json' },
      want: /matches no message of the channel: "type" is "com.qlik.user-session.paused"/,
    },
  ],
  ['a wrong content type', { given: { body: (id) => json(valid(id)), contentType: 'application/xml' }, want: /content type "application\/xml" is not JSON/ }],
  [
    'an oversized message',
    {
      given: { body: (id) => json({ ...valid(id), data: { subject: 'x'.repeat(LIMIT) } }), contentType: 'application/json' },
      want: new RegExp(`payload is \\d+ bytes, over the limit of ${LIMIT} bytes`),
    },
  ],
];

/** One transport opened for the file: the generated client's two ends and the broker's raw client. */
interface Setup {
  readonly subscriber: Transport;
  /** The same transport, except for webhooks, where a sender publishes to the receiver. */
  readonly publisher: Transport;
  /** A fresh address, so cases never share one. */
  address(): string;
  /** Sends bytes as they are, with the broker's own client. */
  inject(address: string, body: Uint8Array, contentType: string): Promise<void>;
  /** Whether the broker's dead-letter queue holds the event with this id (brokers that keep one). */
  parked?(id: string): Promise<boolean>;
  /** Deletes what the broker keeps for a durable group on this address. */
  forget?(group: string, address: string): void;
  close(): Promise<void>;
}

interface Rig {
  readonly available: boolean;
  /** Durable groups where the broker keeps the group (JetStream consumers, AMQP queues). */
  readonly grouped: boolean;
  open(): Promise<Setup>;
}

const TRANSPORTS: Array<[string, Rig]> = [
  [
    `${nats.title} core`,
    {
      available: nats.available,
      grouped: false,
      open: async () => {
        const transport = await connectNats({ redeliveryDelayMs: 50 });
        const raw = await natsConnect({ servers: `${nats.host}:${nats.port}` });
        return {
          subscriber: transport,
          publisher: transport,
          address: () => `faults.${uniqueName('core')}`,
          inject: async (address, body, contentType) => {
            const h = natsHeaders();
            h.set('content-type', contentType);
            raw.publish(address, body, { headers: h });
            await raw.flush();
          },
          close: async () => void (await Promise.all([transport.close(), raw.close()])),
        };
      },
    },
  ],
  [
    `${nats.title} JetStream`,
    {
      available: nats.available,
      grouped: true,
      open: async () => {
        const stream = uniqueName('faults');
        const transport = await connectNats({ redeliveryDelayMs: 50, jetstream: { ensureStream: { name: stream, subjects: [`${stream}.>`] } } });
        const raw = await natsConnect({ servers: `${nats.host}:${nats.port}` });
        return {
          subscriber: transport,
          publisher: transport,
          address: () => `${stream}.${uniqueName('case')}`,
          inject: async (address, body, contentType) => {
            const h = natsHeaders();
            h.set('content-type', contentType);
            await jetstream(raw).publish(address, body, { headers: h });
          },
          close: async () => {
            await transport.close();
            await (await jetstreamManager(raw)).streams.delete(stream); // its durable consumers go with it
            await raw.close();
          },
        };
      },
    },
  ],
  [
    `${mqttb.title} 5`,
    {
      available: mqttb.available,
      grouped: false,
      open: async () => {
        const url = `mqtt://${mqttb.host}:${mqttb.port}`;
        const transport = await connectMqtt({ url });
        const raw = await mqtt.connectAsync(url, { protocolVersion: 5 });
        return {
          subscriber: transport,
          publisher: transport,
          address: () => `faults/${uniqueName('mqtt')}`,
          inject: async (address, body, contentType) => void (await raw.publishAsync(address, Buffer.from(body), { qos: 1, properties: { contentType } })),
          close: async () => void (await Promise.all([transport.close(), raw.endAsync()])),
        };
      },
    },
  ],
  [
    amqp.title,
    {
      available: amqp.available,
      grouped: true,
      open: async () => {
        const url = `amqp://guest:guest@${amqp.host}:${amqp.port}`;
        const exchange = uniqueName('faults');
        const transport = await connectAmqp({ url, exchange, onError: () => undefined });
        const raw = await amqpConnect(url);
        const channel = await raw.createConfirmChannel();
        const queues = [`${exchange}.dead-letter`];
        return {
          subscriber: transport,
          publisher: transport,
          address: () => `faults.${uniqueName('amqp')}`,
          inject: async (address, body, contentType) => {
            channel.publish(exchange, address, Buffer.from(body), { contentType });
            await channel.waitForConfirms();
          },
          parked: async (id) => {
            const got = await channel.get(`${exchange}.dead-letter`, { noAck: true });
            return got !== false && (JSON.parse(got.content.toString()) as { id?: unknown }).id === id;
          },
          forget: (group, address) => void queues.push(transport.groupQueue(group, addressPattern(address))),
          close: async () => {
            await transport.close();
            for (const queue of queues) await channel.deleteQueue(queue);
            for (const name of [exchange, `${exchange}.dead-letter`]) await channel.deleteExchange(name);
            await raw.close();
          },
        };
      },
    },
  ],
  [
    kafka.title,
    {
      available: kafka.available,
      grouped: true,
      open: async () => {
        // Short sessions and fetches: the mock waits a session timeout after a member leaves, and holds an empty fetch its whole max wait.
        const transport = await connectKafka({ brokers: kafka.brokers, clientId: uniqueName('faults'), redeliveryDelayMs: 50, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 });
        const raw = new Kafka({ brokers: kafka.brokers, clientId: 'faults-raw', logLevel: logLevel.NOTHING });
        const producer = raw.producer();
        await producer.connect();
        let last = '';
        const parked = new Set<unknown>();
        let reader: Consumer | undefined;
        return {
          subscriber: transport,
          publisher: transport,
          address: () => (last = `faults.${uniqueName('kafka')}`),
          inject: async (address, body, contentType) => void (await producer.send({ topic: address, messages: [{ value: Buffer.from(body), headers: { 'content-type': contentType } }] })),
          // The dead-letter topic of the latest address, read from its start by a plain kafkajs consumer.
          parked: async (id) => {
            if (reader === undefined) {
              reader = raw.consumer({ groupId: uniqueName('faults-dlt'), maxWaitTimeInMs: 100 });
              await reader.connect();
              await reader.subscribe({ topics: [`${last}.dead-letter`], fromBeginning: true });
              await reader.run({ eachMessage: async ({ message }) => void parked.add((JSON.parse(message.value?.toString() ?? '{}') as { id?: unknown }).id) });
            }
            return parked.has(id);
          },
          close: async () => void (await Promise.all([transport.close(), producer.disconnect(), reader?.disconnect()])),
        };
      },
    },
  ],
  [
    'signed HTTP webhooks',
    {
      available: true,
      grouped: false,
      open: async () => {
        const secret = uniqueName('secret');
        const receiver = webhookReceiver({ secret });
        const { url } = await receiver.listen({ host: '127.0.0.1', port: 0 });
        const sender = webhookSender({ url, secret, retries: 5, retryDelayMs: 10 });
        return {
          subscriber: receiver,
          publisher: sender,
          address: () => `faults/${uniqueName('hook')}`,
          // Signed here with node:crypto as Qlik Cloud signs (the default form), independently of the code under test.
          inject: async (address, body, contentType) => {
            const signature = createHmac('sha256', secret).update(body).digest('hex');
            const response = await fetch(`${url}/${address}`, { method: 'POST', body, headers: { 'content-type': contentType, 'qlik-signature': signature } });
            // A message the client cannot take is refused, so the sender knows: 400 unreadable, 422 unacceptable.
            const unreadable = /not valid JSON|not valid UTF-8|is not JSON|over the limit/.test(await response.clone().text());
            if (response.status !== (unreadable ? 400 : 422)) throw new Error(`the receiver answered ${response.status}: ${await response.text()}`);
          },
          close: async () => void (await Promise.all([sender.close(), receiver.close()])),
        };
      },
    },
  ],
];

describe.each(TRANSPORTS)('%s', (title, rig) => {
  let setup: Setup | undefined;
  const subscriptions: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    if (rig.available) setup = await rig.open();
  });
  afterAll(async () => {
    await Promise.allSettled(subscriptions.map((s) => s.close()));
    await setup?.close();
  });

  /** The generated endpoint for userSessionBegin on both ends, on a fresh address, and a group where the broker keeps one. */
  function endpoints(s: Setup) {
    const address = s.address();
    const channel = { ...systemEventsUserSessionChannel, address };
    const group = rig.grouped ? uniqueName('workers') : undefined;
    if (group !== undefined) s.forget?.(group, address);
    return { address, group, subscriber: cloudEventEndpoint(s.subscriber, channel, 'userSessionBegin'), publisher: cloudEventEndpoint(s.publisher, channel, 'userSessionBegin') };
  }

  // A broker that cannot be reached skips these with the reason in the title; under CI=true broker() fails the file instead (support.ts).
  it.skipIf(!rig.available).each(BAD_MESSAGES)(`${title}: %s reaches onError with the reason, and the subscriber goes on`, async (_name, { given, want }) => {
    if (!setup) throw new Error('not set up');
    const { address, group, subscriber, publisher } = endpoints(setup);
    const errors: Array<{ error: ReceiveError; message: IncomingMessage }> = [];
    const handled: string[] = [];
    subscriptions.push(await subscriber.subscribe(async (event) => void handled.push(event.id), { group, maxPayloadBytes: LIMIT, onError: (error, message) => void errors.push({ error, message }) }));

    const bad = given.body(uniqueName('bad'));
    await setup.inject(address, bad, given.contentType);
    await eventually(() => errors.length > 0, 'the error callback');
    expect(errors[0]?.error.message).toMatch(want);
    expect(errors[0]?.message.payload.byteLength).toBe(bad.byteLength); // the report carries the message itself

    const good = uniqueName('good');
    await publisher.publish(valid(good));
    await eventually(() => handled.includes(good), 'the valid message sent after the bad one');
    expect({ handled, errors: errors.length }).toEqual({ handled: [good], errors: 1 });
  });

  it.skipIf(!rig.available)(`${title}: a handler that throws gets the event maxDeliveries times, then it is dead-lettered, and the subscriber goes on`, async () => {
    if (!setup) throw new Error('not set up');
    const { group, subscriber, publisher } = endpoints(setup);
    const [poison, good] = [uniqueName('poison'), uniqueName('good')];
    const attempts: Record<string, number[]> = {};
    const dead: Array<{ id: unknown; attempt: number; error: string }> = [];
    subscriptions.push(
      await subscriber.subscribe(
        async (event, context) => {
          (attempts[event.id] ??= []).push(context.deliveryAttempt);
          if (event.id === poison) throw new Error('the handler fails');
        },
        {
          group,
          maxDeliveries: 3,
          onDeadLetter: (message, error) =>
            void dead.push({ id: (JSON.parse(decoder.decode(message.payload)) as { id?: unknown }).id, attempt: message.deliveryAttempt, error: (error as Error).message }),
        },
      ),
    );

    await publisher.publish(valid(poison)); // webhooks: resolves once the receiver answered the last retry
    await eventually(() => dead.length === 1, 'the dead letter');
    await publisher.publish(valid(good));
    await eventually(() => attempts[good] !== undefined, 'the valid message after the dead letter');
    expect(attempts).toEqual({ [poison]: [1, 2, 3], [good]: [1] });
    expect(dead).toEqual([{ id: poison, attempt: 3, error: 'the handler fails' }]);
    const parked = setup.parked;
    if (parked) await eventually(() => parked(poison), 'the dead-letter queue to hold the event');
  });
});
