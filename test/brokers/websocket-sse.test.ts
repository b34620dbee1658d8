/**
 * The server-sent events receiver over a real HTTP server on 127.0.0.1, with the generated Gemini
 * client: events become typed messages, a dropped stream is asked for again with Last-Event-ID and
 * resumes with no gap, and the event-stream rules (comments, multi-line data, \r\n split across
 * chunks, retry, 204) hold.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addressPattern } from '../../templates/runtime/address.js';
import { connectEventSource, SseParser } from '../../templates/runtime/websocket-sse.js';
import { eventually } from './support.js';
import { GEMINI, generatedClient, type GeminiClient, type Market } from './websocket-support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let gemini: (transport: unknown) => GeminiClient;
beforeAll(async () => {
  gemini = (await generatedClient<GeminiClient>(GEMINI, 'websocket-sse-gemini')).create;
});

describe('SSE receiver', () => {
  it('a dropped stream resumes from Last-Event-ID: every event arrives once, in order, typed', async () => {
    const asked: Array<{ path: string | undefined; lastId: string | undefined }> = [];
    const url = await serve((req, res) => {
      const last = Number(req.headers['last-event-id'] ?? 0);
      asked.push({ path: req.url, lastId: req.headers['last-event-id'] as string | undefined });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('retry: 20\n: a comment, ignored\n\n');
      // Two events per connection, then the server drops it; it keeps them all, so it resumes after `last`.
      for (const n of [last + 1, last + 2].filter((n) => n <= 4)) res.write(`id: ${n}\ndata: {"type":"heartbeat",\ndata: "socket_sequence":${n}}\n\n`);
      res.end();
    });
    const errors: string[] = [];
    const transport = connectEventSource({ url, query: { heartbeat: true }, onError: (e) => errors.push(e.message) });
    cleanups.push(() => transport.close());
    const got: Market[] = [];
    await gemini(transport).sendMarketData.subscribe(async (m) => void got.push(m), { parameters: { symbol: 'btcusd' } });
    await eventually(() => got.length === 4, 'four events');
    expect(got.map((m) => m.socket_sequence)).toEqual([1, 2, 3, 4]);
    await eventually(() => asked.length >= 3, 'the stream to be asked for again after the last event');
    expect(asked.slice(0, 3)).toEqual([
      { path: '/v1/marketdata/btcusd?heartbeat=true', lastId: undefined },
      { path: '/v1/marketdata/btcusd?heartbeat=true', lastId: '2' },
      { path: '/v1/marketdata/btcusd?heartbeat=true', lastId: '4' },
    ]);
    expect(errors[0]).toMatch(/ended; reconnecting/);
  });

  it('a first answer that is not an event stream fails the subscribe; 204 ends the stream without reconnecting', async () => {
    let requests = 0;
    const url = await serve((req, res) => {
      requests += 1;
      if (req.url === '/gone') return void res.writeHead(204).end();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no');
    });
    const transport = connectEventSource({ url, reconnectDelayMs: 10 });
    cleanups.push(() => transport.close());
    await expect(transport.subscribe(addressPattern('/missing'), async () => undefined)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('404') });
    const before = requests;
    await transport.subscribe(addressPattern('/gone'), async () => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(requests).toBe(before + 1);
    await expect(transport.publish()).rejects.toMatchObject({ code: 'unsupported' });
  });

  it.each([
    ['LF line ends', ['data: a\n\n', 'data: b\ndata: c\n\n']],
    ['CRLF split between chunks', ['data: a\r\n\r\n', 'data: b\r', '\ndata: c\r\n\r', '\n']],
    ['bare CR', ['data: a\r\rdata: b\rdata: c\r\r']],
  ] as const)('the parser reads events with %s', (_name, chunks) => {
    const events: string[] = [];
    const parser = new SseParser({ event: (e) => events.push(e.data), id: () => undefined, retry: () => undefined });
    for (const chunk of chunks) parser.push(new TextEncoder().encode(chunk));
    expect(events).toEqual(['a', 'b\nc']);
  });
});
