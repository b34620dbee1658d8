/**
 * The AMQP adapter against clients this project did not write, over RabbitMQ on 127.0.0.1:5672:
 * rabbitmq-c's `amqp-publish`/`amqp-consume` (Debian's amqp-tools) and Python's pika. Both
 * directions, both CloudEvents content modes, and both attribute prefixes the AMQP binding names
 * (`cloudEvents_`, sent; `cloudEvents:`, CloudEvents 1.0.2's, read too).
 */
import path from 'node:path';
import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { AmqpUnroutableError, connectAmqp, type AmqpTransport } from '../../templates/runtime/amqp.js';
import { amqpBroker, eventually, uniqueName } from '../brokers/support.js';
import { attributes, EVENT, peer, PYTHON, pythonModule, run, start, STRUCTURED } from './peers.js';

const b = await amqpBroker();
const tools = peer('amqp-tools', ['amqp-publish', 'amqp-consume']);
const pika = peer('python3-pika', [PYTHON], pythonModule('pika'));
const URL = 'amqp://guest:guest@127.0.0.1:5672';
const KEY = 'system-events.user-session';
const PIKA_PEER = path.join(import.meta.dirname, 'amqp-peer.py');

describe.skipIf(!b.available || !tools.available || !pika.available)(`AMQP interop with ${tools.title} and ${pika.title} (${b.title})`, () => {
  const exchange = uniqueName('interop');
  let transport: AmqpTransport;
  beforeAll(async () => {
    transport = await connectAmqp({ url: URL, exchange, onError: () => undefined });
  });
  afterAll(async () => {
    await transport?.close();
    const admin = await connect(URL);
    const channel = await admin.createChannel();
    await channel.deleteExchange(exchange).catch(() => undefined);
    await channel.deleteExchange(`${exchange}.dead-letter`).catch(() => undefined);
    await channel.deleteQueue(`${exchange}.dead-letter`).catch(() => undefined);
    await admin.close();
  });

  /** Subscribes the typed client, lets the peer publish, and returns what the handler got. */
  async function receiving(send: () => Promise<unknown>): Promise<sessions.UserSessionBegin[]> {
    const client = sessions.createUserSessionsClient(transport);
    const got: sessions.UserSessionBegin[] = [];
    const errors: string[] = [];
    const sub = await client.userSessionBegin.subscribe((e) => void got.push(e), { onError: (e) => void errors.push(e.message) });
    try {
      await send();
      await eventually(() => got.length + errors.length > 0, "the peer's event");
    } finally {
      await sub.close();
    }
    expect(errors).toEqual([]);
    return got;
  }

  const prefixed = (prefix: string): string[] => attributes().flatMap(([k, v]) => ['-H', `${prefix}${k}: ${v}`]);

  it.each([
    ['structured', []],
    // The regression: attribute headers beside a structured body made it read as binary.
    ['structured, with the cloudEvents_ attribute headers too', prefixed('cloudEvents_')],
  ] as const)('amqp-publish sends %s: the handler gets the event', async (_name, headers) => {
    const got = await receiving(() => run('amqp-publish', ['-u', URL, '-e', exchange, '-r', KEY, '-C', STRUCTURED, ...headers, '-b', JSON.stringify(EVENT)]));
    expect(got).toEqual([EVENT]);
    expect(got[0]?.data.subject).toBe('auth0\\foo');
  });

  it('amqp-publish sends binary (cloudEvents_ headers, data as the body): the handler gets the event', async () => {
    const got = await receiving(() => run('amqp-publish', ['-u', URL, '-e', exchange, '-r', KEY, '-C', 'application/json', ...prefixed('cloudEvents_'), '-b', JSON.stringify(EVENT.data)]));
    expect(got).toEqual([{ ...EVENT, datacontenttype: 'application/json' }]);
  });

  // amqp-publish splits `-H` at the first colon, so the `cloudEvents:` prefix goes through pika.
  it('pika sends binary with the cloudEvents: prefix of CloudEvents 1.0.2: the handler gets the event', async () => {
    const headers = Object.fromEntries(attributes().map(([k, v]) => [`cloudEvents:${k}`, v]));
    const got = await receiving(() => run(PYTHON, [PIKA_PEER, 'pub', URL, exchange, KEY, 'application/json', JSON.stringify(EVENT.data), JSON.stringify(headers)]));
    expect(got).toEqual([{ ...EVENT, datacontenttype: 'application/json' }]);
  });

  /** Emits until a peer's queue is bound: the exchange is this file's own, so unroutable means not yet. */
  async function emitWhenBound(mode: 'structured' | 'binary'): Promise<void> {
    const client = sessions.createUserSessionsClient(transport, { cloudEvents: { mode } });
    const { id: _id, time: _time, specversion: _v, type: _type, ...init } = EVENT;
    await eventually(
      async () =>
        client.userSessionBegin.emit(init).then(
          () => true,
          (error: unknown) => {
            if (error instanceof AmqpUnroutableError) return false;
            throw error;
          },
        ),
      'a peer queue bound to the exchange',
    );
  }

  it('the client sends structured: amqp-consume reads the event from the body', async () => {
    const consumer = start('amqp-consume', ['-u', URL, '-e', exchange, '-r', KEY, '-x', '-c', '1', 'cat']);
    await emitWhenBound('structured');
    expect(JSON.parse(await consumer.output)).toEqual({ ...EVENT, id: expect.any(String), time: expect.any(String) });
  });

  it.each([
    ['structured', STRUCTURED, {}],
    ['binary', 'application/json', { cloudEvents_specversion: '1.0', cloudEvents_type: EVENT.type, cloudEvents_source: EVENT.source, cloudEvents_tenantid: EVENT.tenantid }],
  ] as const)('the client sends %s: pika reads the content type and the cloudEvents_ headers', async (mode, contentType, headers) => {
    const consumer = start(PYTHON, [PIKA_PEER, 'sub', URL, exchange, KEY]);
    await consumer.ready;
    await emitWhenBound(mode);
    const got = JSON.parse((await consumer.output).replace(/^ready\n/, '')) as { headers: Record<string, unknown>; contentType: string; body: string };
    expect(got.contentType).toBe(contentType);
    expect(got.headers).toMatchObject(headers);
    expect(JSON.parse(got.body)).toEqual(mode === 'binary' ? EVENT.data : { ...EVENT, id: expect.any(String), time: expect.any(String) });
  });
});
