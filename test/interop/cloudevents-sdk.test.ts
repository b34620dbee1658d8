/**
 * The official `cloudevents` SDK on the other side, in the bindings it has, over real transports:
 * HTTP (its HTTP binding against the webhook receiver and sender on 127.0.0.1) and MQTT (its MQTT
 * binding, carried by a plain mqtt.js client through Mosquitto). Both directions, structured and
 * binary. Its Kafka binding needs a broker this machine does not have: test/runtime/
 * cloudevents.test.ts checks it at the wire level.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudEvent, HTTP, MQTT, MQTTMessageFactory } from 'cloudevents';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { connectMqtt, type MqttTransport } from '../../templates/runtime/mqtt.js';
import { webhookReceiver, webhookSender, type WebhookReceiver } from '../../templates/runtime/webhook.js';
import { eventually, mqttBroker, uniqueName } from '../brokers/support.js';
import { EVENT } from './peers.js';

const SECRET = 'sdk-interop-secret-of-thirty-two-chars';
const ADDRESS = 'system-events.user-session';
const MODES = ['structured', 'binary'] as const;
const b = await mqttBroker();

const sdkEvent = (id: string): CloudEvent<typeof EVENT.data> => new CloudEvent({ ...EVENT, id, datacontenttype: 'application/json' });
const { id: _id, time: _time, specversion: _v, type: _type, ...init } = EVENT;

describe("HTTP: the SDK's HTTP binding and the webhook receiver and sender", () => {
  let receiver: WebhookReceiver;
  let url = '';
  const got: sessions.UserSessionBegin[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    receiver = webhookReceiver({ secret: SECRET });
    await sessions.createUserSessionsClient(receiver).userSessionBegin.subscribe((e) => void got.push(e), { onError: (e) => void errors.push(e.message) });
    url = (await receiver.listen({ host: '127.0.0.1', port: 0 })).url;
  });
  afterAll(async () => receiver?.close());

  it.each(MODES)('the SDK sends %s: 204 and the handler gets the event', async (mode) => {
    const id = uniqueName('sdk');
    const message = mode === 'binary' ? HTTP.binary(sdkEvent(id)) : HTTP.structured(sdkEvent(id));
    const body = typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
    const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)]));
    const response = await fetch(`${url}/${ADDRESS}`, { method: 'POST', body, headers: { ...headers, 'qlik-signature': createHmac('sha256', SECRET).update(body).digest('hex') } });
    expect(response.status).toBe(204);
    expect(errors).toEqual([]);
    expect(got.filter((e) => e.id === id)).toEqual([{ ...EVENT, id, datacontenttype: 'application/json' }]);
  });

  it.each(MODES)('the client sends %s: the SDK reads the event', async (mode) => {
    const seen: CloudEvent[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => {
          seen.push(HTTP.toEvent({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }) as CloudEvent);
          res.writeHead(204).end();
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const sender = webhookSender({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, secret: SECRET });
      await sessions.createUserSessionsClient(sender, { cloudEvents: { mode } }).userSessionBegin.emit(init);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.toJSON()).toMatchObject({ ...init, type: EVENT.type, specversion: '1.0', data: EVENT.data });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe.skipIf(!b.available)(`MQTT 5: the SDK's MQTT binding through ${b.title}`, () => {
  let transport: MqttTransport;
  let raw: mqtt.MqttClient;
  beforeAll(async () => {
    transport = await connectMqtt({ clientId: uniqueName('sdk') });
    raw = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5, clientId: uniqueName('sdk-raw') });
  });
  afterAll(async () => {
    await transport?.close();
    await raw?.endAsync();
  });

  it.each(MODES)('the SDK encodes %s, a plain MQTT client sends it: the handler gets the event', async (mode) => {
    const id = uniqueName('sdk');
    const message = mode === 'binary' ? MQTT.binary(sdkEvent(id)) : MQTT.structured(sdkEvent(id));
    const got: sessions.UserSessionBegin[] = [];
    const errors: string[] = [];
    const sub = await sessions.createUserSessionsClient(transport).userSessionBegin.subscribe((e) => void (e.id === id && got.push(e)), { onError: (e) => void errors.push(e.message) });
    // The SDK lists unset attributes as undefined; MQTT.js cannot send an empty user property list.
    const userProperties = Object.fromEntries(
      Object.entries(message['User Properties'] ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const properties = { contentType: message.PUBLISH?.['Content Type'] ?? '', ...(Object.keys(userProperties).length > 0 ? { userProperties } : {}) };
    await raw.publishAsync(ADDRESS, JSON.stringify(message.payload), { qos: 1, properties });
    await eventually(() => got.length + errors.length > 0, "the SDK's event");
    await sub.close();
    expect(errors).toEqual([]);
    expect(got).toEqual([{ ...EVENT, id, datacontenttype: 'application/json' }]);
  });

  it.each(MODES)('the client sends %s: a plain MQTT client receives it and the SDK reads the event', async (mode) => {
    const marker = uniqueName('subject');
    const seen: CloudEvent[] = [];
    const onMessage = (_topic: string, payload: Buffer, packet: mqtt.IPublishPacket): void => {
      const body = payload.toString('utf8');
      if (!body.includes(marker)) return; // another suite's event on the same topic
      const properties = Object.fromEntries(Object.entries(packet.properties?.userProperties ?? {}).map(([k, v]) => [k, String(v)]));
      seen.push(MQTT.toEvent(MQTTMessageFactory(packet.properties?.contentType ?? '', properties, body)) as CloudEvent);
    };
    raw.on('message', onMessage);
    await raw.subscribeAsync(ADDRESS, { qos: 1 });
    try {
      await sessions.createUserSessionsClient(transport, { cloudEvents: { mode } }).userSessionBegin.emit({ ...init, data: { ...init.data, subject: marker } });
      await eventually(() => seen.length > 0, "the client's event");
    } finally {
      raw.off('message', onMessage);
      await raw.unsubscribeAsync(ADDRESS);
    }
    const { data, ...attributes } = seen[0]?.toJSON() ?? {};
    // The SDK's MQTT binding hands a binary body over as text; structured, it parses the envelope.
    expect(typeof data === 'string' ? JSON.parse(data) : data).toEqual({ ...init.data, subject: marker });
    expect(attributes).toMatchObject({ source: EVENT.source, type: EVENT.type, specversion: '1.0', tenantid: EVENT.tenantid });
  });
});
