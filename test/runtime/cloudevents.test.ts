/**
 * CloudEvents through the generated user-sessions client: the helpers fill the envelope, events
 * travel structured or binary per each transport's binding, subscribers take both modes, and the
 * official `cloudevents` SDK reads what the client sends and writes what it receives.
 */
import { CloudEvent, HTTP, Kafka, MQTT, MQTTMessageFactory } from 'cloudevents';
import { afterEach, describe, expect, it } from 'vitest';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { MemoryTransport } from '../../templates/runtime/memory.js';
import { addressPattern } from '../../templates/runtime/address.js';
import type { CloudEventsBinding, IncomingMessage } from '../../templates/runtime/transport.js';

const ADDRESS = 'system-events.user-session';
const BINDINGS: Array<[string, CloudEventsBinding]> = [
  ['HTTP / NATS (ce-)', { headerPrefix: 'ce-', binary: true }],
  ['Kafka (ce_)', { headerPrefix: 'ce_', binary: true }],
  ['AMQP (cloudEvents_)', { headerPrefix: 'cloudEvents_', binary: true }],
  ['MQTT 5 (user properties)', { headerPrefix: '', binary: true }],
];

const init = {
  source: 'com.qlik/edge-auth',
  tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69',
  userid: '605a18af2ab08cdbfad09259',
  data: { idpId: '661d627cef218789bbd67cc9', source: 'com.qlik/edge-auth' as const, subject: 'auth0\\foo', recovery: false },
};

let transports: MemoryTransport[] = [];
function memory(binding?: CloudEventsBinding): MemoryTransport {
  const t = new MemoryTransport(binding ? { cloudEvents: binding } : {});
  transports.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(transports.map((t) => t.close()));
  transports = [];
});

/** Records what goes over the wire and what the typed handlers get. */
async function wire(transport: MemoryTransport) {
  const raw: IncomingMessage[] = [];
  const typed: sessions.UserSessionBegin[] = [];
  const errors: string[] = [];
  await transport.subscribe(addressPattern(ADDRESS), async (m) => void raw.push(m));
  return { raw, typed, errors };
}

describe('envelope helpers', () => {
  it('event() fills id, time, specversion and the type from the schema default; given values win', () => {
    const client = sessions.createUserSessionsClient(memory());
    const event = client.userSessionBegin.event(init);
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(event.time ?? '')).not.toBeNaN();
    expect(event).toMatchObject({ specversion: '1.0', type: 'com.qlik.user-session.begin', source: init.source });
    expect(client.userSessionBegin.event({ ...init, id: 'fixed', time: '2026-01-01T00:00:00Z' })).toMatchObject({ id: 'fixed', time: '2026-01-01T00:00:00Z' });
    expect(client.userSessionBegin.event(init).id).not.toBe(event.id);
  });

  it('emit() validates like publish: a wrong field is refused by JSON pointer', async () => {
    const client = sessions.createUserSessionsClient(memory());
    const bad = { ...init, data: { ...init.data, recovery: 'no' } } as unknown as typeof init;
    await expect(client.userSessionBegin.emit(bad)).rejects.toThrow(/\/data\/recovery must be boolean/);
  });
});

describe.each(BINDINGS)('binding %s', (_name, binding) => {
  it.each([['structured'], ['binary']] as const)('%s mode: published, then received typed by a subscriber', async (mode) => {
    const transport = memory(binding);
    const client = sessions.createUserSessionsClient(transport, { cloudEvents: { mode } });
    const { raw } = await wire(transport);
    const got: sessions.UserSessionBegin[] = [];
    await client.userSessionBegin.subscribe((e) => void got.push(e));
    const event = client.userSessionBegin.event(init);
    await client.userSessionBegin.publish(event);
    await transport.idle();
    // Binary mode carries `datacontenttype` as the content type, so the receiver sees it (as the SDK does).
    expect(got).toEqual([mode === 'binary' ? { ...event, datacontenttype: 'application/json' } : event]);
    const [message] = raw;
    if (mode === 'structured') {
      expect(message?.contentType).toBe('application/cloudevents+json');
      expect(JSON.parse(new TextDecoder().decode(message?.payload))).toEqual(event);
    } else {
      expect(message?.contentType).toBe('application/json');
      expect(JSON.parse(new TextDecoder().decode(message?.payload))).toEqual(init.data);
      expect(message?.headers[`${binding.headerPrefix}specversion`]).toBe('1.0');
      expect(message?.headers[`${binding.headerPrefix}type`]).toBe('com.qlik.user-session.begin');
      expect(message?.headers[`${binding.headerPrefix}tenantid`]).toBe(init.tenantid);
    }
  });
});

describe('attribute values in headers', () => {
  it('percent-encodes non-ASCII values for ce- headers (HTTP binding) and decodes them on receipt', async () => {
    const transport = memory({ headerPrefix: 'ce-', binary: true });
    const client = sessions.createUserSessionsClient(transport, { cloudEvents: { mode: 'binary' } });
    const { raw } = await wire(transport);
    const got: sessions.UserSessionBegin[] = [];
    await client.userSessionBegin.subscribe((e) => void got.push(e));
    await client.userSessionBegin.emit({ ...init, userid: 'usr-ü 1%' });
    await transport.idle();
    expect(raw[0]?.headers['ce-userid']).toBe('usr-%C3%BC%201%25');
    expect(got[0]?.userid).toBe('usr-ü 1%');
  });

  it('keeps Kafka header values as UTF-8 text', async () => {
    const transport = memory({ headerPrefix: 'ce_', binary: true });
    const client = sessions.createUserSessionsClient(transport, { cloudEvents: { mode: 'binary' } });
    const { raw } = await wire(transport);
    await client.userSessionBegin.emit({ ...init, userid: 'usr-ü 1%' });
    await transport.idle();
    expect(raw[0]?.headers['ce_userid']).toBe('usr-ü 1%');
  });
});

describe('binary mode where the transport cannot carry it', () => {
  it('falls back to structured (MQTT 3.1.1)', async () => {
    const transport = memory({ headerPrefix: '', binary: false });
    const client = sessions.createUserSessionsClient(transport, { cloudEvents: { mode: 'binary' } });
    const { raw } = await wire(transport);
    await client.userSessionEnd.emit({ ...init, data: { subject: 'x' } });
    await transport.idle();
    expect(raw[0]?.contentType).toBe('application/cloudevents+json');
    expect(raw[0]?.headers).toEqual({});
  });
});

describe('interop with the cloudevents SDK', () => {
  /** Decodes what our client put on the wire, with the SDK binding for that protocol. */
  async function sent(binding: CloudEventsBinding, mode: 'structured' | 'binary'): Promise<{ event: sessions.UserSessionBegin; message: IncomingMessage }> {
    const transport = memory(binding);
    const client = sessions.createUserSessionsClient(transport, { cloudEvents: { mode } });
    const { raw } = await wire(transport);
    const event = client.userSessionBegin.event(init);
    await client.userSessionBegin.publish(event);
    await transport.idle();
    const message = raw[0];
    if (!message) throw new Error('nothing was sent');
    return { event, message };
  }

  it.each([['structured'], ['binary']] as const)('HTTP binding decodes a %s event the client sent', async (mode) => {
    const { event, message } = await sent({ headerPrefix: 'ce-', binary: true }, mode);
    const decoded = HTTP.toEvent({ headers: { ...message.headers, 'content-type': message.contentType ?? '' }, body: Buffer.from(message.payload).toString('utf8') }) as CloudEvent<unknown>;
    expect(decoded.toJSON()).toMatchObject({ ...event, data: init.data });
  });

  it.each([['structured'], ['binary']] as const)('Kafka binding decodes a %s event the client sent', async (mode) => {
    const { event, message } = await sent({ headerPrefix: 'ce_', binary: true }, mode);
    const kafkaMessage = { headers: { ...message.headers, 'content-type': message.contentType ?? '' }, key: 'k', value: Buffer.from(message.payload), body: Buffer.from(message.payload) };
    const decoded = Kafka.toEvent(kafkaMessage) as CloudEvent<unknown>;
    expect(decoded.toJSON()).toMatchObject({ ...event, data: init.data });
  });

  it('MQTT binding decodes a binary event the client sent', async () => {
    const { event, message } = await sent({ headerPrefix: '', binary: true }, 'binary');
    const decoded = MQTT.toEvent(MQTTMessageFactory(message.contentType ?? '', { ...message.headers }, Buffer.from(message.payload).toString('utf8'))) as CloudEvent<string>;
    // The SDK's MQTT binding hands the body over unparsed.
    const { data, ...attributes } = decoded.toJSON();
    expect(JSON.parse(String(data))).toEqual(init.data);
    const { data: _data, ...envelope } = event;
    expect(attributes).toMatchObject(envelope);
  });

  const sdkEvent = new CloudEvent({
    id: 'sdk-1',
    source: 'com.qlik/edge-auth',
    type: 'com.qlik.user-session.begin',
    time: '2026-01-01T12:00:00.000Z',
    datacontenttype: 'application/json',
    tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69',
    data: init.data,
  });

  it.each([
    ['HTTP binary', 'ce-', () => HTTP.binary(sdkEvent)],
    ['HTTP structured', 'ce-', () => HTTP.structured(sdkEvent)],
    ['Kafka binary', 'ce_', () => Kafka.binary(sdkEvent)],
    ['Kafka structured', 'ce_', () => Kafka.structured(sdkEvent)],
  ] as const)('the client receives an event the SDK encoded (%s)', async (_name, prefix, encode) => {
    const transport = memory({ headerPrefix: prefix, binary: true });
    const client = sessions.createUserSessionsClient(transport);
    const got: sessions.UserSessionBegin[] = [];
    const errors: string[] = [];
    await client.userSessionBegin.subscribe((e) => void got.push(e), { onError: (e) => void errors.push(e.message) });
    const { headers, body } = encode();
    const flat = Object.fromEntries(
      Object.entries(headers)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const { 'content-type': contentType, ...rest } = flat;
    // The SDK's Kafka binding leaves the value for the Kafka client to serialise.
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : Buffer.isBuffer(body) ? new Uint8Array(body) : new TextEncoder().encode(JSON.stringify(body));
    await transport.publish(ADDRESS, { payload: bytes, headers: rest, contentType });
    await transport.idle();
    expect(errors).toEqual([]);
    expect(got).toEqual([expect.objectContaining({ id: 'sdk-1', specversion: '1.0', type: 'com.qlik.user-session.begin', tenantid: sdkEvent.tenantid, data: init.data })]);
  });
});

describe('the content type decides the mode (every binding says so)', () => {
  const event = { specversion: '1.0', id: 'e-1', source: init.source, type: 'com.qlik.user-session.begin', tenantid: init.tenantid, data: init.data };
  /** A structured body that also carries every attribute as a header, as the bindings allow. */
  const attributeHeaders = (prefix: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(event)
        .filter(([k]) => k !== 'data')
        .map(([k, v]) => [prefix === '' ? k : `${prefix}${k}`, String(v)]),
    );

  it.each([
    ...BINDINGS.map(([name, binding]) => [`${name}, application/cloudevents+json`, binding, 'application/cloudevents+json'] as const),
    ['HTTP, with parameters', BINDINGS[0]![1], 'Application/CloudEvents+JSON; charset=utf-8'] as const,
  ])('a structured event with the attribute headers too is read as structured (%s)', async (_name, binding, contentType) => {
    const transport = memory(binding);
    const client = sessions.createUserSessionsClient(transport);
    const got: sessions.UserSessionBegin[] = [];
    const errors: string[] = [];
    await client.userSessionBegin.subscribe((e) => void got.push(e), { onError: (e) => void errors.push(e.message) });
    await transport.publish(ADDRESS, { payload: new TextEncoder().encode(JSON.stringify(event)), headers: attributeHeaders(binding.headerPrefix), contentType });
    await transport.idle();
    expect(errors).toEqual([]);
    expect(got).toEqual([event]);
    expect(got[0]?.data.subject).toBe('auth0\\foo');
  });

  it.each([
    ['cloudEvents_ (sent)', 'cloudEvents_'],
    ['cloudEvents: (CloudEvents 1.0.2)', 'cloudEvents:'],
  ])('AMQP reads a binary event with the %s prefix', async (_name, prefix) => {
    const transport = memory({ headerPrefix: 'cloudEvents_', receivePrefixes: ['cloudEvents:'], binary: true });
    const client = sessions.createUserSessionsClient(transport);
    const got: sessions.UserSessionBegin[] = [];
    const errors: string[] = [];
    await client.userSessionBegin.subscribe((e) => void got.push(e), { onError: (e) => void errors.push(e.message) });
    await transport.publish(ADDRESS, { payload: new TextEncoder().encode(JSON.stringify(init.data)), headers: attributeHeaders(prefix), contentType: 'application/json' });
    await transport.idle();
    expect(errors).toEqual([]);
    expect(got).toEqual([{ ...event, datacontenttype: 'application/json' }]);
  });
});

describe('bad binary events reach onError, never the handler', () => {
  it.each([
    ['data that is not JSON', { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': 's', 'ce-type': 'com.qlik.user-session.begin', 'ce-tenantid': 't' }, '{nope', /not valid JSON/],
    ['a type that matches no message', { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': 's', 'ce-type': 'com.example.other', 'ce-tenantid': 't' }, '{}', /"type" is "com.example.other"/],
    ['a missing required attribute', { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-type': 'com.qlik.user-session.begin', 'ce-tenantid': 't' }, JSON.stringify(init.data), /\/source/],
  ])('%s', async (_name, headers, body, want) => {
    const transport = memory();
    const client = sessions.createUserSessionsClient(transport);
    const got: unknown[] = [];
    const errors: string[] = [];
    await client.channels.systemEventsUserSession.subscribe({ userSessionBegin: (e) => void got.push(e) }, { onError: (e) => void errors.push(e.message) });
    await transport.publish(ADDRESS, { payload: new TextEncoder().encode(body), headers, contentType: 'application/json' });
    await transport.idle();
    expect(got).toEqual([]);
    expect(errors).toEqual([expect.stringMatching(want)]);
  });
});
