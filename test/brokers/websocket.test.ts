/**
 * WebSocket over real sockets on 127.0.0.1: the generated clients of two public WebSocket specs
 * (Gemini's market data, Kraken's request/reply) against the Node server side, and the client
 * against a plain `ws` server that drops and comes back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { addressPattern } from '../../templates/runtime/address.js';
import type { IncomingMessage } from '../../templates/runtime/transport.js';
import { connectWebSocket, WebSocketOfflineError } from '../../templates/runtime/websocket.js';
import { connectNodeWebSocket, webSocketServer, type WebSocketPeer } from '../../templates/runtime/websocket-node.js';
import { eventually } from './support.js';
import { GEMINI, KRAKEN, deferred, generatedClient, type GeminiClient, type KrakenClient, type Market } from './websocket-support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track<T extends { close(): Promise<void> }>(closable: T): T {
  cleanups.push(() => closable.close());
  return closable;
}

async function server(options: Parameters<typeof webSocketServer>[0] = {}) {
  const transport = track(webSocketServer(options));
  const { url } = await transport.listen();
  return { transport, url };
}

const json = (value: unknown) => ({ payload: new TextEncoder().encode(JSON.stringify(value)), headers: {}, contentType: 'application/json' });
const text = (m: IncomingMessage) => new TextDecoder().decode(m.payload);

let kraken: (transport: unknown) => KrakenClient;
let gemini: (transport: unknown) => GeminiClient;
beforeAll(async () => {
  kraken = (await generatedClient<KrakenClient>(KRAKEN, 'websocket-kraken')).create;
  gemini = (await generatedClient<GeminiClient>(GEMINI, 'websocket-gemini')).create;
});

describe('WebSocket: generated clients over the Node server', () => {
  it('Kraken ping → pong: the reply is paired by reqid, one socket at "/" carries both', async () => {
    const { transport, url } = await server({ correlation: { field: 'reqid' } });
    await kraken(transport).receivePing.respond(async (ping) => ({ event: 'pong' as const, ...(ping.reqid === undefined ? {} : { reqid: ping.reqid }) }));
    const client = kraken(track(connectNodeWebSocket({ url, correlation: { field: 'reqid' } })));
    // Overlapping requests, answered in any order, each gets its own reply.
    const replies = await Promise.all([client.receivePing.request({ event: 'ping', reqid: 42 }), client.receivePing.request({ event: 'ping', reqid: 7 })]);
    expect(replies).toEqual([
      { event: 'pong', reqid: 42 },
      { event: 'pong', reqid: 7 },
    ]);
    // A request without reqid gets one from the counter, and the reply repeats it even when the responder leaves it out.
    expect(await client.receivePing.request({ event: 'ping' })).toEqual({ event: 'pong', reqid: 1 });
    expect(transport.peers('/')).toHaveLength(1);
  });

  it('a responder that leaves out reqid still answers with the request’s', async () => {
    const { transport, url } = await server({ correlation: { field: 'reqid' } });
    await kraken(transport).receivePing.respond(() => ({ event: 'pong' as const }));
    const client = kraken(track(connectNodeWebSocket({ url, correlation: { field: 'reqid' } })));
    expect(await client.receivePing.request({ event: 'ping', reqid: 9 })).toEqual({ event: 'pong', reqid: 9 });
  });

  it('a request nobody answers times out; without a correlation field request is unsupported', async () => {
    const { url } = await server();
    const client = kraken(track(connectNodeWebSocket({ url, correlation: { field: 'reqid' } })));
    await expect(client.receivePing.request({ event: 'ping', reqid: 1 }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
    const plain = kraken(track(connectNodeWebSocket({ url })));
    await expect(plain.receivePing.request({ event: 'ping', reqid: 1 })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('Gemini market data: the address with its parameter is the URL path; the query rides along; each symbol gets its own feed', async () => {
    const peers: WebSocketPeer[] = [];
    const { transport, url } = await server({ onConnection: (peer) => peers.push(peer) });
    const feed = gemini(transport);
    const client = gemini(track(connectNodeWebSocket({ url, query: { heartbeat: true, top_of_book: false } })));
    const got: Array<{ market: Market; symbol: string | undefined; address: string }> = [];
    const btc = await client.sendMarketData.subscribe(async (market, ctx) => void got.push({ market, symbol: ctx.parameters['symbol'], address: ctx.address }), { parameters: { symbol: 'btcusd' } });
    await client.sendMarketData.subscribe(async () => void got.push({ market: { type: 'wrong', socket_sequence: -1 }, symbol: 'ethusd', address: '' }), { parameters: { symbol: 'ethusd' } });
    await eventually(() => transport.peers().length === 2, 'both sockets to connect');
    expect(peers.map((p) => [p.address, p.query.get('heartbeat'), p.query.get('top_of_book')]).sort()).toEqual([
      ['/v1/marketdata/btcusd', 'true', 'false'],
      ['/v1/marketdata/ethusd', 'true', 'false'],
    ]);
    await feed.sendMarketData.publish({ type: 'heartbeat', socket_sequence: 0 }, { parameters: { symbol: 'btcusd' } });
    await feed.sendMarketData.publish(
      { type: 'update', eventId: 5, timestamp: 1, timestampms: 1000, socket_sequence: 1, events: [{ type: 'trade', price: 54350.4, side: 'bid' }] },
      { parameters: { symbol: 'btcusd' } },
    );
    await eventually(() => got.length === 2, 'both btcusd messages');
    expect(got.map((g) => [g.market.type, g.market.socket_sequence, g.symbol, g.address])).toEqual([
      ['heartbeat', 0, 'btcusd', '/v1/marketdata/btcusd'],
      ['update', 1, 'btcusd', '/v1/marketdata/btcusd'],
    ]);
    // Closing the last subscription of a URL closes its socket.
    await btc.close();
    await eventually(() => transport.peers('/v1/marketdata/btcusd').length === 0, 'the btcusd socket to close');
    expect(transport.peers('/v1/marketdata/ethusd')).toHaveLength(1);
  });

  it('a subscription must give every address parameter: the address is a URL', async () => {
    const { url } = await server();
    const client = gemini(track(connectNodeWebSocket({ url })));
    await expect(client.sendMarketData.subscribe(async () => undefined)).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('parameters.symbol') });
  });

  it('channels sharing one URL (Kraken: all at "/"): each frame goes to the channel that takes it, and only a frame none takes reaches onError', async () => {
    const { transport, url } = await server();
    const client = kraken(track(connectNodeWebSocket({ url })));
    const beats: unknown[] = [];
    const statuses: unknown[] = [];
    const errors: string[] = [];
    await client.heartbeat.subscribe(async (m) => void beats.push(m), { onError: (e) => errors.push(`heartbeat ${e.code}`) });
    await client.systemStatus.subscribe(async (m) => void statuses.push(m), { onError: (e) => errors.push(`systemStatus ${e.code}`) });
    await eventually(() => transport.peers('/').length === 1, 'the socket to connect');
    await transport.publish('/', json({ event: 'heartbeat' }));
    await transport.publish('/', json({ event: 'systemStatus', status: 'online', version: '1.0.0' }));
    await transport.publish('/', json({ event: 'bogus' }));
    await eventually(() => errors.length === 2, 'the report of the frame no channel takes');
    expect(beats).toEqual([{ event: 'heartbeat' }]);
    expect(statuses).toEqual([{ event: 'systemStatus', status: 'online', version: '1.0.0' }]);
    expect(errors.sort()).toEqual(['heartbeat validation', 'systemStatus validation']);
  });

  it('the server side too: a client frame of one channel at "/" is not an error on the others', async () => {
    const { transport, url } = await server({ correlation: { field: 'reqid' } });
    const errors: string[] = [];
    const pings: unknown[] = [];
    const served = kraken(transport);
    await served.receivePing.respond(
      async (ping) => {
        pings.push(ping);
        return { event: 'pong' as const };
      },
      { onError: (e) => errors.push(`ping ${e.code}`) },
    );
    await served.heartbeat.subscribe(async () => undefined, { onError: (e) => errors.push(`heartbeat ${e.code}`) });
    const client = kraken(track(connectNodeWebSocket({ url, correlation: { field: 'reqid' } })));
    expect(await client.receivePing.request({ event: 'ping', reqid: 5 })).toEqual({ event: 'pong', reqid: 5 });
    await client.heartbeat.publish({ event: 'heartbeat' });
    await client.heartbeat.publish({ event: 'heartbeat' });
    expect(await client.receivePing.request({ event: 'ping', reqid: 6 })).toEqual({ event: 'pong', reqid: 6 });
    expect(pings).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('a frame that fails the schema goes to onError and the subscription lives on', async () => {
    const { transport, url } = await server();
    const client = gemini(track(connectNodeWebSocket({ url })));
    const errors: string[] = [];
    const got: Market[] = [];
    await client.sendMarketData.subscribe(async (m) => void got.push(m), { parameters: { symbol: 'ethusd' }, onError: (e) => errors.push(e.code) });
    await eventually(() => transport.peers().length === 1, 'the socket to connect');
    await transport.publish('/v1/marketdata/ethusd', json({ type: 'heartbeat' }));
    await transport.publish('/v1/marketdata/ethusd', { payload: new TextEncoder().encode('not json'), headers: {} });
    await transport.publish('/v1/marketdata/ethusd', json({ type: 'heartbeat', socket_sequence: 3 }));
    await eventually(() => got.length === 1, 'the valid heartbeat');
    expect(errors).toEqual(['validation', 'decode']);
  });
});

describe('WebSocket transports', () => {
  it('wss: the server attached to an HTTPS server of yours, the client trusting its certificate through create', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'codegen-wss-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    const [key, cert] = await Promise.all([readFile(path.join(dir, 'key.pem')), readFile(path.join(dir, 'cert.pem'))]);
    const web = https.createServer({ key, cert });
    const transport = track(webSocketServer({ correlation: { field: 'reqid' } }));
    transport.attach(web);
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', () => resolve()));
    cleanups.splice(cleanups.length - 1, 0, () => new Promise<void>((resolve) => web.close(() => resolve()))); // closed after the transport
    await kraken(transport).receivePing.respond((ping) => ({ event: 'pong' as const, ...(ping.reqid === undefined ? {} : { reqid: ping.reqid }) }));
    const url = `wss://127.0.0.1:${(web.address() as AddressInfo).port}`;
    const client = kraken(track(connectNodeWebSocket({ url, correlation: { field: 'reqid' }, create: (u) => new WebSocket(u, { ca: cert }) as never })));
    expect(await client.receivePing.request({ event: 'ping', reqid: 8 })).toEqual({ event: 'pong', reqid: 8 });
    // Without the certificate the handshake fails, and says so.
    const untrusting = track(connectNodeWebSocket({ url }));
    await expect(untrusting.publish('/', json({}))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/certificate/i) });
  });

  it('a client publish reaches the server subscriptions whose pattern matches, parameters included; bytes go as binary frames', async () => {
    const { transport, url } = await server({ basePath: '/ws' });
    expect(url).toMatch(/\/ws$/);
    const got: IncomingMessage[] = [];
    await transport.subscribe(addressPattern('rooms/{room}/chat'), async (m) => void got.push(m));
    const client = track(connectNodeWebSocket({ url }));
    await client.publish('rooms/a b/chat', json({ text: 'hi' }));
    await client.publish('rooms/a b/chat', { payload: new Uint8Array([0, 255, 7]), headers: {}, contentType: 'application/octet-stream' });
    await eventually(() => got.length === 2, 'two frames');
    expect(addressPattern('rooms/{room}/chat').match(got[0]?.address ?? '')).toEqual({ room: 'a b' });
    expect(text(got[0] as IncomingMessage)).toBe('{"text":"hi"}');
    expect([...(got[1]?.payload ?? [])]).toEqual([0, 255, 7]);
    expect(transport.peer(got[0] as IncomingMessage)).toMatchObject({ address: '/rooms/a b/chat', headers: expect.objectContaining({ upgrade: 'websocket' }) });
  });

  it('refuses what a frame cannot carry (headers), instead of sending without them', async () => {
    const { url } = await server();
    const client = track(connectNodeWebSocket({ url }));
    await expect(client.publish('/x', { ...json({}), headers: { traceparent: '00-1-2-01' } })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('traceparent') });
  });

  it('a handler that rejects runs again up to maxDeliveries, then the message is dead-lettered', async () => {
    const { transport, url } = await server();
    const attempts: number[] = [];
    const dead = deferred<number>();
    await transport.subscribe(
      addressPattern('/jobs'),
      async (m) => {
        attempts.push(m.deliveryAttempt);
        throw new Error('not now');
      },
      { maxDeliveries: 3, onDeadLetter: (m) => dead.resolve(m.deliveryAttempt) },
    );
    await track(connectNodeWebSocket({ url })).publish('/jobs', json({ id: 1 }));
    expect(await dead.promise).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('a server that cannot be reached fails the first subscribe and publish at once', async () => {
    const { url } = await server();
    const port = new URL(url).port;
    await cleanups.pop()?.(); // the server is gone: nothing listens on its port now
    const client = track(connectNodeWebSocket({ url: `ws://127.0.0.1:${port}` }));
    await expect(client.subscribe(addressPattern('/feed'), async () => undefined)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(client.publish('/feed', json({}))).rejects.toBeInstanceOf(WebSocketOfflineError);
  });
});

/** A plain `ws` server on a fixed port, which the test stops and starts again. */
async function plainServer(port = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const frames: string[] = [];
  const sockets = new Set<WebSocket>();
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('message', (data) => frames.push(String(data)));
    socket.on('close', () => sockets.delete(socket));
  });
  const stop = async (): Promise<void> => {
    for (const s of sockets) s.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
  return { wss, frames, sockets, port: (wss.address() as AddressInfo).port, stop };
}

describe('WebSocket client against a plain ws server', () => {
  it('reconnects with backoff after a drop; the subscription resumes and publishes made while down are sent after, in order', async () => {
    let first = await plainServer();
    const { port } = first;
    const connects: boolean[] = [];
    const errors: string[] = [];
    const client = track(
      connectWebSocket({
        url: `ws://127.0.0.1:${port}`,
        WebSocket: (await import('ws')).WebSocket as never,
        reconnectDelayMs: 50,
        maxReconnectDelayMs: 200,
        onConnect: ({ reconnect, send }) => {
          connects.push(reconnect);
          send('{"event":"subscribe"}'); // what a feed needs to resume after a reconnect
        },
        onError: (e) => errors.push(e.message),
      }),
    );
    const got: string[] = [];
    await client.subscribe(addressPattern('/'), async (m) => void got.push(text(m)));
    await eventually(() => first.sockets.size === 1, 'the first connection');
    for (const s of first.sockets) s.send('{"n":1}');
    await eventually(() => got.length === 1, 'the first frame');

    await first.stop();
    await eventually(() => errors.length > 0, 'the drop to be reported');
    const waiting = [client.publish('/', json({ n: 'a' })), client.publish('/', json({ n: 'b' }))];
    await new Promise((r) => setTimeout(r, 300)); // a few failed reconnects
    first = await plainServer(port);
    await Promise.all(waiting);
    await eventually(() => first.frames.length === 3, 'the resubscribe frame and both waiting publishes');
    expect(first.frames).toEqual(['{"event":"subscribe"}', '{"n":"a"}', '{"n":"b"}']);
    expect(connects).toEqual([false, true]);
    for (const s of first.sockets) s.send('{"n":2}');
    await eventually(() => got.length === 2, 'a frame after the reconnect');
    expect(got).toEqual(['{"n":1}', '{"n":2}']);
    await first.stop();
  });

  it('while down, publishes beyond maxQueued or past queueTimeoutMs reject with WebSocketOfflineError; none is silently lost', async () => {
    const plain = await plainServer();
    const client = track(connectWebSocket({ url: `ws://127.0.0.1:${plain.port}`, WebSocket: (await import('ws')).WebSocket as never, maxQueued: 2, queueTimeoutMs: 300, reconnectDelayMs: 50 }));
    await client.publish('/', json({ n: 0 }));
    expect(client.connected('/')).toBe(true);
    await plain.stop();
    await eventually(() => !client.connected('/'), 'the client to see the drop');
    const results = await Promise.allSettled([client.publish('/', json({ n: 1 })), client.publish('/', json({ n: 2 })), client.publish('/', json({ n: 3 }))]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'sent'))).toEqual(['WebSocketOfflineError', 'WebSocketOfflineError', 'WebSocketOfflineError']);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : '')).join('\n')).toMatch(/maxQueued[\s\S]*queueTimeoutMs|queueTimeoutMs[\s\S]*maxQueued/);
  });

  it('close rejects what waits with a closed error and ends the sockets', async () => {
    const plain = await plainServer();
    const client = connectWebSocket({ url: `ws://127.0.0.1:${plain.port}`, WebSocket: (await import('ws')).WebSocket as never, reconnectDelayMs: 50 });
    await client.publish('/', json({}));
    await plain.stop();
    await eventually(() => !client.connected('/'), 'the client to see the drop');
    const waiting = client.publish('/', json({}));
    await client.close();
    await expect(waiting).rejects.toMatchObject({ code: 'closed' });
    await expect(client.publish('/', json({}))).rejects.toMatchObject({ code: 'closed' });
  });
});
