/**
 * The NATS adapter against libnats, the C client, over the NATS server on 127.0.0.1:4222: what a
 * C program publishes (structured, structured with attribute headers, binary) reaches the typed
 * handler as the event it is, and what the client publishes a C program reads by the header names
 * the CloudEvents NATS binding gives (`Content-Type`, `ce-datacontenttype`), looked up exactly as
 * written: libnats header names are case-sensitive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { connectNats, type NatsTransport } from '../../templates/runtime/nats.js';
import { eventually, natsBroker, uniqueName } from '../brokers/support.js';
import { attributes, EVENT, libnats, natsPeerBinary, peer, run, start, STRUCTURED } from './peers.js';

const b = await natsBroker();
const c = peer('libnats (C)', ['gcc'], libnats);
const URL = 'nats://127.0.0.1:4222';
const ADDRESS = 'system-events.user-session';

/** What the C subscriber printed: headers as sent, exact-name lookups, and the body. */
function parse(output: string): { headers: Record<string, string>; lookups: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  const lookups: Record<string, string> = {};
  let body = '';
  for (const line of output.split('\n')) {
    const [kind, rest = ''] = [line.slice(0, 1), line.slice(2)];
    const [name = '', value = ''] = rest.split('\t');
    if (kind === 'H') headers[name] = value;
    if (kind === 'L') lookups[name] = value;
    if (kind === 'B') body = rest;
  }
  return { headers, lookups, body };
}

describe.skipIf(!b.available || !c.available)(`NATS interop with ${c.title} (${b.title})`, () => {
  let transport: NatsTransport;
  let binary: string;
  beforeAll(async () => {
    binary = natsPeerBinary();
    transport = await connectNats({ servers: '127.0.0.1:4222' });
  });
  afterAll(async () => transport?.close());

  /** Subscribes the typed client on `subject`, lets the C peer publish, and returns what the handler got. */
  async function receive(id: string, body: string, headers: Array<[string, string]>): Promise<{ got: sessions.UserSessionBegin[]; errors: string[] }> {
    const client = sessions.createUserSessionsClient(transport);
    const got: sessions.UserSessionBegin[] = [];
    const errors: string[] = [];
    // Other suites may publish on the same subject meanwhile: only this case's event counts.
    const sub = await client.userSessionBegin.subscribe((e) => void (e.id === id && got.push(e)), { onError: (e) => void errors.push(e.message) });
    await run(binary, ['pub', URL, ADDRESS, body, ...headers.flat()]);
    await eventually(() => got.length + errors.length > 0, "the C peer's event");
    await sub.close();
    return { got, errors };
  }

  it.each([
    ['structured', [['Content-Type', STRUCTURED]]],
    // The regression: attribute headers beside a structured body made it read as binary.
    ['structured, with the attribute headers too', [['Content-Type', STRUCTURED], ...attributes().map(([k, v]) => [`ce-${k}`, v])]],
  ] as const)('C publishes %s: the handler gets the event', async (_name, headers) => {
    const event = { ...EVENT, id: uniqueName('evt') };
    const attributeHeaders = headers.map(([k, v]): [string, string] => [k, k === 'ce-id' ? event.id : v]);
    const { got, errors } = await receive(event.id, JSON.stringify(event), attributeHeaders);
    expect(errors).toEqual([]);
    expect(got).toEqual([event]);
    expect(got[0]?.data.subject).toBe('auth0\\foo');
  });

  it('C publishes binary (ce- headers, ce-datacontenttype): the handler gets the event', async () => {
    const id = uniqueName('evt');
    const headers: Array<[string, string]> = [...attributes().map(([k, v]): [string, string] => [`ce-${k}`, k === 'id' ? id : v]), ['ce-datacontenttype', 'application/json']];
    const { got, errors } = await receive(id, JSON.stringify(EVENT.data), headers);
    expect(errors).toEqual([]);
    expect(got).toEqual([{ ...EVENT, id, datacontenttype: 'application/json' }]);
  });

  it.each([
    [
      'structured',
      { 'Content-Type': STRUCTURED, 'ce-datacontenttype': '-' },
      (body: string) => expect(JSON.parse(body)).toEqual({ ...EVENT, id: expect.any(String), time: expect.any(String), data: { ...EVENT.data, subject: expect.stringMatching(/^subject-/) } }),
    ],
    [
      'binary',
      { 'Content-Type': '-', 'ce-datacontenttype': 'application/json', 'ce-specversion': '1.0', 'ce-type': EVENT.type },
      (body: string) => expect(JSON.parse(body)).toEqual({ ...EVENT.data, subject: expect.stringMatching(/^subject-/) }),
    ],
  ] as const)("the client publishes %s: C reads it by the binding's header names", async (mode, lookups, checkBody) => {
    const client = sessions.createUserSessionsClient(transport, { cloudEvents: { mode } });
    // The marker rides in the data (both modes carry it in the body) so the peer picks this event.
    const marker = uniqueName('subject');
    const peerSub = start(binary, ['sub', URL, ADDRESS, marker]);
    await peerSub.ready;
    const { id: _id, time: _time, specversion: _v, type: _type, ...init } = EVENT;
    await client.userSessionBegin.emit({ ...init, data: { ...init.data, subject: marker } });
    const read = parse(await peerSub.output);
    expect(read.lookups).toMatchObject(lookups);
    checkBody(read.body);
  });

  it('a plain JSON message: C finds its content type under Content-Type', async () => {
    const subject = uniqueName('interop.plain');
    const peerSub = start(binary, ['sub', URL, subject]);
    await peerSub.ready;
    await transport.publish(subject, { payload: new TextEncoder().encode('{"n":1}'), headers: { 'x-trace': 't1' }, contentType: 'application/json' });
    const read = parse(await peerSub.output);
    expect(read.lookups['Content-Type']).toBe('application/json');
    expect(read.headers).toEqual({ 'x-trace': 't1', 'Content-Type': 'application/json' });
    expect(read.body).toBe('{"n":1}');
  });
});
