/**
 * The MQTT adapter against Mosquitto's own clients (`mosquitto_pub`, `mosquitto_sub`) over the
 * broker on 127.0.0.1:1883, MQTT 5 with user properties and MQTT 3.1.1, both directions, both
 * CloudEvents content modes. Per the MQTT binding the Content Type property decides the mode, so a
 * structured event that also carries attribute user properties is still structured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { connectMqtt, type MqttTransport } from '../../templates/runtime/mqtt.js';
import { eventually, mqttBroker, uniqueName } from '../brokers/support.js';
import { attributes, EVENT, peer, run, start, STRUCTURED } from './peers.js';

const b = await mqttBroker();
const mosquitto = peer('mosquitto_pub/mosquitto_sub', ['mosquitto_pub', 'mosquitto_sub', 'stdbuf']);
const TOPIC = 'system-events.user-session';
const VERSION = { 5: 'mqttv5', 4: 'mqttv311' } as const;

describe.skipIf(!b.available || !mosquitto.available)(`MQTT interop with ${mosquitto.title} (${b.title})`, () => {
  const transports = new Map<4 | 5, MqttTransport>();
  beforeAll(async () => {
    for (const version of [5, 4] as const) transports.set(version, await connectMqtt({ protocolVersion: version, clientId: uniqueName(`interop-v${version}`) }));
  });
  afterAll(async () => void (await Promise.all([...transports.values()].map((t) => t.close()))));

  function transport(version: 4 | 5): MqttTransport {
    const t = transports.get(version);
    if (!t) throw new Error(`no MQTT ${version} transport`);
    return t;
  }

  /** mosquitto_pub arguments for MQTT 5 properties. */
  const property = (name: string, ...value: string[]): string[] => ['-D', 'publish', name, ...value];

  it.each([
    ['MQTT 5, structured', 5, true, false],
    // The regression: one `specversion` user property beside a structured body got it rejected.
    ['MQTT 5, structured with the attributes as user properties too', 5, true, true],
    ['MQTT 3.1.1, structured (no properties at all)', 4, false, false],
  ] as const)('mosquitto_pub sends %s: the handler gets the event', async (_name, version, contentType, userProperties) => {
    const event = { ...EVENT, id: uniqueName('evt') };
    const got = await receiving(version, event.id, async () => {
      const props = [
        ...(contentType ? property('content-type', STRUCTURED) : []),
        ...(userProperties ? attributes().flatMap(([k, v]) => property('user-property', k, k === 'id' ? event.id : v)) : []),
      ];
      await run('mosquitto_pub', ['-V', VERSION[version], '-q', '1', '-t', TOPIC, '-m', JSON.stringify(event), ...props]);
    });
    expect(got).toEqual([event]);
    expect(got[0]?.data.subject).toBe('auth0\\foo');
  });

  it('mosquitto_pub sends MQTT 5 binary (attributes as user properties, data as the payload): the handler gets the event', async () => {
    const id = uniqueName('evt');
    const got = await receiving(5, id, async () => {
      const props = [...property('content-type', 'application/json'), ...attributes().flatMap(([k, v]) => property('user-property', k, k === 'id' ? id : v))];
      await run('mosquitto_pub', ['-V', 'mqttv5', '-q', '1', '-t', TOPIC, '-m', JSON.stringify(EVENT.data), ...props]);
    });
    expect(got).toEqual([{ ...EVENT, id, datacontenttype: 'application/json' }]);
  });

  it.each([
    ['MQTT 5, structured', 5, 'structured', STRUCTURED, false],
    ['MQTT 5, binary', 5, 'binary', 'application/json', true],
    // MQTT 3.1.1 has no properties: binary is asked for, structured is what can travel.
    ['MQTT 3.1.1, structured (binary asked for)', 4, 'binary', '', false],
  ] as const)('the client sends %s: mosquitto_sub reads it', async (_name, version, mode, contentType, binary) => {
    const marker = uniqueName('subject');
    // Line-buffered: mosquitto_sub writes a pipe in blocks, and it runs until this case's event shows.
    const sub = start('stdbuf', ['-oL', 'mosquitto_sub', '-d', '-V', VERSION[version], '-q', '1', '-t', TOPIC, '-F', 'MSG|%C|%P|%p'], {
      ready: /received SUBACK/,
      until: new RegExp(`^MSG\\|.*${marker}.*$`, 'm'),
    });
    await sub.ready;
    const client = sessions.createUserSessionsClient(transport(version), { cloudEvents: { mode } });
    const { id: _id, time: _time, specversion: _v, type: _type, ...init } = EVENT;
    await client.userSessionBegin.emit({ ...init, data: { ...init.data, subject: marker } });
    const line = (await sub.output).split('\n').find((l) => l.startsWith('MSG|') && l.includes(marker)) ?? '';
    const [, type = '', properties = '', ...body] = line.split('|');
    expect(type).toBe(contentType);
    const payload = JSON.parse(body.join('|')) as Record<string, unknown>;
    if (binary) {
      expect(payload).toEqual({ ...EVENT.data, subject: marker });
      expect(properties.split(' ')).toEqual(expect.arrayContaining(['specversion:1.0', `type:${EVENT.type}`, `tenantid:${EVENT.tenantid}`, `source:${EVENT.source}`]));
    } else {
      expect(payload).toMatchObject({ type: EVENT.type, specversion: '1.0', data: { ...EVENT.data, subject: marker } });
      expect(properties).toBe('');
    }
  });

  /** Subscribes the typed client, lets the peer publish, and returns the events with this id. */
  async function receiving(version: 4 | 5, id: string, send: () => Promise<void>): Promise<sessions.UserSessionBegin[]> {
    const client = sessions.createUserSessionsClient(transport(version));
    const got: sessions.UserSessionBegin[] = [];
    const errors: string[] = [];
    // Other suites may publish on the same topic meanwhile: only this case's event counts.
    const sub = await client.userSessionBegin.subscribe((e) => void (e.id === id && got.push(e)), { onError: (e) => void errors.push(e.message) });
    try {
      await send();
      await eventually(() => got.length + errors.length > 0, "the peer's event");
    } finally {
      await sub.close();
    }
    expect(errors).toEqual([]);
    return got;
  }
});
