/**
 * A trace started in a publisher is continued in the handler, over each real broker: NATS (core
 * and JetStream), MQTT 5, RabbitMQ, Kafka and signed HTTP webhooks, with the real OpenTelemetry
 * SDK. Then foreign senders (curl, mosquitto_pub, amqp-publish) hand us a `traceparent` that our
 * handler continues.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SpanKind, type SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { jetstreamManager } from '@nats-io/jetstream';
import { defineChannel, defineMessage, messageEndpoint, type ChannelDefinition, type ClientOptions, type MessageMap, type ParameterDefinition } from '../../templates/runtime/client.js';
import { connectAmqp } from '../../templates/runtime/amqp.js';
import { connectKafka } from '../../templates/runtime/kafka.js';
import { connectMqtt } from '../../templates/runtime/mqtt.js';
import { connectNats } from '../../templates/runtime/nats.js';
import { traceOf, type TraceContext } from '../../templates/runtime/tracing.js';
import type { Transport } from '../../templates/runtime/transport.js';
import { acceptAnything } from '../../templates/runtime/validation.js';
import { webhookReceiver, webhookSender } from '../../templates/runtime/webhook.js';
import { signWebhook } from '../../templates/runtime/webhook-signature.js';
import { inSpan, otel, spansOf } from '../support/otel.js';
import { peer, run } from '../interop/peers.js';
import { amqpBroker, eventually, kafkaBrokers, mqttBroker, natsBroker, uniqueName } from './support.js';

const [nats, mqtt, amqp] = await Promise.all([natsBroker(), mqttBroker(), amqpBroker()]);
const kafka = kafkaBrokers();

interface Reading {
  readonly n: number;
}
const reading = defineMessage<Reading>({ id: 'reading', contentType: 'application/json', payload: acceptAnything() });
const event = defineMessage<Record<string, unknown>>({ id: 'event', contentType: 'application/json', payload: acceptAnything(), cloudEvent: { attributes: {} } });
/** The channel of the tests, with a parameter, so the consumer span names the template. */
const readings = (prefix: string, separator: string) => defineChannel({ id: 'readings', address: `${prefix}${separator}{run}`, parameters: { run: {} }, messages: { reading } });
const events = defineChannel({ id: 'events', address: 'events/{run}', parameters: { run: {} }, messages: { event } });

interface Pair {
  readonly publisher: Transport;
  readonly subscriber: Transport;
  readonly close: () => Promise<void>;
}

const same = (t: Transport): Pair => ({ publisher: t, subscriber: t, close: () => t.close() });
/** The JetStream case's own stream, deleted after it. */
const STREAM = uniqueName('tracing');

const TRANSPORTS: Array<{ title: string; available: boolean; system: string; prefix: string; separator: string; connect: () => Promise<Pair> }> = [
  { title: nats.title, available: nats.available, system: 'nats', prefix: 'tracing', separator: '.', connect: async () => same(await connectNats({})) },
  {
    title: `${nats.title} JetStream`,
    available: nats.available,
    system: 'nats',
    prefix: STREAM,
    separator: '.',
    connect: async () => {
      const t = await connectNats({ jetstream: { ensureStream: { name: STREAM, subjects: [`${STREAM}.>`] } } });
      return {
        publisher: t,
        subscriber: t,
        close: async () => {
          await (await jetstreamManager(t.connection)).streams.delete(STREAM).catch(() => false);
          await t.close();
        },
      };
    },
  },
  { title: `${mqtt.title} 5`, available: mqtt.available, system: 'mqtt', prefix: 'tracing', separator: '/', connect: async () => same(await connectMqtt({ clientId: uniqueName('tracing') })) },
  { title: amqp.title, available: amqp.available, system: 'rabbitmq', prefix: 'tracing', separator: '.', connect: async () => same(await connectAmqp({ exchange: uniqueName('tracing') })) },
  {
    title: kafka.title,
    available: kafka.available,
    system: 'kafka',
    prefix: 'tracing',
    separator: '.',
    connect: async () => same(await connectKafka({ brokers: kafka.brokers, clientId: uniqueName('tracing'), maxWaitTimeMs: 100 })),
  },
  {
    title: 'signed HTTP webhooks',
    available: true,
    system: 'webhook',
    prefix: 'tracing',
    separator: '/',
    connect: async () => {
      const secret = uniqueName('secret');
      const receiver = webhookReceiver({ secret });
      const { url } = await receiver.listen({ port: 0, host: '127.0.0.1' });
      const sender = webhookSender({ url, secret });
      return { publisher: sender, subscriber: receiver, close: async () => void (await Promise.all([sender.close(), receiver.close()])) };
    },
  },
];

interface Handled {
  readonly payload: unknown;
  readonly received: TraceContext | undefined;
  readonly active: SpanContext | undefined;
}

/** Subscribes, publishes one message inside a span, and waits for the handler and both spans. */
async function roundTrip(pair: Pair, channel: ChannelDefinition<MessageMap, { run: ParameterDefinition }>, runName: string, id: string, payload: object, options: ClientOptions) {
  let resolve: (h: Handled) => void = () => undefined;
  const handled = new Promise<Handled>((r) => (resolve = r));
  const parameters = { run: runName };
  const subscription = await messageEndpoint(pair.subscriber, channel, id, options).subscribe(
    (p, context) => resolve({ payload: p, received: traceOf(context), active: otel.trace.getActiveSpan()?.spanContext() }),
    {
      parameters,
    },
  );
  const endpoint = messageEndpoint(pair.publisher, channel, id, options);
  // Kafka and JetStream consumers may join after the first publish: publish until one arrives, each in a trace of its own.
  const started: Array<{ traceId: string; spanId: string }> = [];
  let done = false;
  void handled.then(() => (done = true));
  while (!done) {
    started.push(await inSpan('request', () => endpoint.publish(payload, { parameters })));
    await Promise.race([handled, new Promise((r) => setTimeout(r, 1000))]);
  }
  const got = await handled;
  await subscription.close();
  const request = started.find((s) => s.traceId === got.received?.traceId);
  expect(request, 'the handler received the trace of one of our publishes').toBeDefined();
  const traceId = request?.traceId ?? '';
  await eventually(() => spansOf(traceId).some((s) => s.kind === SpanKind.CONSUMER), 'the consumer span to end');
  const spans = spansOf(traceId);
  const producer = spans.find((s) => s.kind === SpanKind.PRODUCER) as ReadableSpan;
  const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER) as ReadableSpan;
  return { got, request: request as { traceId: string; spanId: string }, producer, consumer };
}

describe('tracing across the brokers', () => {
  it.for(TRANSPORTS)('$title: the handler continues the trace started in the publisher', async (t, ctx) => {
    if (!t.available) return ctx.skip(`${t.title} is not reachable here`);
    const pair = await t.connect();
    const channel = readings(t.prefix, t.separator);
    const runName = uniqueName('run');
    try {
      const { got, request, producer, consumer } = await roundTrip(pair, channel, runName, 'reading', { n: 1 }, { tracing: { api: otel } });
      const address = channel.address.replace('{run}', runName);
      expect(producer.parentSpanContext?.spanId).toBe(request.spanId);
      expect(producer.name).toBe(`send ${address}`);
      expect(producer.attributes).toMatchObject({ 'messaging.system': t.system, 'messaging.operation.type': 'send', 'messaging.destination.name': address });
      expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
      expect(consumer.name).toBe(`process ${channel.address}`);
      expect(consumer.attributes).toMatchObject({
        'messaging.system': t.system,
        'messaging.operation.type': 'process',
        'messaging.destination.name': address,
        'messaging.destination.template': channel.address,
      });
      // What arrived on the wire is the producer span; the handler runs inside the consumer span.
      expect(got.received).toMatchObject({ traceId: request.traceId, spanId: producer.spanContext().spanId, flags: 1 });
      expect(got.active?.spanId).toBe(consumer.spanContext().spanId);
    } finally {
      await pair.close();
    }
  });

  it('webhooks: a binary CloudEvent carries the extension too, and its id names the message', async () => {
    const pair = await (TRANSPORTS.at(-1) as (typeof TRANSPORTS)[number]).connect();
    try {
      const cloudEvent = { id: uniqueName('event'), source: '/tests', type: 'reading', specversion: '1.0', data: { n: 1 } };
      const { got, consumer, producer } = await roundTrip(pair, events, uniqueName('run'), 'event', cloudEvent, { tracing: { api: otel }, cloudEvents: { mode: 'binary' } });
      expect(producer.attributes['messaging.message.id']).toBe(cloudEvent.id);
      expect(consumer.attributes['messaging.message.id']).toBe(cloudEvent.id);
      // One hop: the extension attribute (ce-traceparent) says what the traceparent header says.
      expect(got.payload).toMatchObject({ ...cloudEvent, traceparent: `00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-01` });
      expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    } finally {
      await pair.close();
    }
  });
});

// ── foreign senders ────────────────────────────────────────────────────────────────────────────
const FOREIGN = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const FOREIGN_TRACE = '0af7651916cd43dd8448eb211c80319c';
const FOREIGN_SPAN = 'b7ad6b7169203331';
const curl = peer('curl', ['curl']);
const mosquitto = peer('mosquitto_pub', ['mosquitto_pub']);
const amqpTools = peer('amqp-publish', ['amqp-publish']);
const kcat = peer('kcat', ['kcat']);

/** Subscribes with tracing, lets `send` deliver one message from outside, and returns the consumer span. */
async function fromOutside(
  subscriber: Transport,
  separator: string,
  runName: string,
  send: (address: string) => Promise<unknown>,
  onHandled: () => void = () => undefined,
): Promise<{ span: ReadableSpan; received: TraceContext | undefined }> {
  const channel = readings('tracing', separator);
  let resolve: (t: TraceContext | undefined) => void = () => undefined;
  const handled = new Promise<TraceContext | undefined>((r) => (resolve = r));
  const subscription = await messageEndpoint(subscriber, channel, 'reading', { tracing: { api: otel } }).subscribe((_p, context) => resolve(traceOf(context)), { parameters: { run: runName } });
  void handled.then(onHandled);
  const sending = send(channel.address.replace('{run}', runName));
  const received = await handled;
  await sending;
  await subscription.close();
  await eventually(() => spansOf(FOREIGN_TRACE).some((s) => s.attributes['messaging.destination.name'] === channel.address.replace('{run}', runName)), 'the consumer span');
  const span = spansOf(FOREIGN_TRACE).find((s) => s.attributes['messaging.destination.name'] === channel.address.replace('{run}', runName)) as ReadableSpan;
  return { span, received };
}

describe('a trace from a foreign sender is continued in our handler', () => {
  const closing: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closing) await close();
  });

  it.skipIf(!curl.available)(`${curl.title}: a signed webhook POST with traceparent and tracestate`, async () => {
    const secret = uniqueName('secret');
    const receiver = webhookReceiver({ secret });
    closing.push(() => receiver.close());
    const { url } = await receiver.listen({ port: 0, host: '127.0.0.1' });
    const body = JSON.stringify({ n: 1 });
    const signature = signWebhook({ secret, body: new TextEncoder().encode(body) });
    const { span, received } = await fromOutside(receiver, '/', uniqueName('run'), (address) =>
      run('curl', [
        '-sS',
        '-f',
        '-X',
        'POST',
        '-H',
        'Content-Type: application/json',
        '-H',
        `Qlik-Signature: ${signature}`,
        '-H',
        `traceparent: ${FOREIGN}`,
        '-H',
        'tracestate: congo=t61rcWkgMzE',
        '--data-binary',
        body,
        `${url}/${address}`,
      ]),
    );
    expect(received).toEqual({ traceId: FOREIGN_TRACE, spanId: FOREIGN_SPAN, flags: 1, traceState: 'congo=t61rcWkgMzE' });
    expect(span).toMatchObject({ kind: SpanKind.CONSUMER, parentSpanContext: { traceId: FOREIGN_TRACE, spanId: FOREIGN_SPAN, isRemote: true } });
    expect(span.parentSpanContext?.traceState?.get('congo')).toBe('t61rcWkgMzE');
  });

  it.skipIf(!mosquitto.available || !mqtt.available)(`${mosquitto.title}: an MQTT 5 publish with a traceparent user property`, async () => {
    const transport = await connectMqtt({ clientId: uniqueName('tracing') });
    closing.push(() => transport.close());
    const { span, received } = await fromOutside(transport, '/', uniqueName('run'), (address) =>
      run('mosquitto_pub', ['-h', '127.0.0.1', '-V', 'mqttv5', '-q', '1', '-t', address, '-D', 'publish', 'user-property', 'traceparent', FOREIGN, '-m', '{"n":1}']),
    );
    expect(received).toMatchObject({ traceId: FOREIGN_TRACE, spanId: FOREIGN_SPAN });
    expect(span).toMatchObject({ kind: SpanKind.CONSUMER, parentSpanContext: { spanId: FOREIGN_SPAN } });
  });

  it.skipIf(!kcat.available || !kafka.available)(`${kcat.title}: a Kafka record with a traceparent header`, async () => {
    const transport = await connectKafka({ brokers: kafka.brokers, clientId: uniqueName('tracing'), maxWaitTimeMs: 100 });
    closing.push(() => transport.close());
    let stop = false;
    const { span, received } = await fromOutside(
      transport,
      '.',
      uniqueName('run'),
      async (address) => {
        // The consumer may join after the first record: kcat produces until the handler has one.
        for (let i = 0; i < 20 && !stop; i++) {
          await run('kcat', ['-b', kafka.brokers.join(','), '-P', '-t', address, '-H', `traceparent=${FOREIGN}`, '-H', 'content-type=application/json'], { input: '{"n":1}\n' });
          await new Promise((r) => setTimeout(r, 1000));
        }
      },
      () => (stop = true),
    );
    expect(received).toMatchObject({ traceId: FOREIGN_TRACE, spanId: FOREIGN_SPAN });
    expect(span).toMatchObject({ kind: SpanKind.CONSUMER, parentSpanContext: { spanId: FOREIGN_SPAN } });
  });

  it.skipIf(!amqpTools.available || !amqp.available)(`${amqpTools.title}: an AMQP message with a traceparent header`, async () => {
    const exchange = uniqueName('tracing');
    const transport = await connectAmqp({ exchange });
    closing.push(() => transport.close());
    const { span, received } = await fromOutside(transport, '.', uniqueName('run'), (address) =>
      run('amqp-publish', ['-u', 'amqp://guest:guest@127.0.0.1:5672', '-e', exchange, '-r', address, '-C', 'application/json', '-H', `traceparent:${FOREIGN}`, '-b', '{"n":1}']),
    );
    expect(received).toMatchObject({ traceId: FOREIGN_TRACE, spanId: FOREIGN_SPAN });
    expect(span).toMatchObject({ kind: SpanKind.CONSUMER, parentSpanContext: { spanId: FOREIGN_SPAN } });
  });
});
