import { describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { defineChannel, defineMessage, messageEndpoint, requestEndpoint, type MessageContext } from '../../templates/runtime/client.js';
import { MemoryTransport } from '../../templates/runtime/memory.js';
import { tracedTransport } from '../../templates/runtime/tracing-otel.js';
import { childTrace, formatTraceparent, newTrace, parseBaggage, parseTraceparent, parseTracestate, traceOf, withTraceOption, type TraceContext } from '../../templates/runtime/tracing.js';
import type { IncomingMessage, OutgoingMessage, Transport } from '../../templates/runtime/transport.js';
import { acceptAnything, checkWith } from '../../templates/runtime/validation.js';
import { ValidationError } from '../../templates/runtime/errors.js';
import { Ajv } from 'ajv';
import { inSpan, otel, spansOf } from '../support/otel.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('parseTraceparent (W3C Trace Context, section 3.2)', () => {
  it.for([
    ['version 00, sampled', VALID, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 }],
    ['version 00, not sampled', `00-${TRACE_ID}-${SPAN_ID}-00`, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 0 }],
    ['surrounding whitespace (HTTP OWS)', `  ${VALID} `, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 }],
    ['a future version, read by its first four fields', `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like`, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 }],
    ['a future version of exactly version 00 length', `01-${TRACE_ID}-${SPAN_ID}-03`, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 3 }],
    ['version ff (forbidden)', `ff-${TRACE_ID}-${SPAN_ID}-01`, undefined],
    ['version 00 with more after it', `${VALID}-extra`, undefined],
    ['a future version whose rest does not start with a dash', `cc-${TRACE_ID}-${SPAN_ID}-01x`, undefined],
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`, undefined],
    ['non-hex digits', `00-${TRACE_ID.slice(0, 31)}g-${SPAN_ID}-01`, undefined],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`, undefined],
    ['a long span id', `00-${TRACE_ID}-${SPAN_ID}0-01`, undefined],
    ['a one-digit flags field', `00-${TRACE_ID}-${SPAN_ID}-1`, undefined],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`, undefined],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`, undefined],
    ['two headers joined by a comma', `${VALID}, ${VALID}`, undefined],
    ['empty', '', undefined],
    ['absent', undefined, undefined],
  ] as const)('%s', ([, given, want]) => {
    expect(parseTraceparent(given)).toEqual(want);
  });

  it('formats version 00 and reads back what it wrote', () => {
    const trace = { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 };
    expect(formatTraceparent(trace)).toBe(VALID);
    expect(parseTraceparent(formatTraceparent(trace))).toEqual(trace);
  });

  it('makes valid new traces and children that keep the trace id', () => {
    const root = newTrace();
    const child = childTrace({ ...root, traceState: 'a=1' });
    expect(parseTraceparent(formatTraceparent(root))).toEqual(root);
    expect(child).toMatchObject({ traceId: root.traceId, flags: 1, traceState: 'a=1' });
    expect(child.spanId).not.toBe(root.spanId);
  });
});

describe('parseTracestate (section 3.3) and parseBaggage (W3C Baggage)', () => {
  it.for([
    ['two members', 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE', 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'],
    ['whitespace and empty members tidied', ' rojo=1 ,, congo=2 ', 'rojo=1,congo=2'],
    ['a multi-tenant key', 'fw529a3039@dt=00f067aa0ba902b7', 'fw529a3039@dt=00f067aa0ba902b7'],
    ['a duplicate key', 'a=1,a=2', undefined],
    ['an uppercase key', 'Rojo=1', undefined],
    ['a value with =', 'a=b=c', undefined],
    ['a member without =', 'rojo', undefined],
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','), undefined],
    ['nothing but commas', ',,', undefined],
  ] as const)('tracestate: %s', ([, given, want]) => {
    expect(parseTracestate(given)).toBe(want);
  });

  it.for([
    ['members with properties', 'userId=alice,serverNode=DF%2028;prop1;prop2=x', 'userId=alice,serverNode=DF%2028;prop1;prop2=x'],
    ['a member without =', 'userId', undefined],
    ['a space inside a value', 'a=b c', undefined],
    ['over 8192 bytes', `a=${'x'.repeat(8200)}`, undefined],
    ['over 64 members', Array.from({ length: 65 }, (_, i) => `k${i}=v`).join(','), undefined],
  ] as const)('baggage: %s', ([, given, want]) => {
    expect(parseBaggage(given)).toBe(want);
  });
});

function incoming(headers: Record<string, string>, contentType?: string): IncomingMessage {
  return { address: 'a', payload: new Uint8Array(0), headers, contentType, deliveryAttempt: 1 };
}

describe('traceOf', () => {
  it.for([
    ['the W3C headers', { traceparent: VALID, tracestate: 'rojo=1', baggage: 'userId=alice' }, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1, traceState: 'rojo=1', baggage: 'userId=alice' }],
    ['header names in any case (NATS and AMQP keep the case)', { Traceparent: VALID, TraceState: 'rojo=1' }, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1, traceState: 'rojo=1' }],
    ['a bad tracestate is dropped alone', { traceparent: VALID, tracestate: 'A=1' }, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 }],
    ['a bad traceparent drops the tracestate with it', { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01`, tracestate: 'rojo=1' }, undefined],
    [
      'a binary CloudEvent extension without W3C headers',
      { 'ce-specversion': '1.0', 'ce-traceparent': VALID, 'ce-tracestate': 'rojo=1' },
      { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1, traceState: 'rojo=1' },
    ],
    ['the W3C header wins over the extension', { traceparent: VALID, 'ce-traceparent': `00-${'1'.repeat(32)}-${SPAN_ID}-01` }, { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 }],
    ['nothing', { other: 'x' }, undefined],
  ] as const)('reads %s', ([, headers, want]) => {
    expect(traceOf(incoming(headers))).toEqual(want);
  });

  it('reads the extension with the binding prefix of the transport (Kafka ce_)', () => {
    expect(traceOf(incoming({ ce_specversion: '1.0', ce_traceparent: VALID }), { headerPrefix: 'ce_', binary: true })?.traceId).toBe(TRACE_ID);
  });
});

// ── over a client ──────────────────────────────────────────────────────────────────────────────
const plain = defineMessage<{ n: number }>({ id: 'plain', contentType: 'application/json', payload: acceptAnything() });
const event = defineMessage<Record<string, unknown>>({ id: 'event', contentType: 'application/json', payload: acceptAnything(), cloudEvent: { attributes: {} } });
const orders = defineChannel({ id: 'orders', address: 'orders.{region}', parameters: { region: {} }, messages: { plain, event } });

/** A transport that keeps what it was asked to send. */
class Recorder implements Transport {
  readonly sent: OutgoingMessage[] = [];
  constructor(readonly carriesHeaders = true) {}
  async publish(_address: string, message: OutgoingMessage): Promise<void> {
    this.sent.push(message);
  }
  async subscribe(): Promise<{ close(): Promise<void> }> {
    return { close: async () => undefined };
  }
  async close(): Promise<void> {}
}

describe('the publish hook', () => {
  it('hands the message on untouched when no trace is given, and the transport itself when no tracer is set', () => {
    const message: OutgoingMessage = { payload: new Uint8Array(0), headers: {} };
    const transport = new Recorder();
    expect(withTraceOption(message, undefined, transport)).toBe(message);
    expect(withTraceOption(message, { headers: {} }, transport)).toBe(message);
    expect(tracedTransport(transport, {})).toBe(transport);
    expect(tracedTransport(transport, undefined)).toBe(transport);
  });

  it('gives endpoints of one transport and tracer one traced view, so groups still share a subscription', () => {
    const transport = new Recorder();
    const tracing = { api: otel };
    expect(tracedTransport(transport, { tracing })).toBe(tracedTransport(transport, { tracing }));
  });

  it.for([
    ['a context', { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1, traceState: 'rojo=1', baggage: 'userId=alice' }, { traceparent: VALID, tracestate: 'rojo=1', baggage: 'userId=alice' }],
    ['a traceparent string', VALID, { traceparent: VALID }],
    ['an invalid string (dropped; the message still goes)', 'garbage', {}],
    ['a context with an all-zero span id (dropped)', { traceId: TRACE_ID, spanId: '0'.repeat(16), flags: 1 }, {}],
  ] as const)('publish({ trace }) with %s', async ([, trace, want]) => {
    const transport = new Recorder();
    await messageEndpoint(transport, orders, 'plain').publish({ n: 1 }, { parameters: { region: 'eu' }, trace });
    expect(transport.sent[0]?.headers).toEqual(want);
  });

  it('adds the CloudEvents extension to a binary event, not to a structured one', async () => {
    const transport = new Recorder();
    const init = { id: '1', source: '/s', type: 't', specversion: '1.0', data: {} };
    await messageEndpoint(transport, orders, 'event', { cloudEvents: { mode: 'binary' } }).publish(init, { parameters: { region: 'eu' }, trace: VALID });
    await messageEndpoint(transport, orders, 'event').publish(init, { parameters: { region: 'eu' }, trace: VALID });
    expect(transport.sent[0]?.headers).toMatchObject({ traceparent: VALID, 'ce-traceparent': VALID, 'ce-id': '1' });
    expect(transport.sent[1]?.headers).toEqual({ traceparent: VALID });
  });

  it('leaves headers off a transport that cannot carry them (MQTT 3.1.1), so the publish does not fail', async () => {
    const transport = new Recorder(false);
    await messageEndpoint(transport, orders, 'plain').publish({ n: 1 }, { parameters: { region: 'eu' }, trace: VALID });
    expect(transport.sent[0]?.headers).toEqual({});
  });
});

describe('without OpenTelemetry: a trace passed by hand', () => {
  it('reaches the handler, which continues it by hand; a bad header is ignored and the message still delivered', async () => {
    const transport = new MemoryTransport();
    const endpoint = messageEndpoint(transport, orders, 'plain');
    const seen: Array<TraceContext | undefined> = [];
    await endpoint.subscribe((_payload, context: MessageContext<unknown, unknown>) => {
      seen.push(traceOf(context));
    });
    const root = newTrace();
    await endpoint.publish({ n: 1 }, { parameters: { region: 'eu' }, trace: root });
    await transport.publish('orders.eu', { payload: new TextEncoder().encode('{"n":2}'), headers: { traceparent: 'ff-bad', tracestate: 'rojo=1' } });
    await transport.close();
    expect(seen).toEqual([root, undefined]);
    const next = childTrace(seen[0] as TraceContext);
    expect(next.traceId).toBe(root.traceId);
  });
});

describe('a strict headers schema (additionalProperties: false) that does not name the trace headers', () => {
  const ajv = new Ajv({ strict: false, coerceTypes: true });
  const strict = defineMessage<{ n: number }, { 'x-id': string }>({
    id: 'strict',
    contentType: 'application/json',
    payload: acceptAnything(),
    headers: checkWith(ajv.compile({ type: 'object', properties: { 'x-id': { type: 'string' } }, required: ['x-id'], additionalProperties: false })),
  });
  const named = defineMessage<{ n: number }, { traceparent: string }>({
    id: 'named',
    contentType: 'application/json',
    payload: acceptAnything(),
    headers: checkWith(ajv.compile({ type: 'object', properties: { traceparent: { type: 'string', maxLength: 3 } }, additionalProperties: false })),
  });
  const events = defineChannel({ id: 'events', address: 'events', parameters: {}, messages: { strict } });
  const declared = defineChannel({ id: 'declared', address: 'declared', parameters: {}, messages: { named } });

  it('takes a message an instrumented peer traced: the handler gets the spec headers, traceOf the trace', async () => {
    const transport = new MemoryTransport();
    const endpoint = messageEndpoint(transport, events, 'strict');
    const got: Array<{ headers: unknown; trace: TraceContext | undefined }> = [];
    const errors: unknown[] = [];
    await endpoint.subscribe((_payload, context: MessageContext<unknown, unknown>) => void got.push({ headers: context.headers, trace: traceOf(context) }), {
      onError: (error) => void errors.push(error),
    });
    const body = new TextEncoder().encode('{"n":1}');
    await transport.publish('events', { payload: body, headers: { 'x-id': 'a', traceparent: VALID, tracestate: 'rojo=1', baggage: 'k=v' } });
    // Anything else the schema does not allow is still refused, trace headers or not.
    await transport.publish('events', { payload: body, headers: { 'x-id': 'b', traceparent: VALID, 'x-other': '1' } });
    await transport.publish('events', { payload: body, headers: { traceparent: VALID } });
    await transport.close();
    expect(got).toEqual([{ headers: { 'x-id': 'a' }, trace: { traceId: TRACE_ID, spanId: SPAN_ID, flags: 1, traceState: 'rojo=1', baggage: 'k=v' } }]);
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e instanceof ValidationError && e.part === 'headers')).toBe(true);
  });

  it('still checks a trace header the schema names', async () => {
    const transport = new MemoryTransport();
    const endpoint = messageEndpoint(transport, declared, 'named');
    const errors: unknown[] = [];
    await endpoint.subscribe(() => undefined, { onError: (error) => void errors.push(error) });
    await transport.publish('declared', { payload: new TextEncoder().encode('{"n":1}'), headers: { traceparent: VALID } });
    await transport.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ValidationError);
  });
});

describe('with OpenTelemetry (the real SDK, in-memory exporter)', () => {
  it('a publish inside a span makes a PRODUCER span under it and a CONSUMER span under that, with the messaging attributes', async () => {
    const transport = new MemoryTransport();
    const options = { tracing: { api: otel } };
    const endpoint = messageEndpoint(transport, orders, 'plain', options);
    let active: string | undefined;
    let baggage: string | undefined;
    await endpoint.subscribe(() => {
      active = otel.trace.getActiveSpan()?.spanContext().spanId;
      baggage = otel.propagation.getActiveBaggage()?.getEntry('userId')?.value;
    });
    const withBaggage = otel.propagation.setBaggage(otel.context.active(), otel.propagation.createBaggage({ userId: { value: 'alice smith' } }));
    const { traceId, spanId } = await otel.context.with(withBaggage, () => inSpan('request', () => endpoint.publish({ n: 1 }, { parameters: { region: 'eu' } })));
    await transport.close();
    const spans = spansOf(traceId);
    const producer = spans.find((s) => s.kind === SpanKind.PRODUCER);
    const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER);
    expect(producer).toMatchObject({ name: 'send orders.eu', parentSpanContext: { spanId } });
    expect(producer?.attributes).toMatchObject({ 'messaging.operation.type': 'send', 'messaging.operation.name': 'send', 'messaging.destination.name': 'orders.eu', 'messaging.message.body.size': 7 });
    expect(consumer).toMatchObject({ name: 'process orders.{region}', parentSpanContext: { spanId: producer?.spanContext().spanId } });
    expect(consumer?.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.destination.name': 'orders.eu', 'messaging.destination.template': 'orders.{region}' });
    expect(active).toBe(consumer?.spanContext().spanId);
    expect(baggage).toBe('alice smith');
  });

  it('marks the CONSUMER span as an error when the handler throws, once per delivery', async () => {
    const transport = new MemoryTransport({ maxDeliveries: 2 });
    const endpoint = messageEndpoint(transport, orders, 'plain', { tracing: { api: otel } });
    await endpoint.subscribe(() => {
      throw new TypeError('no stock');
    });
    const { traceId } = await inSpan('request', () => endpoint.publish({ n: 1 }, { parameters: { region: 'eu' } }));
    await expect.poll(() => spansOf(traceId).filter((s) => s.kind === SpanKind.CONSUMER).length).toBe(2);
    await transport.close();
    const consumers = spansOf(traceId).filter((s) => s.kind === SpanKind.CONSUMER);
    expect(consumers).toHaveLength(2);
    for (const span of consumers) {
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no stock' });
      expect(span.attributes['error.type']).toBe('TypeError');
    }
  });

  it('request/reply: the reply is sent under the responder CONSUMER span, not under the request it copies headers from', async () => {
    const transport = new MemoryTransport();
    const options = { tracing: { api: otel } };
    const questions = defineChannel({ id: 'questions', address: 'questions', parameters: {}, messages: { plain } });
    const answers = defineChannel({ id: 'answers', address: 'answers', parameters: {}, messages: { plain } });
    await requestEndpoint(transport, questions, 'plain', answers, ['plain'], options).respond((question) => ({ n: question.n + 1 }));
    const asking = requestEndpoint(transport, questions, 'plain', answers, ['plain'], options);
    const { result, traceId } = await inSpan('ask', () => asking.request({ n: 1 }));
    await transport.close();
    expect(result).toEqual({ n: 2 });
    const spans = spansOf(traceId);
    const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER);
    const producers = spans.filter((s) => s.kind === SpanKind.PRODUCER);
    expect(producers).toHaveLength(2);
    const reply = producers.find((s) => s.parentSpanContext?.spanId === consumer?.spanContext().spanId);
    expect(reply, 'a reply span under the consumer span').toBeDefined();
  });

  it('a trace passed by hand is the parent of the PRODUCER span', async () => {
    const transport = new Recorder();
    const endpoint = messageEndpoint(transport, orders, 'plain', { tracing: { api: otel } });
    await endpoint.publish({ n: 1 }, { parameters: { region: 'eu' }, trace: `${VALID.slice(0, -2)}01` });
    const [producer] = spansOf(TRACE_ID);
    expect(producer).toMatchObject({ kind: SpanKind.PRODUCER, parentSpanContext: { spanId: SPAN_ID } });
    expect(transport.sent[0]?.headers['traceparent']).toBe(`00-${TRACE_ID}-${producer?.spanContext().spanId}-01`);
  });
});
