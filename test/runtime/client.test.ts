import { describe, it, expect, vi } from 'vitest';
import { Ajv } from 'ajv';
import { AddressError, addressPattern } from '../../templates/runtime/address.js';
import { channelEndpoint, defineChannel, defineMessage, messageEndpoint, type MessageContext } from '../../templates/runtime/client.js';
import { DecodeError, UnknownMessageError, ValidationError, type ReceiveError } from '../../templates/runtime/errors.js';
import { MemoryTransport } from '../../templates/runtime/memory.js';
import type { IncomingMessage, OutgoingMessage } from '../../templates/runtime/transport.js';
import { checkWith, type RawValidator } from '../../templates/runtime/validation.js';

// Validators as the generator compiles them: payloads as they are, headers coerced from strings.
const payloadAjv = new Ajv({ allErrors: true, strict: false });
const headersAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: true });
const payloadCheck = <T>(schema: object) => checkWith<T>(payloadAjv.compile(schema) as RawValidator);
const headersCheck = <T>(schema: object) => checkWith<T>(headersAjv.compile(schema) as RawValidator);

// ── a channel with a discriminator ──────────────────────────────────────────────────────────────
interface SessionBegin {
  type: 'session.begin';
  userId: string;
}
interface SessionEnd {
  type: 'session.end';
  userId: string;
  reason: 'logout' | 'timeout';
}

const sessionBegin = defineMessage<SessionBegin>({
  id: 'sessionBegin',
  contentType: 'application/json',
  payload: payloadCheck<SessionBegin>({
    type: 'object',
    required: ['type', 'userId'],
    additionalProperties: false,
    properties: { type: { const: 'session.begin' }, userId: { type: 'string', minLength: 1 } },
  }),
});
const sessionEnd = defineMessage<SessionEnd>({
  id: 'sessionEnd',
  contentType: 'application/json',
  payload: payloadCheck<SessionEnd>({
    type: 'object',
    required: ['type', 'userId', 'reason'],
    additionalProperties: false,
    properties: { type: { const: 'session.end' }, userId: { type: 'string' }, reason: { enum: ['logout', 'timeout'] } },
  }),
});
const sessions = defineChannel({
  id: 'sessions',
  address: 'iam.sessions',
  parameters: {},
  messages: { sessionBegin, sessionEnd },
  discriminator: { property: 'type', values: { sessionBegin: 'session.begin', sessionEnd: 'session.end' } },
});

// ── a channel with parameters and headers ───────────────────────────────────────────────────────
interface OrderPlaced {
  orderId: string;
  total: number;
}
interface OrderHeaders {
  traceId: string;
  retries?: number;
}
const orderPlaced = defineMessage<OrderPlaced, OrderHeaders>({
  id: 'orderPlaced',
  contentType: 'application/json',
  payload: payloadCheck<OrderPlaced>({
    type: 'object',
    required: ['orderId', 'total'],
    properties: { orderId: { type: 'string' }, total: { type: 'number', minimum: 0 } },
  }),
  headers: headersCheck<OrderHeaders>({
    type: 'object',
    required: ['traceId'],
    properties: { traceId: { type: 'string' }, retries: { type: 'integer', minimum: 0 } },
  }),
});
const orders = defineChannel({
  id: 'orders',
  address: 'tenants.{tenantId}.regions.{region}.orders',
  parameters: { tenantId: {}, region: { enum: ['eu', 'us'] } },
  messages: { orderPlaced },
});

// ── a channel without a discriminator ───────────────────────────────────────────────────────────
interface Point {
  x: number;
  y: number;
}
interface Label {
  text: string;
}
const point = defineMessage<Point>({
  id: 'point',
  contentType: 'application/json',
  payload: payloadCheck<Point>({ type: 'object', required: ['x', 'y'], additionalProperties: false, properties: { x: { type: 'number' }, y: { type: 'number' } } }),
});
const label = defineMessage<Label>({
  id: 'label',
  contentType: 'application/json',
  payload: payloadCheck<Label>({ type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string' } } }),
});
const shapes = defineChannel({ id: 'shapes', address: 'canvas.shapes', parameters: {}, messages: { point, label } });

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function raw(payload: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return { payload: encoder.encode(payload), headers: {}, contentType: 'application/json', ...extra };
}

/** Everything published on the transport, as the wire sees it. */
async function wiretap(transport: MemoryTransport, template: string) {
  const seen: Array<{ address: string; json: unknown; headers: IncomingMessage['headers']; contentType: string | undefined }> = [];
  await transport.subscribe(addressPattern(template), async (m) => {
    seen.push({ address: m.address, json: JSON.parse(decoder.decode(m.payload)), headers: m.headers, contentType: m.contentType });
  });
  return seen;
}

/** The delivery handler the client hands the transport, to see whether it acks (resolves) or nacks. */
function captureDeliveries(transport: MemoryTransport) {
  const subscribe = vi.spyOn(transport, 'subscribe');
  return () => {
    const handler = subscribe.mock.calls.at(-1)?.[1];
    if (!handler) throw new Error('nothing subscribed');
    return handler;
  };
}

function incoming(address: string, message: OutgoingMessage): IncomingMessage {
  return { ...message, address, deliveryAttempt: 1 };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('publish with a discriminator', () => {
  it('fills in a missing discriminator value', async () => {
    const transport = new MemoryTransport();
    const wire = await wiretap(transport, 'iam.sessions');
    const end = messageEndpoint(transport, sessions, 'sessionEnd');
    // A caller (plain JS, or a spread that dropped it) leaves the discriminator out.
    await end.publish({ userId: 'u1', reason: 'logout' } as SessionEnd);
    await transport.idle();
    expect(wire).toEqual([{ address: 'iam.sessions', json: { userId: 'u1', reason: 'logout', type: 'session.end' }, headers: {}, contentType: 'application/json' }]);
  });

  it('refuses a discriminator value that belongs to another message', async () => {
    const transport = new MemoryTransport();
    const wire = await wiretap(transport, 'iam.sessions');
    const begin = messageEndpoint(transport, sessions, 'sessionBegin');
    const error = await rejection(begin.publish({ type: 'session.end', userId: 'u1' } as unknown as SessionBegin));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ messageId: 'sessionBegin', part: 'payload', direction: 'publish' });
    expect((error as ValidationError).issues[0]?.pointer).toBe('/type');
    await transport.idle();
    expect(wire).toEqual([]);
  });

  it.each([
    ['missing required field', { given: { type: 'session.begin' }, pointer: '/userId', keyword: 'required' }],
    ['empty string', { given: { type: 'session.begin', userId: '' }, pointer: '/userId', keyword: 'minLength' }],
    ['extra field', { given: { type: 'session.begin', userId: 'u', admin: true }, pointer: '/admin', keyword: 'additionalProperties' }],
    ['wrong type', { given: { type: 'session.begin', userId: 7 }, pointer: '/userId', keyword: 'type' }],
  ])('rejects an invalid payload before it reaches the transport: %s', async (_name, { given, pointer, keyword }) => {
    const transport = new MemoryTransport();
    const publish = vi.spyOn(transport, 'publish');
    const begin = messageEndpoint(transport, sessions, 'sessionBegin');
    const error = await rejection(begin.publish(given as unknown as SessionBegin));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ messageId: 'sessionBegin', part: 'payload', direction: 'publish' });
    expect((error as ValidationError).issues).toContainEqual(expect.objectContaining({ pointer, keyword }));
    expect((error as ValidationError).message).toContain(pointer);
    expect(publish).not.toHaveBeenCalled();
  });
});

describe('a message endpoint receiving', () => {
  it('hands a valid message to the handler with its context', async () => {
    const transport = new MemoryTransport();
    const handler = vi.fn<(payload: SessionBegin, context: MessageContext<unknown, unknown>) => void>();
    await messageEndpoint(transport, sessions, 'sessionBegin').subscribe(handler);
    await messageEndpoint(transport, sessions, 'sessionBegin').publish({ type: 'session.begin', userId: 'u1' });
    await transport.idle();
    expect(handler).toHaveBeenCalledTimes(1);
    const [payload, context] = handler.mock.calls[0] ?? [];
    expect(payload).toEqual({ type: 'session.begin', userId: 'u1' });
    expect(context).toMatchObject({ messageId: 'sessionBegin', address: 'iam.sessions', parameters: {}, headers: {}, deliveryAttempt: 1 });
    expect(context?.raw.address).toBe('iam.sessions');
  });

  it('acknowledges a sibling message without calling the handler or onError', async () => {
    const transport = new MemoryTransport();
    const delivery = captureDeliveries(transport);
    const handler = vi.fn();
    const onError = vi.fn();
    await messageEndpoint(transport, sessions, 'sessionBegin').subscribe(handler, { onError });
    const sibling = incoming('iam.sessions', raw(JSON.stringify({ type: 'session.end', userId: 'u1', reason: 'timeout' })));
    await expect(delivery()(sibling)).resolves.toBeUndefined();
    expect(handler).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it.each([
    ['garbage JSON', { message: raw('{not json'), error: DecodeError, text: 'not valid JSON' }],
    ['invalid UTF-8', { message: { payload: new Uint8Array([0xff, 0xfe]), headers: {}, contentType: 'application/json' }, error: DecodeError, text: 'UTF-8' }],
    ['a non-JSON content type', { message: raw('{"type":"session.begin","userId":"u1"}', { contentType: 'text/plain' }), error: DecodeError, text: 'text/plain' }],
    ['an unknown discriminator value', { message: raw('{"type":"session.pause","userId":"u1"}'), error: UnknownMessageError, text: '"session.pause"' }],
    ['a missing discriminator', { message: raw('{"userId":"u1"}'), error: UnknownMessageError, text: 'missing' }],
    ['a payload failing validation', { message: raw('{"type":"session.begin"}'), error: ValidationError, text: '/userId' }],
  ])('reports %s to onError, acknowledges it, and keeps receiving', async (_name, { message, error, text }) => {
    const transport = new MemoryTransport();
    const delivery = captureDeliveries(transport);
    const received: SessionBegin[] = [];
    const errors: Array<[ReceiveError, IncomingMessage]> = [];
    const onDeadLetter = vi.fn();
    const endpoint = messageEndpoint(transport, sessions, 'sessionBegin');
    await endpoint.subscribe((p) => void received.push(p), { onError: (e, m) => errors.push([e, m]), onDeadLetter });

    // Directly: the client acknowledges a message it cannot use rather than have it redelivered forever.
    await expect(delivery()(incoming('iam.sessions', message))).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);

    // Through the broker: reported once, not redelivered, and the subscription goes on.
    errors.length = 0;
    await transport.publish('iam.sessions', message);
    await endpoint.publish({ type: 'session.begin', userId: 'after' });
    await transport.idle();

    expect(errors).toHaveLength(1);
    const [reported, rawMessage] = errors[0] ?? [];
    expect(reported).toBeInstanceOf(error);
    expect(reported?.message).toContain(text);
    expect(rawMessage?.address).toBe('iam.sessions');
    expect(rawMessage?.deliveryAttempt).toBe(1);
    expect(received).toEqual([{ type: 'session.begin', userId: 'after' }]);
    expect(onDeadLetter).not.toHaveBeenCalled();
  });

  it('reports a failing payload as a receive ValidationError naming the message', async () => {
    const transport = new MemoryTransport();
    const onError = vi.fn();
    await messageEndpoint(transport, sessions, 'sessionEnd').subscribe(() => undefined, { onError });
    await transport.publish('iam.sessions', raw('{"type":"session.end","userId":"u1","reason":"crash"}'));
    await transport.idle();
    expect(onError).toHaveBeenCalledTimes(1);
    const error = onError.mock.calls[0]?.[0] as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ messageId: 'sessionEnd', part: 'payload', direction: 'receive' });
    expect(error.issues).toEqual([expect.objectContaining({ pointer: '/reason', keyword: 'enum' })]);
  });

  it('accepts a JSON content type with parameters, a +json type, and none at all', async () => {
    const transport = new MemoryTransport();
    const received: string[] = [];
    const onError = vi.fn();
    await messageEndpoint(transport, sessions, 'sessionBegin').subscribe((p) => void received.push(p.userId), { onError });
    await transport.publish('iam.sessions', raw('{"type":"session.begin","userId":"a"}', { contentType: 'application/json; charset=utf-8' }));
    await transport.publish('iam.sessions', raw('{"type":"session.begin","userId":"b"}', { contentType: 'application/cloudevents+json' }));
    await transport.publish('iam.sessions', raw('{"type":"session.begin","userId":"c"}', { contentType: undefined }));
    await transport.idle();
    expect(received.sort()).toEqual(['a', 'b', 'c']);
    expect(onError).not.toHaveBeenCalled();
  });

  it('uses the client-wide onError unless the subscription gives its own', async () => {
    const transport = new MemoryTransport();
    const clientOnError = vi.fn();
    const subscriptionOnError = vi.fn();
    await messageEndpoint(transport, sessions, 'sessionBegin', { onError: clientOnError }).subscribe(() => undefined);
    await messageEndpoint(transport, sessions, 'sessionBegin', { onError: clientOnError }).subscribe(() => undefined, { onError: subscriptionOnError });
    await transport.publish('iam.sessions', raw('garbage'));
    await transport.idle();
    expect(clientOnError).toHaveBeenCalledTimes(1);
    expect(subscriptionOnError).toHaveBeenCalledTimes(1);
  });

  it('logs to console.error when nobody gave an onError', async () => {
    const transport = new MemoryTransport();
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await messageEndpoint(transport, sessions, 'sessionBegin').subscribe(() => undefined);
      await transport.publish('iam.sessions', raw('garbage'));
      await transport.idle();
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toContain('iam.sessions');
    } finally {
      log.mockRestore();
    }
  });
});

describe('handler failures', () => {
  it('redelivers when the handler throws, with the attempt number in the context', async () => {
    const transport = new MemoryTransport();
    const attempts: number[] = [];
    const onDeadLetter = vi.fn();
    const endpoint = messageEndpoint(transport, sessions, 'sessionBegin');
    await endpoint.subscribe(
      (_payload, context) => {
        attempts.push(context.deliveryAttempt);
        if (context.deliveryAttempt < 3) throw new Error('database down');
      },
      { maxDeliveries: 5, onDeadLetter },
    );
    await endpoint.publish({ type: 'session.begin', userId: 'u1' });
    await transport.idle();
    expect(attempts).toEqual([1, 2, 3]);
    expect(onDeadLetter).not.toHaveBeenCalled();
  });

  it('dead-letters after maxDeliveries with the handler error', async () => {
    const transport = new MemoryTransport();
    const failure = new Error('always fails');
    const handler = vi.fn(async () => {
      throw failure;
    });
    const onDeadLetter = vi.fn();
    const onError = vi.fn();
    const endpoint = messageEndpoint(transport, sessions, 'sessionBegin');
    await endpoint.subscribe(handler, { maxDeliveries: 2, onDeadLetter, onError });
    await endpoint.publish({ type: 'session.begin', userId: 'u1' });
    await transport.idle();
    expect(handler).toHaveBeenCalledTimes(2);
    expect(onDeadLetter).toHaveBeenCalledTimes(1);
    expect(onDeadLetter.mock.calls[0]?.[1]).toBe(failure);
    expect((onDeadLetter.mock.calls[0]?.[0] as IncomingMessage | undefined)?.deliveryAttempt).toBe(2);
    // A failing handler is not a receive error.
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('channel-level subscribe', () => {
  it('routes each message to its own handler', async () => {
    const transport = new MemoryTransport();
    const channel = channelEndpoint(transport, sessions, ['sessionBegin', 'sessionEnd']);
    const begins: SessionBegin[] = [];
    const ends: Array<[SessionEnd, string]> = [];
    const onError = vi.fn();
    await channel.subscribe(
      {
        sessionBegin: (p) => void begins.push(p),
        sessionEnd: (p, context) => void ends.push([p, context.messageId]),
      },
      { onError },
    );
    await channel.publish('sessionBegin', { type: 'session.begin', userId: 'u1' });
    await channel.publish('sessionEnd', { type: 'session.end', userId: 'u1', reason: 'logout' });
    await channel.publish('sessionBegin', { type: 'session.begin', userId: 'u2' });
    await transport.idle();
    expect(begins.map((b) => b.userId)).toEqual(['u1', 'u2']);
    expect(ends).toEqual([[{ type: 'session.end', userId: 'u1', reason: 'logout' }, 'sessionEnd']]);
    expect(onError).not.toHaveBeenCalled();
  });

  it('acknowledges messages that have no handler in the map', async () => {
    const transport = new MemoryTransport();
    const delivery = captureDeliveries(transport);
    const begins = vi.fn();
    await channelEndpoint(transport, sessions, ['sessionBegin', 'sessionEnd']).subscribe({ sessionBegin: begins });
    await expect(delivery()(incoming('iam.sessions', raw('{"type":"session.end","userId":"u","reason":"logout"}')))).resolves.toBeUndefined();
    expect(begins).not.toHaveBeenCalled();
  });

  it('shares messages among a group', async () => {
    const transport = new MemoryTransport();
    const endpoint = messageEndpoint(transport, sessions, 'sessionBegin');
    const a: string[] = [];
    const b: string[] = [];
    await endpoint.subscribe((p) => void a.push(p.userId), { group: 'workers' });
    await endpoint.subscribe((p) => void b.push(p.userId), { group: 'workers' });
    for (const userId of ['u1', 'u2', 'u3', 'u4']) await endpoint.publish({ type: 'session.begin', userId });
    await transport.idle();
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect([...a, ...b].sort()).toEqual(['u1', 'u2', 'u3', 'u4']);
  });

  it('delivers every message when two endpoints of one channel share a group', async () => {
    const transport = new MemoryTransport();
    const begins: string[] = [];
    const ends: string[] = [];
    await messageEndpoint(transport, sessions, 'sessionBegin').subscribe((p) => void begins.push(p.userId), { group: 'audit' });
    await messageEndpoint(transport, sessions, 'sessionEnd').subscribe((p) => void ends.push(p.userId), { group: 'audit' });
    const publisher = channelEndpoint(transport, sessions, ['sessionBegin', 'sessionEnd']);
    for (const userId of ['u1', 'u2', 'u3', 'u4']) {
      await publisher.publish('sessionBegin', { type: 'session.begin', userId });
      await publisher.publish('sessionEnd', { type: 'session.end', userId, reason: 'logout' });
    }
    await transport.idle();
    expect(begins).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(ends).toEqual(['u1', 'u2', 'u3', 'u4']);
  });

  it('reports a message no handler of the group takes instead of acknowledging it in silence', async () => {
    const transport = new MemoryTransport();
    const errors: ReceiveError[] = [];
    const begins = vi.fn();
    await messageEndpoint(transport, sessions, 'sessionBegin').subscribe(begins, { group: 'audit', onError: (e) => errors.push(e) });
    await messageEndpoint(transport, sessions, 'sessionEnd').publish({ type: 'session.end', userId: 'u1', reason: 'timeout' });
    await transport.idle();
    expect(begins).not.toHaveBeenCalled();
    expect(errors.map((e) => [e.constructor.name, e.message])).toEqual([
      ['UnhandledMessageError', 'message "sessionEnd" on "iam.sessions" has no handler in group "audit"; subscribe a handler for it in this group, or use another group'],
    ]);
  });

  it('keeps a group going while one member leaves, and closes it with the last', async () => {
    const transport = new MemoryTransport();
    const begins: string[] = [];
    const ends: string[] = [];
    const a = await messageEndpoint(transport, sessions, 'sessionBegin').subscribe((p) => void begins.push(p.userId), { group: 'audit' });
    const b = await messageEndpoint(transport, sessions, 'sessionEnd').subscribe((p) => void ends.push(p.userId), { group: 'audit', onError: () => undefined });
    await a.close();
    const publisher = channelEndpoint(transport, sessions, ['sessionBegin', 'sessionEnd']);
    await publisher.publish('sessionEnd', { type: 'session.end', userId: 'u1', reason: 'logout' });
    await transport.idle();
    expect(ends).toEqual(['u1']);
    await b.close();
    // With the last member gone, a new member opens a fresh subscription that receives.
    await messageEndpoint(transport, sessions, 'sessionBegin').subscribe((p) => void begins.push(p.userId), { group: 'audit' });
    await publisher.publish('sessionBegin', { type: 'session.begin', userId: 'u2' });
    await transport.idle();
    expect(begins).toEqual(['u2']);
  });
});

describe('channel parameters', () => {
  const order = { orderId: 'o1', total: 10 };
  const headers = { traceId: 't1' };

  it('fills parameters into the address on publish', async () => {
    const transport = new MemoryTransport();
    const wire = await wiretap(transport, 'tenants.{tenantId}.regions.{region}.orders');
    await messageEndpoint(transport, orders, 'orderPlaced').publish(order, { headers, parameters: { tenantId: 'acme', region: 'eu' } });
    await transport.idle();
    expect(wire.map((w) => w.address)).toEqual(['tenants.acme.regions.eu.orders']);
  });

  it('gives the subscriber the parameters of the address', async () => {
    const transport = new MemoryTransport();
    const endpoint = messageEndpoint(transport, orders, 'orderPlaced');
    const seen: Array<Readonly<Record<string, string>>> = [];
    await endpoint.subscribe((_p, context) => void seen.push(context.parameters));
    await endpoint.publish(order, { headers, parameters: { tenantId: 'acme', region: 'eu' } });
    await endpoint.publish(order, { headers, parameters: { tenantId: 'globex', region: 'us' } });
    await transport.idle();
    expect(seen).toEqual([
      { tenantId: 'acme', region: 'eu' },
      { tenantId: 'globex', region: 'us' },
    ]);
  });

  it('receives only the pinned parameter values', async () => {
    const transport = new MemoryTransport();
    const endpoint = messageEndpoint(transport, orders, 'orderPlaced');
    const seen: string[] = [];
    await endpoint.subscribe((_p, context) => void seen.push(`${context.parameters.tenantId}/${context.parameters.region}`), { parameters: { tenantId: 'acme' } });
    await endpoint.publish(order, { headers, parameters: { tenantId: 'acme', region: 'eu' } });
    await endpoint.publish(order, { headers, parameters: { tenantId: 'globex', region: 'eu' } });
    await endpoint.publish(order, { headers, parameters: { tenantId: 'acme', region: 'us' } });
    await transport.idle();
    expect(seen).toEqual(['acme/eu', 'acme/us']);
  });

  it('rejects a parameter outside its enum on publish, before the transport', async () => {
    const transport = new MemoryTransport();
    const publish = vi.spyOn(transport, 'publish');
    // The type only allows 'eu' | 'us'; the cast stands for untyped callers.
    const error = await rejection(messageEndpoint(transport, orders, 'orderPlaced').publish(order, { headers, parameters: { tenantId: 'acme', region: 'apac' as 'eu' } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ messageId: 'orderPlaced', part: 'parameters', direction: 'publish' });
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ pointer: '/region', keyword: 'enum' })]);
    expect(publish).not.toHaveBeenCalled();
  });

  it.each([
    ['a separator', { tenantId: 'a.b' }],
    ['a wildcard', { tenantId: '*' }],
    ['an empty value', { tenantId: '' }],
  ])('refuses a parameter value with %s on publish', async (_name, { tenantId }) => {
    const transport = new MemoryTransport();
    const publish = vi.spyOn(transport, 'publish');
    const error = await rejection(messageEndpoint(transport, orders, 'orderPlaced').publish(order, { headers, parameters: { tenantId, region: 'eu' } }));
    expect(error).toBeInstanceOf(AddressError);
    expect((error as Error).message).toContain('"tenantId"');
    expect(publish).not.toHaveBeenCalled();
  });

  it('reports a received parameter outside its enum', async () => {
    const transport = new MemoryTransport();
    const handler = vi.fn();
    const onError = vi.fn();
    await messageEndpoint(transport, orders, 'orderPlaced').subscribe(handler, { onError });
    await transport.publish('tenants.acme.regions.apac.orders', raw(JSON.stringify(order), { headers }));
    await transport.idle();
    expect(handler).not.toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ part: 'parameters', direction: 'receive', issues: [expect.objectContaining({ pointer: '/region' })] });
  });
});

describe('headers', () => {
  const order = { orderId: 'o1', total: 10 };
  const parameters = { tenantId: 'acme', region: 'eu' } as const;

  it('travel as strings and arrive typed through a coercing validator', async () => {
    const transport = new MemoryTransport();
    const wire = await wiretap(transport, 'tenants.{tenantId}.regions.{region}.orders');
    const endpoint = messageEndpoint(transport, orders, 'orderPlaced');
    const seen: OrderHeaders[] = [];
    await endpoint.subscribe((_p, context) => void seen.push(context.headers));
    await endpoint.publish(order, { headers: { traceId: 't1', retries: 5 }, parameters });
    await transport.idle();
    expect(wire[0]?.headers).toEqual({ traceId: 't1', retries: '5' });
    expect(seen).toEqual([{ traceId: 't1', retries: 5 }]);
    expect(typeof seen[0]?.retries).toBe('number');
  });

  it('coerces string headers from other publishers ("5" → 5)', async () => {
    const transport = new MemoryTransport();
    const seen: OrderHeaders[] = [];
    await messageEndpoint(transport, orders, 'orderPlaced').subscribe((_p, context) => void seen.push(context.headers));
    await transport.publish('tenants.acme.regions.eu.orders', raw(JSON.stringify(order), { headers: { traceId: 't2', retries: '5' } }));
    await transport.idle();
    expect(seen).toEqual([{ traceId: 't2', retries: 5 }]);
  });

  it.each([
    ['missing required header', { given: {}, pointer: '/traceId' }],
    ['header of the wrong type', { given: { traceId: 't', retries: -1 }, pointer: '/retries' }],
  ])('rejects on publish: %s', async (_name, { given, pointer }) => {
    const transport = new MemoryTransport();
    const publish = vi.spyOn(transport, 'publish');
    const error = await rejection(messageEndpoint(transport, orders, 'orderPlaced').publish(order, { headers: given as OrderHeaders, parameters }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ part: 'headers', direction: 'publish' });
    expect((error as ValidationError).issues[0]?.pointer).toBe(pointer);
    expect(publish).not.toHaveBeenCalled();
  });

  it('reports headers that fail validation on receive', async () => {
    const transport = new MemoryTransport();
    const handler = vi.fn();
    const onError = vi.fn();
    await messageEndpoint(transport, orders, 'orderPlaced').subscribe(handler, { onError });
    await transport.publish('tenants.acme.regions.eu.orders', raw(JSON.stringify(order), { headers: { traceId: 't', retries: 'many' } }));
    await transport.idle();
    expect(handler).not.toHaveBeenCalled();
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ messageId: 'orderPlaced', part: 'headers', direction: 'receive', issues: [expect.objectContaining({ pointer: '/retries' })] });
  });

  it('pass through as strings when the message has no headers schema', async () => {
    const transport = new MemoryTransport();
    const seen: unknown[] = [];
    await messageEndpoint(transport, sessions, 'sessionBegin').subscribe((_p, context) => void seen.push(context.headers));
    await transport.publish('iam.sessions', raw('{"type":"session.begin","userId":"u"}', { headers: { retries: '5' } }));
    await transport.idle();
    expect(seen).toEqual([{ retries: '5' }]);
  });
});

describe('a channel without a discriminator', () => {
  it('routes to the first message whose schema accepts the payload', async () => {
    const transport = new MemoryTransport();
    const channel = channelEndpoint(transport, shapes, ['point', 'label']);
    const got: Array<[string, unknown]> = [];
    const onError = vi.fn();
    await channel.subscribe({ point: (p, c) => void got.push([c.messageId, p]), label: (p, c) => void got.push([c.messageId, p]) }, { onError });
    await channel.publish('label', { text: 'hello' });
    await channel.publish('point', { x: 1, y: 2 });
    await transport.idle();
    expect(got).toEqual([
      ['label', { text: 'hello' }],
      ['point', { x: 1, y: 2 }],
    ]);
    expect(onError).not.toHaveBeenCalled();
  });

  it('lets a message endpoint ignore the sibling it does not handle', async () => {
    const transport = new MemoryTransport();
    const points = vi.fn();
    const onError = vi.fn();
    await messageEndpoint(transport, shapes, 'point').subscribe(points, { onError });
    await messageEndpoint(transport, shapes, 'label').publish({ text: 'hello' });
    await transport.idle();
    expect(points).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it("reports UnknownMessageError, with every candidate's issues, when no schema accepts", async () => {
    const transport = new MemoryTransport();
    const onError = vi.fn();
    const handler = vi.fn();
    await channelEndpoint(transport, shapes, ['point', 'label']).subscribe({ point: handler, label: handler }, { onError });
    await transport.publish('canvas.shapes', raw('{"x":1}'));
    await transport.idle();
    expect(handler).not.toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    const error = onError.mock.calls[0]?.[0] as UnknownMessageError;
    expect(error).toBeInstanceOf(UnknownMessageError);
    expect(error.address).toBe('canvas.shapes');
    expect(error.candidates.map((c) => c.messageId)).toEqual(['point', 'label']);
    expect(error.candidates[0]?.issues).toEqual([expect.objectContaining({ pointer: '/y', keyword: 'required' })]);
    expect(error.candidates[1]?.issues).toContainEqual(expect.objectContaining({ pointer: '/text', keyword: 'required' }));
  });
});

describe('publishing an id the channel does not have', () => {
  it('throws naming the channel and message', async () => {
    const transport = new MemoryTransport();
    const channel = channelEndpoint(transport, sessions, ['sessionBegin']);
    const publish = channel.publish.bind(channel) as (id: string, payload: unknown) => Promise<void>;
    await expect(publish('nope', {})).rejects.toThrow('channel "sessions" has no message "nope"');
  });
});

describe('publishing a message of the channel that the endpoint does not cover', () => {
  it('throws naming what the endpoint publishes', async () => {
    const transport = new MemoryTransport();
    const channel = channelEndpoint(transport, sessions, ['sessionBegin']);
    const publish = channel.publish.bind(channel) as (id: string, payload: unknown) => Promise<void>;
    await expect(publish('sessionEnd', {})).rejects.toThrow('does not publish "sessionEnd"; it publishes "sessionBegin"');
  });
});
