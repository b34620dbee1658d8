/**
 * WebSocket against a peer this project did not write: Python's `websockets` library
 * (python3-websockets), as a client of the generated Kraken server and as a server the generated
 * Kraken client connects to, with ping/pong paired by `reqid` both ways.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectNodeWebSocket, webSocketServer } from '../../templates/runtime/websocket-node.js';
import { eventually } from '../brokers/support.js';
import { KRAKEN, deferred, generatedClient, type KrakenClient } from '../brokers/websocket-support.js';
import { PYTHON, peer, pythonModule, run } from './peers.js';

const websockets = peer('python3-websockets', [PYTHON], pythonModule('websockets'));
const PEER = path.join(import.meta.dirname, 'websocket-peer.py');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!websockets.available)(`WebSocket interop with ${websockets.title}`, () => {
  let kraken: (transport: unknown) => KrakenClient;
  beforeAll(async () => {
    kraken = (await generatedClient<KrakenClient>(KRAKEN, 'websocket-kraken-interop')).create;
  });

  it('a Python client pings the generated server and gets each pong with its reqid', async () => {
    const server = webSocketServer({ correlation: { field: 'reqid' } });
    cleanups.push(() => server.close());
    await kraken(server).receivePing.respond(() => ({ event: 'pong' as const }));
    const { url } = await server.listen();
    const out = await run(PYTHON, [PEER, 'client', `${url}/`, '{"event":"ping","reqid":5}', '{"event":"ping","reqid":6}']);
    expect(
      out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { event: 'pong', reqid: 5 },
      { event: 'pong', reqid: 6 },
    ]);
  });

  it('the generated client talks to a Python server: receives its status, gets a pong by reqid, and its heartbeat arrives', async () => {
    const child = spawn(PYTHON, [PEER, 'server'], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => void child.kill('SIGTERM'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await eventually(() => /^ready \d+$/m.test(stdout), `the Python server to listen (stderr: ${stderr})`);
    const port = /^ready (\d+)$/m.exec(stdout)?.[1];
    const transport = connectNodeWebSocket({ url: `ws://127.0.0.1:${port}`, correlation: { field: 'reqid' } });
    cleanups.push(() => transport.close());
    const typed = kraken(transport);
    const status = deferred<unknown>();
    await typed.systemStatus.subscribe(async (s) => status.resolve(s));
    expect(await status.promise).toEqual({ event: 'systemStatus', status: 'online', version: '1.9.0' });
    expect(await typed.receivePing.request({ event: 'ping', reqid: 11 })).toEqual({ event: 'pong', reqid: 11 });
    await typed.heartbeat.publish({ event: 'heartbeat' });
    await eventually(() => stdout.includes('got / {"event":"heartbeat"}'), 'the Python server to print the heartbeat');
    expect(stdout).toMatch(/^open \/$/m);
  });
});
