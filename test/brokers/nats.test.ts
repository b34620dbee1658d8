/**
 * The NATS adapter against a real server, driven with raw bytes: core NATS and JetStream, queue
 * groups and durable consumers, request/reply, redelivery and dead letters, draining close,
 * connection loss through a cutting proxy, and interop with a plain NATS client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { addressPattern } from '../../templates/runtime/address.js';
import { connectNats, NatsUnavailableError, type NatsTransport, type NatsTransportOptions } from '../../templates/runtime/nats.js';
import type { IncomingMessage, OutgoingMessage } from '../../templates/runtime/transport.js';
import { eventually, natsBroker, TcpProxy, uniqueName } from './support.js';

const b = await natsBroker();
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const out = (text: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({ payload: encoder.encode(text), headers: {}, ...extra });
const text = (m: IncomingMessage): string => decoder.decode(m.payload);

// Skipped only when the broker is not reachable outside CI; the title says why and how to start it.
// Under CI=true an unreachable broker fails the file instead (test/brokers/support.ts).
describe.skipIf(!b.available)(b.title, () => {
  /** One stream for the file; each test uses its own subjects under it. */
  const stream = uniqueName('adapter');
  const jetstream = { ensureStream: { name: stream, subjects: [`${stream}.>`] }, ackWaitMs: 1000 };
  const cleanup: Array<() => Promise<unknown>> = [];
  let raw: NatsConnection;
  let jsm: JetStreamManager;

  async function transport(options: NatsTransportOptions = {}): Promise<NatsTransport> {
    const t = await connectNats({ redeliveryDelayMs: 50, ...options });
    cleanup.push(() => t.close());
    return t;
  }
  /** JetStream subjects live in the stream; core ones stay out of it (a stream would ack a core request). */
  const subject = (name: string, options: NatsTransportOptions = {}): string => `${options.jetstream ? stream : 'core'}.${uniqueName(name)}`;
  const streamSubject = (name: string): string => subject(name, { jetstream });

  beforeAll(async () => {
    raw = await connect({ servers: `${b.host}:${b.port}` });
    jsm = await jetstreamManager(raw);
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  });
  afterAll(async () => {
    await jsm.streams.delete(stream).catch(() => undefined);
    await raw.close();
  });

  describe.each([
    ['core NATS', {}],
    ['JetStream', { jetstream }],
  ])('%s', (_mode, options: NatsTransportOptions) => {
    it('round-trips payload bytes, headers, content type and correlation id', async () => {
      const t = await transport(options);
      const address = subject('roundtrip', options);
      const got: IncomingMessage[] = [];
      await t.subscribe(addressPattern(address), async (m) => void got.push(m));
      const payload = new Uint8Array([0, 1, 2, 254, 255]);
      await t.publish(address, { payload, headers: { 'x-trace': 't-1', 'ce-type': 'order.created' }, contentType: 'application/octet-stream', correlationId: 'c-7' });
      await eventually(() => got.length === 1, 'the message');
      expect([...(got[0]?.payload ?? [])]).toEqual([...payload]);
      expect(got[0]).toMatchObject({ address, headers: { 'x-trace': 't-1', 'ce-type': 'order.created' }, contentType: 'application/octet-stream', correlationId: 'c-7', deliveryAttempt: 1 });
      expect(Object.keys(got[0]?.headers ?? {}).sort()).toEqual(['ce-type', 'x-trace']);
    });

    it('subscribes with a parameter wildcard and receives only addresses the template matches', async () => {
      const t = await transport(options);
      const base = subject('orders', options);
      const got: string[] = [];
      await t.subscribe(addressPattern(`${base}.{region}.created`), async (m) => void got.push(m.address));
      const narrow: string[] = [];
      // `eu-{zone}` widens to `*` on NATS; the adapter narrows it back.
      await t.subscribe(addressPattern(`${base}.eu-{zone}.created`), async (m) => void narrow.push(m.address));
      for (const a of [`${base}.eu.created`, `${base}.eu.cancelled`, `${base}.eu.x.created`, `${base}.eu-1.created`]) await t.publish(a, out('x'));
      await eventually(() => got.length === 2 && narrow.length === 1, 'the matching messages');
      await sleep(200);
      expect(got.sort()).toEqual([`${base}.eu-1.created`, `${base}.eu.created`]);
      expect(narrow).toEqual([`${base}.eu-1.created`]);
    });

    it('shares messages among the members of a group', async () => {
      const [a, c] = [await transport(options), await transport(options)];
      const address = subject('group', options);
      const group = uniqueName('workers');
      const counts = [0, 0];
      await a.subscribe(addressPattern(address), async () => void counts[0]!++, { group });
      await c.subscribe(addressPattern(address), async () => void counts[1]!++, { group });
      for (let i = 0; i < 40; i++) await a.publish(address, out(`m${i}`));
      await eventually(() => counts[0]! + counts[1]! >= 40, '40 deliveries');
      await sleep(300);
      expect(counts[0]! + counts[1]!).toBe(40);
      expect(counts[0]).toBeGreaterThan(0);
      expect(counts[1]).toBeGreaterThan(0);
    });

    it('answers a request with a reply that carries the correlation id', async () => {
      const t = await transport(options);
      const address = subject('rpc', options);
      await t.subscribe(addressPattern(address), async (m) => t.reply(m, out(`re: ${text(m)}`, { contentType: 'text/plain' })));
      const reply = await t.request(address, out('ping', { correlationId: 'r-1' }), { timeoutMs: 3000 });
      expect({ text: text(reply), contentType: reply.contentType, correlationId: reply.correlationId }).toEqual({ text: 're: ping', contentType: 'text/plain', correlationId: 'r-1' });
    });

    it('outlives handlers that throw synchronously and a throwing onDeadLetter', async () => {
      const t = await transport(options);
      const address = subject('bad', options);
      const got: string[] = [];
      const handler = (m: IncomingMessage): Promise<void> => {
        if (text(m) === 'bad') throw new Error('sync throw');
        got.push(text(m));
        return Promise.resolve();
      };
      await t.subscribe(addressPattern(address), handler, {
        maxDeliveries: 1,
        onDeadLetter: () => {
          throw new Error('dead-letter callback fails too');
        },
      });
      await t.publish(address, out('bad'));
      await t.publish(address, out('good'));
      await eventually(() => got.includes('good'), 'the message after the bad one');
    });

    it('waits for an in-flight handler on close', async () => {
      const t = await transport(options);
      const address = subject('drain', options);
      let state = 'idle';
      await t.subscribe(addressPattern(address), async () => {
        state = 'running';
        await sleep(400);
        state = 'done';
      });
      await t.publish(address, out('slow'));
      await eventually(() => state === 'running', 'the handler to start');
      await t.close();
      expect(state).toBe('done');
    });
  });

  describe('core NATS', () => {
    it('retries a rejecting handler in-process up to maxDeliveries, then dead-letters it', async () => {
      const t = await transport();
      const address = subject('retry');
      const attempts: number[] = [];
      const dead: Array<[number, unknown]> = [];
      await t.subscribe(
        addressPattern(address),
        async (m) => {
          attempts.push(m.deliveryAttempt);
          throw new Error('boom');
        },
        { maxDeliveries: 3, onDeadLetter: (m, e) => dead.push([m.deliveryAttempt, (e as Error).message]) },
      );
      await t.publish(address, out('x'));
      await eventually(() => dead.length === 1, 'the dead letter');
      expect(attempts).toEqual([1, 2, 3]);
      expect(dead).toEqual([[3, 'boom']]);
    });

    it('rejects a request nobody answers with a clear error', async () => {
      const t = await transport();
      await expect(t.request(subject('nobody'), out('?'), { timeoutMs: 1000 })).rejects.toThrow(/no subscriber answers requests on/);
    });
  });

  describe('JetStream', () => {
    it('acks after the handler resolves: no redelivery after ackWait', async () => {
      const t = await transport({ jetstream });
      const address = streamSubject('ack');
      const attempts: number[] = [];
      await t.subscribe(addressPattern(address), async (m) => void attempts.push(m.deliveryAttempt));
      await t.publish(address, out('once'));
      await eventually(() => attempts.length === 1, 'the delivery');
      await sleep(1500); // past ackWaitMs
      expect(attempts).toEqual([1]);
    });

    it('keeps the message of a slow handler from being redelivered while it runs', async () => {
      const t = await transport({ jetstream });
      const address = streamSubject('slow');
      const attempts: number[] = [];
      await t.subscribe(addressPattern(address), async (m) => {
        attempts.push(m.deliveryAttempt);
        await sleep(2500); // 2.5 × ackWaitMs
      });
      await t.publish(address, out('x'));
      await eventually(() => attempts.length === 1, 'the delivery');
      await sleep(3000);
      expect(attempts).toEqual([1]);
    });

    it('redelivers a rejected message with the next deliveryAttempt', async () => {
      const t = await transport({ jetstream });
      const address = streamSubject('nak');
      const attempts: number[] = [];
      await t.subscribe(addressPattern(address), async (m) => {
        attempts.push(m.deliveryAttempt);
        if (m.deliveryAttempt === 1) throw new Error('not yet');
      });
      await t.publish(address, out('x'));
      await eventually(() => attempts.length === 2, 'the redelivery');
      expect(attempts).toEqual([1, 2]);
    });

    it('terminates a message after maxDeliveries and dead-letters it, with no further deliveries', async () => {
      const t = await transport({ jetstream });
      const address = streamSubject('dead');
      const attempts: number[] = [];
      const dead: string[] = [];
      await t.subscribe(
        addressPattern(address),
        async (m) => {
          attempts.push(m.deliveryAttempt);
          throw new Error('always');
        },
        { maxDeliveries: 2, onDeadLetter: (m, e) => dead.push(`${text(m)}:${m.deliveryAttempt}:${(e as Error).message}`) },
      );
      await t.publish(address, out('poison'));
      await eventually(() => dead.length === 1, 'the dead letter');
      await sleep(1500);
      expect({ attempts, dead }).toEqual({ attempts: [1, 2], dead: ['poison:2:always'] });
    });

    it('delivers to a durable group what was published while its members were away, and acks on close', async () => {
      const address = streamSubject('durable');
      const group = uniqueName('billing');
      const first = await transport({ jetstream });
      await first.subscribe(addressPattern(address), async () => await sleep(300), { group });
      await first.publish(address, out('before'));
      await sleep(50);
      await first.close(); // drains the slow handler, which acks
      const publisher = await transport({ jetstream });
      for (const m of ['away-1', 'away-2']) await publisher.publish(address, out(m));
      const back = await transport({ jetstream });
      const got: string[] = [];
      await back.subscribe(addressPattern(address), async (m) => void got.push(text(m)), { group });
      await eventually(() => got.length >= 2, 'the messages published while away');
      await sleep(1500); // 'before' would come back after ackWaitMs had it not been acked
      expect(got).toEqual(['away-1', 'away-2']);
    });

    it('refuses a group whose durable consumer already serves another channel', async () => {
      const t = await transport({ jetstream });
      const group = uniqueName('shared');
      await t.subscribe(addressPattern(streamSubject('one')), async () => undefined, { group });
      await expect(t.subscribe(addressPattern(streamSubject('two')), async () => undefined, { group })).rejects.toThrow(/use another group for this channel/);
    });

    it('ensureStream creates a missing stream and adds missing subjects to an existing one', async () => {
      const name = uniqueName('ensured');
      cleanup.push(() => jsm.streams.delete(name));
      await (await transport({ jetstream: { ensureStream: { name, subjects: [`${name}.a`] } } })).close();
      await transport({ jetstream: { ensureStream: { name, subjects: [`${name}.a`, `${name}.b`] } } });
      expect((await jsm.streams.info(name)).config.subjects).toEqual([`${name}.a`, `${name}.b`]);
    });

    it('fails a publish clearly when no stream stores the subject', async () => {
      const t = await transport({ jetstream });
      await expect(t.publish(subject('nostream'), out('x'))).rejects.toThrow(/no JetStream stream stores subject/);
    });
  });

  describe('connection loss', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      proxy = await new TcpProxy({ host: b.host, port: b.port }).start();
    });
    afterAll(async () => proxy.stop());
    const viaProxy = (extra: NatsTransportOptions = {}): Promise<NatsTransport> =>
      transport({ servers: `127.0.0.1:${proxy.port}`, reconnect: { initialDelayMs: 50, maxDelayMs: 200, jitterMs: 20 }, ...extra });

    it.each([
      ['core NATS', {}],
      ['JetStream', { jetstream }],
    ])('%s: reconnects by itself and the subscription receives again', async (_mode, options: NatsTransportOptions) => {
      const t = await viaProxy(options);
      const publisher = await transport(options);
      const address = subject('reconnect', options);
      const got: string[] = [];
      await t.subscribe(addressPattern(address), async (m) => void got.push(text(m)));
      await publisher.publish(address, out('before'));
      await eventually(() => got.includes('before'), 'the message before the cut');
      await proxy.cut(500);
      await eventually(() => t.connected, 'the reconnection');
      // Core NATS drops what arrives before the resubscription lands, so publish until one gets through.
      await eventually(async () => {
        await publisher.publish(address, out('after'));
        await sleep(100);
        return got.includes('after');
      }, 'a message after the reconnection');
    });

    it('holds a publish during an outage until reconnected, or rejects it after publishWaitMs', async () => {
      const patient = await viaProxy({ publishWaitMs: 5000 });
      const hasty = await viaProxy({ publishWaitMs: 100 });
      const address = subject('outage');
      const got: string[] = [];
      raw.subscribe(address, { callback: (_e, m) => void got.push(m.string()) });
      await raw.flush();
      const outage = proxy.cut(800);
      await eventually(() => !patient.connected && !hasty.connected, 'the disconnect to be noticed');
      const held = patient.publish(address, out('during'));
      await expect(hasty.publish(address, out('lost'))).rejects.toBeInstanceOf(NatsUnavailableError);
      await outage;
      await held;
      await eventually(() => got.includes('during'), 'the held message');
      expect(got).not.toContain('lost');
    });
  });

  describe('interop with a plain NATS client', () => {
    // By the exact name the CloudEvents NATS binding uses: nats.js, like libnats, matches header names exactly.
    it('a raw subscriber reads what the adapter publishes', async () => {
      const t = await transport();
      const address = subject('interop-out');
      const seen: Array<{ data: number[]; contentType: string; custom: string }> = [];
      raw.subscribe(address, { callback: (_e, m) => void seen.push({ data: [...m.data], contentType: m.headers?.get('Content-Type') ?? '', custom: m.headers?.get('x-tenant') ?? '' }) });
      await raw.flush();
      await t.publish(address, { payload: new Uint8Array([7, 8, 9]), headers: { 'x-tenant': 'acme' }, contentType: 'application/json' });
      await eventually(() => seen.length === 1, 'the raw delivery');
      expect(seen[0]).toEqual({ data: [7, 8, 9], contentType: 'application/json', custom: 'acme' });
    });

    it('the adapter reads what a raw client publishes', async () => {
      const t = await transport();
      const address = subject('interop-in');
      const got: IncomingMessage[] = [];
      await t.subscribe(addressPattern(address), async (m) => void got.push(m));
      const h = headers();
      h.set('Content-Type', 'application/json');
      h.set('x-tenant', 'acme');
      raw.publish(address, encoder.encode('{"a":1}'), { headers: h });
      await eventually(() => got.length === 1, 'the adapter delivery');
      expect(got[0]).toMatchObject({ address, headers: { 'x-tenant': 'acme' }, contentType: 'application/json', deliveryAttempt: 1 });
      expect(text(got[0]!)).toBe('{"a":1}');
    });
  });
});
