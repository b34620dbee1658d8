/**
 * The generated client in a real browser: Kraken's client with the in-memory, WebSocket and SSE
 * transports is bundled for the browser (esbuild, platform browser, so any Node import fails the
 * build), loaded into Debian's Chromium (headless, driven by playwright-core) and run against the
 * generated Node server: request/reply by reqid, a client publish, a server push, all over the
 * browser's own WebSocket, and an SSE stream over its fetch. Heavy on a small machine: one page, one test.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketServer } from '../../templates/runtime/websocket-node.js';
import { KRAKEN, generatedClient, type KrakenClient } from './websocket-support.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not installed (apt-get install -y chromium)`;
if (missing !== undefined && process.env['CI'] === 'true') throw new Error(`CI=true and the browser test cannot run: ${missing}`);
if (missing !== undefined) console.warn(`skipping the WebSocket browser test: ${missing}`);

/** What runs in the page: both transports, results on globalThis.__result. */
const ENTRY = `
import * as api from './index.js';
import { MemoryTransport } from './runtime/memory.js';
import { connectWebSocket } from './runtime/websocket.js';
import { connectEventSource } from './runtime/websocket-sse.js';

const create = Object.entries(api).find(([name]) => /^create.*Client$/.test(name))[1];
const out = {};
try {
  const memory = create(new MemoryTransport());
  const beat = new Promise((resolve) => memory.heartbeat.subscribe(async (h) => resolve(h)));
  await memory.heartbeat.publish({ event: 'heartbeat' });
  out.memory = await beat;

  const transport = connectWebSocket({ url: 'ws://' + location.host + '/ws', correlation: { field: 'reqid' } });
  const client = create(transport);
  out.pong = await client.receivePing.request({ event: 'ping', reqid: 3 });
  const status = new Promise((resolve) => client.systemStatus.subscribe(async (s) => resolve(s)));
  await client.heartbeat.publish({ event: 'heartbeat' });
  out.status = await status;
  out.invalid = await client.heartbeat.publish({ event: 'nope' }).then(() => 'sent', (e) => e.code);
  const events = connectEventSource({ url: location.origin + '/sse' });
  out.sse = await new Promise((resolve) => create(events).systemStatus.subscribe(async (s) => resolve(s)));
  await events.close();
  out.userAgent = navigator.userAgent;
  await transport.close();
} catch (error) {
  out.error = String(error && error.stack || error);
}
globalThis.__result = out;
`;

describe.skipIf(missing !== undefined)(`WebSocket in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let bundle = '';
  let create: (transport: unknown) => KrakenClient;
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  beforeAll(async () => {
    const generated = await generatedClient<KrakenClient>(KRAKEN, 'websocket-browser');
    create = generated.create;
    const entry = path.join(generated.dir, 'browser-entry.js');
    await writeFile(entry, ENTRY);
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, logLevel: 'silent' });
    bundle = result.outputFiles[0]?.text ?? '';
  });

  it('bundles for the browser with no Node import', () => {
    expect(bundle.length).toBeGreaterThan(0);
    expect(bundle).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });

  it('the browser client requests, publishes and receives over the Node server; the in-memory transport works there too', async () => {
    const server = webSocketServer({ basePath: '/ws', correlation: { field: 'reqid' } });
    cleanups.push(() => server.close());
    const api = create(server);
    await api.receivePing.respond((ping) => ({ event: 'pong' as const, ...(ping.reqid === undefined ? {} : { reqid: ping.reqid }) }));
    await api.heartbeat.subscribe(async () => api.systemStatus.publish({ event: 'systemStatus', status: 'online', version: '1.9.0' }));
    const web = http.createServer((req, res) => {
      if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      if (req.url === '/sse/') return void res.writeHead(200, { 'content-type': 'text/event-stream' }).write('data: {"event":"systemStatus","status":"maintenance"}\n\n');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/app.js"></script>');
    });
    server.attach(web);
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', () => resolve()));
    // Closed after the transport (cleanups run in reverse); attached, it is ours to close.
    cleanups.splice(cleanups.length - 1, 0, () => {
      web.closeAllConnections();
      return new Promise<void>((resolve) => web.close(() => resolve()));
    });
    const { port } = web.address() as AddressInfo;

    const profile = await mkdtemp(path.join(tmpdir(), 'codegen-chromium-'));
    cleanups.push(() => rm(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    cleanups.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 30_000 });
    const result = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as Record<string, unknown>;

    expect(result['error'], logs.join('\n')).toBeUndefined();
    expect(result['userAgent']).toMatch(/Chrome\//);
    expect(result['memory']).toEqual({ event: 'heartbeat' });
    expect(result['pong']).toEqual({ event: 'pong', reqid: 3 });
    expect(result['status']).toEqual({ event: 'systemStatus', status: 'online', version: '1.9.0' });
    expect(result['invalid']).toBe('validation');
    expect(result['sse']).toEqual({ event: 'systemStatus', status: 'maintenance' });
  });
});
