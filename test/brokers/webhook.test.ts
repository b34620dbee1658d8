/**
 * Signed HTTP webhooks over real sockets on 127.0.0.1: the sender and receiver together, and the
 * receiver against hostile requests made by hand, signed independently with node:crypto.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { addressPattern } from '../../templates/runtime/address.js';
import type { IncomingMessage, TransportSubscribeOptions } from '../../templates/runtime/transport.js';
import { signWebhook, verifyWebhook, webhookReceiver, webhookSender, WebhookDeliveryError, type WebhookReceiverOptions } from '../../templates/runtime/webhook.js';
import { eventually } from './support.js';

const SECRET = 'test-secret';
const encoder = new TextEncoder();
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A receiver on a fresh port with one subscription that records what it gets. */
async function receiving(template: string, handler?: (m: IncomingMessage) => Promise<void>, options: Partial<WebhookReceiverOptions> = {}, subscribe: TransportSubscribeOptions = {}) {
  const receiver = webhookReceiver({ secret: SECRET, ...options });
  const received: IncomingMessage[] = [];
  await receiver.subscribe(
    addressPattern(template),
    async (m) => {
      received.push(m);
      await handler?.(m);
    },
    subscribe,
  );
  const { url } = await receiver.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => receiver.close());
  return { receiver, received, url };
}

/** Both ends of the timestamped form opt in to it; the default is Qlik Cloud's body-only form. */
const TIMESTAMPED = { signing: 'timestamp-body' } as const;

/** The documented timestamped form, computed here without the code under test. */
function signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SECRET): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'content-type': 'application/json', 'qlik-signature': signature, 'webhook-timestamp': String(timestamp) };
}

async function post(url: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<number> {
  const response = await fetch(url, { method, headers, ...(method === 'POST' ? { body } : {}) });
  await response.text();
  return response.status;
}

/** Sends headers that announce `contentLength` (or chunked, when undefined) and body chunks until the server answers (or 32 MiB). */
const CAP = 32 * 1024 * 1024;

function oversized(url: string, contentLength: number | undefined, headers: Record<string, string>): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, { method: 'POST', headers: { ...headers, ...(contentLength === undefined ? {} : { 'content-length': String(contentLength) }) } }, (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    if (contentLength !== undefined) return void req.flushHeaders();
    const chunk = Buffer.alloc(64 * 1024, 120);
    const pump = (): void => {
      while (!answered && sent < CAP) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('webhook sender → receiver', () => {
  it('carries bytes, content type, custom and ce- headers, and the address with its parameters', async () => {
    const { receiver, received, url } = await receiving('tenants/{tenant}/sessions');
    const sender = webhookSender({ url, secret: SECRET, headers: { 'X-Sender': 'codegen' } });
    const payload = new Uint8Array([0, 255, 1, 128, 10, 13]);
    const headers = { 'ce-id': '42', 'ce-source': '/qlik', 'ce-type': 'com.qlik.v1.user.session.begin', 'ce-specversion': '1.0', 'x-trace': 't-1' };

    await sender.publish('tenants/acme corp/sessions', { payload, headers, contentType: 'application/octet-stream' });

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.address).toBe('tenants/acme corp/sessions');
    expect(addressPattern('tenants/{tenant}/sessions').match(message?.address ?? '')).toEqual({ tenant: 'acme corp' });
    expect([...(message?.payload ?? [])]).toEqual([...payload]);
    expect(message?.contentType).toBe('application/octet-stream');
    expect(message?.headers).toEqual({ ...headers, 'x-sender': 'codegen' });
    expect(message?.deliveryAttempt).toBe(1);
    expect(sender.cloudEvents).toEqual({ headerPrefix: 'ce-', binary: true });
    expect(receiver.cloudEvents).toEqual({ headerPrefix: 'ce-', binary: true });
  });

  it('answers only after the handler resolves', async () => {
    const gate = deferred();
    const { url } = await receiving('slow', () => gate.promise);
    let answered = false;
    const publishing = webhookSender({ url, secret: SECRET })
      .publish('slow', { payload: encoder.encode('{}'), headers: {} })
      .then(() => {
        answered = true;
      });
    await new Promise((r) => setTimeout(r, 150));
    expect(answered).toBe(false);
    gate.resolve();
    await publishing;
    expect(answered).toBe(true);
  });

  it('retries after a failing handler (500), and the second attempt arrives as deliveryAttempt 2', async () => {
    let calls = 0;
    const { received, url } = await receiving('orders', async () => {
      if (++calls === 1) throw new Error('first time fails');
    });
    const seen: Array<Record<string, string>> = [];
    const sender = webhookSender({
      url,
      secret: SECRET,
      retryDelayMs: 10,
      fetch: (u, init) => (seen.push(init.headers), fetch(u, init)),
    });
    await sender.publish('orders', { payload: encoder.encode('{"n":1}'), headers: {}, contentType: 'application/json' });
    expect(received.map((m) => m.deliveryAttempt)).toEqual([1, 2]);
    // By default each attempt is signed as Qlik Cloud signs: the body alone, no timestamp header.
    for (const headers of seen) {
      expect(headers['qlik-signature']).toBe(createHmac('sha256', SECRET).update('{"n":1}').digest('hex'));
      expect(headers['webhook-timestamp']).toBeUndefined();
    }
    expect(seen.map((h) => h['webhook-attempt'])).toEqual(['1', '2']);
  });

  it('signs each attempt over its own timestamp when both ends use the timestamped form', async () => {
    let calls = 0;
    const { received, url } = await receiving(
      'orders',
      async () => {
        if (++calls === 1) throw new Error('first time fails');
      },
      TIMESTAMPED,
    );
    const seen: Array<Record<string, string>> = [];
    const sender = webhookSender({ url, secret: SECRET, retryDelayMs: 10, ...TIMESTAMPED, fetch: (u, init) => (seen.push(init.headers), fetch(u, init)) });
    await sender.publish('orders', { payload: encoder.encode('{"n":1}'), headers: {}, contentType: 'application/json' });
    expect(received.map((m) => m.deliveryAttempt)).toEqual([1, 2]);
    for (const headers of seen) {
      expect(verifyWebhook({ secret: SECRET, body: '{"n":1}', signature: headers['qlik-signature'], timestamp: headers['webhook-timestamp'], ...TIMESTAMPED })).toEqual({
        ok: true,
        timestamp: Number(headers['webhook-timestamp']),
      });
    }
  });

  it('dead-letters at maxDeliveries and answers 2xx so the sender stops', async () => {
    const dead: Array<{ message: IncomingMessage; error: unknown }> = [];
    const { received, url } = await receiving('doomed', async () => Promise.reject(new Error('always')), {}, { maxDeliveries: 2, onDeadLetter: (message, error) => dead.push({ message, error }) });
    await webhookSender({ url, secret: SECRET, retries: 5, retryDelayMs: 10 }).publish('doomed', { payload: encoder.encode('x'), headers: {} });
    expect(received.map((m) => m.deliveryAttempt)).toEqual([1, 2]);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.message.deliveryAttempt).toBe(2);
    expect(String(dead[0]?.error)).toContain('always');
  });

  it.each([
    ['a handler that keeps failing', 'always-fails', { secret: SECRET, retries: 1 }, 500, 2],
    ['a wrong secret (not retried)', 'ok', { secret: 'wrong', retries: 3 }, 401, 1],
    ['an unknown address (not retried)', 'nowhere', { secret: SECRET, retries: 3 }, 404, 1],
  ])('rejects with status, body and attempts: %s', async (_name, address, options, status, attempts) => {
    const receiver = webhookReceiver({ secret: SECRET });
    await receiver.subscribe(addressPattern('always-fails'), async () => Promise.reject(new Error('no')));
    await receiver.subscribe(addressPattern('ok'), async () => undefined);
    const { url } = await receiver.listen({ host: '127.0.0.1' });
    cleanups.push(() => receiver.close());
    const error = await webhookSender({ url, retryDelayMs: 5, ...options })
      .publish(address, { payload: encoder.encode('x'), headers: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error).toMatchObject({ status, attempts });
    // The receiver's answer is kept on `body`, not in the message that ends up in logs.
    expect((error as Error).message).toMatch(new RegExp(`answered ${status}( \\(after \\d+ attempts\\))?$`));
    expect((error as WebhookDeliveryError).body).toMatch(/\S/);
  });

  it('retries network errors a bounded number of times, then says what failed', async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const error = await webhookSender({ url: `http://127.0.0.1:${port}`, secret: SECRET, retries: 2, retryDelayMs: 5 })
      .publish('x', { payload: new Uint8Array(), headers: {} })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WebhookDeliveryError', attempts: 3, status: undefined });
    expect((error as Error).message).toMatch(/failed: .*\(after 3 attempts\)/);
  });

  it('a sender does not receive and a receiver does not send', async () => {
    await expect(webhookSender({ url: 'http://127.0.0.1:1', secret: SECRET }).subscribe()).rejects.toThrow(/only sends/);
    await expect(webhookReceiver({ secret: SECRET }).publish()).rejects.toThrow(/only receives/);
  });
});

describe('webhook receiver against hostile requests', () => {
  const body = '{"id":"1"}';
  const stale = Math.floor(Date.now() / 1000) - 600;
  it.each<[string, { headers: () => Record<string, string>; method?: string; path?: string; want: number }]>([
    ['a bad signature', { headers: () => ({ ...signedHeaders(body), 'qlik-signature': 'ab'.repeat(32) }), want: 401 }],
    ['a signature with another secret', { headers: () => signedHeaders(body, undefined, 'other'), want: 401 }],
    ['a missing signature', { headers: () => ({ 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) }), want: 401 }],
    ['a missing timestamp', { headers: () => ({ 'qlik-signature': createHmac('sha256', SECRET).update(body).digest('hex') }), want: 401 }],
    ['a stale timestamp, correctly signed', { headers: () => signedHeaders(body, stale), want: 401 }],
    ['a timestamp from the future', { headers: () => signedHeaders(body, Math.floor(Date.now() / 1000) + 600), want: 401 }],
    ['a GET', { headers: () => signedHeaders(body), method: 'GET', want: 405 }],
    ['an unknown path', { headers: () => signedHeaders(body), path: '/elsewhere', want: 404 }],
    ['malformed percent-encoding', { headers: () => signedHeaders(body), path: '/%E0%A4%A', want: 400 }],
  ])('rejects %s, and the handler never runs', async (_name, { headers, method, path, want }) => {
    const { received, url } = await receiving('events', undefined, TIMESTAMPED);
    expect(await post(path === undefined ? `${url}/events` : `${url}${path}`, body, headers(), method)).toBe(want);
    expect(received).toHaveLength(0);
  });

  it.each([
    ['timestamped form', TIMESTAMPED, () => signedHeaders(body)],
    ['Qlik form (the default)', {}, () => ({ 'qlik-signature': createHmac('sha256', SECRET).update(body).digest('hex') })],
  ])('rejects a replayed request with 409 (%s)', async (_name, options, headers) => {
    const { received, url } = await receiving('events', undefined, options);
    const signed = headers();
    expect(await post(`${url}/events`, body, signed)).toBe(204);
    expect(await post(`${url}/events`, body, signed)).toBe(409);
    expect(received).toHaveLength(1);
  });

  it.each([
    ['announced by Content-Length', 2 * 1024 * 1024],
    ['streamed in chunks', undefined],
  ])('rejects a body over 1 MiB %s with 413 and stops reading', async (_name, length) => {
    const { received, url } = await receiving('events');
    const { status, sent } = await oversized(`${url}/events`, length, signedHeaders(body));
    expect(status).toBe(413);
    // Answered long before the client could send it all: the receiver did not wait for the rest.
    expect(sent).toBeLessThan(CAP);
    expect(received).toHaveLength(0);
  });

  it('survives a client that disconnects mid-body, and keeps serving', async () => {
    const { received, url } = await receiving('events', undefined, TIMESTAMPED);
    const socket = http.request(`${url}/events`, { method: 'POST', headers: { ...signedHeaders(body), 'content-length': '100' } });
    socket.on('error', () => undefined);
    socket.write('{"partial":');
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    expect(await post(`${url}/events`, body, signedHeaders(body))).toBe(204);
    expect(received).toHaveLength(1);
  });
});

describe('webhook receiver in its setting', () => {
  const body = '{"id":"1"}';
  it("mounts on a user's own http server beside another route, passing unknown paths to next", async () => {
    const receiver = webhookReceiver({ secret: SECRET, basePath: '/hooks' });
    const received: IncomingMessage[] = [];
    await receiver.subscribe(addressPattern('users.{id}'), async (m) => void received.push(m));
    const server = http.createServer((req, res) => {
      if (req.url === '/health') return void res.end('ok');
      receiver.handler(req, res, () => res.writeHead(404).end('not a hook'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cleanups.push(async () => {
      await receiver.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    await webhookSender({ url: `${base}/hooks`, secret: SECRET }).publish('users.7', { payload: encoder.encode('{}'), headers: {} });
    expect(received.map((m) => m.address)).toEqual(['users.7']);
    expect(await (await fetch(`${base}/health`)).text()).toBe('ok');
    expect(await (await fetch(`${base}/hooks/orders.1`, { method: 'POST' })).text()).toBe('not a hook');
    expect(await (await fetch(`${base}/users.7`, { method: 'POST' })).text()).toBe('not a hook');
  });

  it('verifies a Qlik Cloud delivery with no option set: hex HMAC-SHA256 of the raw body in Qlik-Signature', async () => {
    const { received, url } = await receiving('qlik');
    const event = JSON.stringify({ specversion: '1.0', id: 'e-1', source: 'com.qlik/users', type: 'com.qlik.v1.user.session.begin', data: { userId: 'u1' } });
    const qlikSignature = createHmac('sha256', SECRET).update(event).digest('hex');
    const headers = { 'Content-Type': 'application/json', 'Qlik-Signature': qlikSignature, 'User-Agent': 'Qlik Webhook' };

    expect(await post(`${url}/qlik`, `${event} `, headers)).toBe(401);
    expect(await post(`${url}/qlik`, event, headers)).toBe(204);
    expect(new TextDecoder().decode(received[0]?.payload)).toBe(event);
    expect(received[0]?.headers).toEqual({});
    expect(signWebhook({ secret: SECRET, body: event })).toBe(qlikSignature);
  });

  it.each([
    ['standalone', false],
    ["mounted on a user's server", true],
  ])('close waits for a handler under way and answers 503 meanwhile (%s)', async (_name, mounted) => {
    const gate = deferred();
    const receiver = webhookReceiver({ secret: SECRET, ...TIMESTAMPED });
    const received: IncomingMessage[] = [];
    await receiver.subscribe(addressPattern('events'), async (m) => {
      received.push(m);
      if (m.deliveryAttempt === 1) await gate.promise;
    });
    const server = mounted ? http.createServer(receiver.handler) : undefined;
    if (server) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = server ? `http://127.0.0.1:${(server.address() as AddressInfo).port}` : (await receiver.listen({ host: '127.0.0.1' })).url;
    cleanups.push(async () => {
      await receiver.close();
      server?.closeAllConnections();
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
    });

    const first = post(`${url}/events`, '{"n":1}', signedHeaders('{"n":1}'));
    await eventually(() => received.length === 1, 'the first handler to start');
    let closed = false;
    const closing = receiver.close().then(() => {
      closed = true;
    });
    expect(await post(`${url}/events`, '{"n":2}', signedHeaders('{"n":2}'))).toBe(503);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    gate.resolve();
    expect(await first).toBe(204);
    await closing;
    expect(received).toHaveLength(1);
    // A closed receiver has no subscriptions left: on a user's server its paths are simply not found.
    if (mounted) expect(await post(`${url}/events`, '{"n":3}', signedHeaders('{"n":3}'))).toBe(404);
    else await expect(fetch(`${url}/events`, { method: 'POST' })).rejects.toThrow();
  });

  it('close cuts a client that is slow to send its body', async () => {
    const { receiver, received, url } = await receiving('events');
    const slow = http.request(`${url}/events`, { method: 'POST', headers: { ...signedHeaders(body), 'content-length': '1000' } });
    const cut = new Promise((resolve) => slow.on('error', resolve).on('response', resolve));
    slow.write('{');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await receiver.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await cut;
    expect(received).toHaveLength(0);
  });
});

describe('signWebhook and verifyWebhook', () => {
  const now = 1_767_225_600_000;
  const ts = String(now / 1000);
  const t = TIMESTAMPED;
  const sig = signWebhook({ secret: SECRET, body: 'hi', timestamp: ts, ...t });
  const qlik = createHmac('sha256', SECRET).update('hi').digest('hex');
  it.each<[string, Parameters<typeof verifyWebhook>[0], ReturnType<typeof verifyWebhook>]>([
    ["the default: Qlik Cloud's body-only form", { secret: SECRET, body: 'hi', signature: qlik }, { ok: true }],
    ['the default ignores a timestamp', { secret: SECRET, body: 'hi', signature: qlik, timestamp: '1', now }, { ok: true }],
    ['the default refuses the timestamped form', { secret: SECRET, body: 'hi', signature: sig, timestamp: ts, now }, { ok: false, reason: 'bad-signature' }],
    [
      'the documented timestamped format',
      { secret: SECRET, body: 'hi', signature: createHmac('sha256', SECRET).update(`${ts}.hi`).digest('hex'), timestamp: ts, now, ...t },
      { ok: true, timestamp: now / 1000 },
    ],
    ['upper-case hex', { secret: SECRET, body: 'hi', signature: sig.toUpperCase(), timestamp: ts, now, ...t }, { ok: true, timestamp: now / 1000 }],
    ['a rotated secret list', { secret: ['old', SECRET], body: 'hi', signature: sig, timestamp: ts, now, ...t }, { ok: true, timestamp: now / 1000 }],
    ['another body', { secret: SECRET, body: 'ho', signature: sig, timestamp: ts, now, ...t }, { ok: false, reason: 'bad-signature' }],
    ['not hex', { secret: SECRET, body: 'hi', signature: 'sha256=abc', timestamp: ts, now, ...t }, { ok: false, reason: 'bad-signature' }],
    ['no signature', { secret: SECRET, body: 'hi', signature: undefined, timestamp: ts, now, ...t }, { ok: false, reason: 'missing-signature' }],
    ['no timestamp', { secret: SECRET, body: 'hi', signature: sig, now, ...t }, { ok: false, reason: 'missing-timestamp' }],
    ['just inside the tolerance', { secret: SECRET, body: 'hi', signature: sig, timestamp: ts, now: now + 300_000, ...t }, { ok: true, timestamp: now / 1000 }],
    ['just outside the tolerance', { secret: SECRET, body: 'hi', signature: sig, timestamp: ts, now: now + 301_000, ...t }, { ok: false, reason: 'stale-timestamp' }],
  ])('%s', (_name, input, want) => {
    expect(verifyWebhook(input)).toEqual(want);
  });

  it('needs a whole-seconds timestamp to sign the timestamped form', () => {
    expect(() => signWebhook({ secret: SECRET, body: 'hi', ...t })).toThrow(/timestamp/);
  });
});
