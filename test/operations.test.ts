/**
 * Operations and replies as public documents write them, generated and run over the in-memory
 * transport: nothing dropped, no message widened, and the `side` option narrowing what compiles.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles } from '../src/generate.js';
import { OUT, ROOT } from './support/specs.js';
import { STRICT } from './support/strict.js';

const run = promisify(execFile);
const DIR = path.join(OUT, 'operations');
const SPEC = path.join(ROOT, 'test', 'fixtures', 'operations', 'operations.yaml');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface Context {
  readonly parameters: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly address: string;
}
type Fn = (...args: never[]) => unknown;
type Client = Record<string, Record<string, Fn>>;
interface Raw {
  readonly address: string;
  readonly payload: Uint8Array;
  readonly contentType?: string;
}
interface Memory {
  idle(): Promise<void>;
  close(): Promise<void>;
  subscribe(pattern: unknown, handler: (m: Raw) => Promise<void>): Promise<unknown>;
}

async function load() {
  const index = (await import(path.join(DIR, 'both', 'index.ts'))) as { createPingServiceClient: (t: Memory) => Client };
  const memory = (await import(path.join(DIR, 'both', 'runtime', 'memory.ts'))) as { MemoryTransport: new () => Memory };
  const address = (await import(path.join(DIR, 'both', 'runtime', 'address.ts'))) as { addressPattern: (t: string) => unknown };
  const transport = new memory.MemoryTransport();
  // The endpoints are called through loose types here; the compile test below holds their types.
  const client = index.createPingServiceClient(transport) as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
  const raw: Raw[] = [];
  const tap = (template: string) => transport.subscribe(address.addressPattern(template), async (m) => void raw.push(m));
  return { client, transport, raw, tap };
}

beforeAll(async () => {
  for (const side of ['both', 'client', 'application'] as const) {
    const { files } = await generateFiles(SPEC, { side });
    await writeFileSet(path.join(DIR, side), files);
  }
});

describe('operations and replies without message lists', () => {
  it('generates every operation and warns about none', async () => {
    const { ir, diagnostics } = await generateFiles(SPEC);
    expect(ir.operations.map((o) => o.id)).toEqual(['pingRequest', 'pongResponse', 'getHealth', 'beat', 'onBeat', 'touch', 'fireAndForget', 'command']);
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('a reply with only a channel carries every message of that channel (the request/reply tutorial)', async () => {
    const { client, transport } = await load();
    await client.pongResponse!.respond!((ping: { reqid?: number }) => ({ event: 'pong', reqid: ping.reqid }));
    await expect(client.pingRequest!.request!({ event: 'ping', reqid: 7 })).resolves.toEqual({ event: 'pong', reqid: 7 });
    await transport.close();
  });

  it('a reply that is not one of the reply channel messages is refused on both ends', async () => {
    const { client, transport } = await load();
    const errors: unknown[] = [];
    await client.pongResponse!.respond!(() => ({ event: 'nope' }), { onError: (e: unknown) => errors.push(e), maxDeliveries: 1, onDeadLetter: (_m: unknown, e: unknown) => errors.push(e) });
    await expect(client.pingRequest!.request!({ event: 'ping' }, { timeoutMs: 300 })).rejects.toThrow();
    await transport.idle();
    expect(String(errors[0])).toMatch(/event must be equal to constant/);
    await transport.close();
  });

  it('an HTTP-style call on a channel without messages: request() takes no payload and resolves with the reply', async () => {
    const { client, transport, raw, tap } = await load();
    await tap('service.health');
    await client.getHealth!.respond!((context: Context) => ({ healthy: context.address === 'service.health' }));
    await expect(client.getHealth!.request!()).resolves.toEqual({ healthy: true });
    expect(raw.map((m) => m.payload.byteLength)).toEqual([0]);
    await transport.close();
  });

  it('a signal with parameters: publish() sends an empty payload, the handler gets only the context', async () => {
    const { client, transport, raw, tap } = await load();
    await tap('devices.{deviceId}.heartbeat');
    const got: unknown[][] = [];
    await client.onBeat!.subscribe!((...args: unknown[]) => void got.push(args.map((a) => (a as Context).parameters)));
    await client.beat!.publish!({ parameters: { deviceId: 'd-1' } });
    await transport.idle();
    expect(got).toEqual([[{ deviceId: 'd-1' }]]);
    expect(raw.map((m) => [m.address, m.payload.byteLength, m.contentType])).toEqual([['devices.d-1.heartbeat', 0, undefined]]);
    await transport.close();
  });

  it('messages: [] on an operation sends no message of its channel, not every one', async () => {
    const { client, transport, raw, tap } = await load();
    await tap('ping');
    await client.touch!.publish!();
    await transport.idle();
    expect(raw.map((m) => m.payload.byteLength)).toEqual([0]);
    await expect(client.touch!.publish!({ event: 'ping' })).resolves.toBeUndefined(); // options only: nothing of it is sent
    await transport.close();
  });

  it('messages: [] on a reply: the request resolves once the responder is done, with no payload', async () => {
    const { client, transport } = await load();
    const seen: unknown[] = [];
    const responder = (await import(path.join(DIR, 'both', 'index.ts'))) as Record<string, unknown>;
    expect(Object.keys(responder)).toContain('createPingServiceClient');
    await client.fireAndForget!.respond!((ping: unknown) => void seen.push(ping));
    await expect(client.fireAndForget!.request!({ event: 'ping', reqid: 1 })).resolves.toBeUndefined();
    expect(seen).toEqual([{ event: 'ping', reqid: 1 }]);
    await transport.close();
  });

  it('an operation of several messages with a reply: request(id, payload) and one responder per message', async () => {
    const { client, transport } = await load();
    await client.command!.respond!({ start: () => ({ ok: true }), stop: (p: { force?: boolean }) => ({ ok: p.force === true }) });
    await expect(client.command!.request!('start', { command: 'start' })).resolves.toEqual({ ok: true });
    await expect(client.command!.request!('stop', { command: 'stop', force: true })).resolves.toEqual({ ok: true });
    await expect(client.command!.request!('stop', { command: 'start' })).rejects.toThrow(/must be "stop"/);
    await transport.close();
  });
});

describe('AsyncAPI 2.x operations without a message', () => {
  it('carry no message after conversion instead of every message of their channel', async () => {
    const { ir } = await generateFiles(path.join(ROOT, 'test', 'fixtures', 'operations', 'legacy-v2.yaml'));
    expect(ir.operations.map((o) => [o.id, o.messages.length])).toEqual([
      ['getHealth', 0],
      ['touchUser', 0],
      ['userEvents', 1],
    ]);
  });
});

/** What a user of each side writes; each `@ts-expect-error` is a call that side must not offer. */
const USAGE: Record<'both' | 'client' | 'application', string> = {
  both: `
    await c.pingRequest.request({ event: 'ping' });
    await c.pingRequest.respond(() => ({ event: 'pong' as const }));
    await c.getHealth.request();
    await c.beat.publish({ parameters: { deviceId: 'd' } });
    // @ts-expect-error: the channel has a parameter, so parameters are required
    await c.beat.publish();
    await c.touch.publish();
    const nothing: void = await c.fireAndForget.request({ event: 'ping' });
    void nothing;
    const result: { ok: boolean } = await c.command.request('stop', { command: 'stop' });
    void result;
    // @ts-expect-error: "stop" is not a "start" command
    await c.command.request('start', { command: 'stop' });
    // @ts-expect-error: the routing machinery is not part of an endpoint's type
    void c.channels.ping.route;
    // @ts-expect-error: nor is the encoder
    void c.command.encode;
  `,
  application: `
    await c.pingRequest.request({ event: 'ping' });
    await c.pongResponse.respond((p) => ({ event: 'pong' as const, reqid: p.reqid ?? 0 }));
    await c.beat.publish({ parameters: { deviceId: 'd' } });
    await c.onBeat.subscribe((ctx) => void ctx.parameters.deviceId);
    // @ts-expect-error: the application sends pingRequest; it does not answer it
    await c.pingRequest.respond(() => ({ event: 'pong' as const }));
    // @ts-expect-error: the application receives pongResponse; it does not send it
    await c.pongResponse.request({ event: 'ping' });
    // @ts-expect-error: the application sends beats; it does not subscribe to its own operation
    await c.beat.subscribe(() => undefined);
    await c.channels.ping.publish('ping', { event: 'ping' });
  `,
  client: `
    await c.pingRequest.respond((p) => ({ event: 'pong' as const, reqid: p.reqid ?? 0 }));
    await c.pongResponse.request({ event: 'ping' });
    await c.beat.subscribe((ctx) => void ctx.parameters.deviceId);
    await c.getHealth.respond(() => ({ healthy: true }));
    // @ts-expect-error: a client of this spec receives what the application sends
    await c.pingRequest.request({ event: 'ping' });
    // @ts-expect-error: a client of this spec receives beats
    await c.beat.publish({ parameters: { deviceId: 'd' } });
    // @ts-expect-error: the mirror of a send operation has no publish
    await c.touch.publish();
  `,
};

describe('the side option', () => {
  it('narrows each endpoint to its side, so misuse does not compile', async () => {
    for (const [side, body] of Object.entries(USAGE)) {
      await mkdir(path.join(DIR, 'usage'), { recursive: true });
      await writeFile(
        path.join(DIR, 'usage', `${side}.ts`),
        `import { createPingServiceClient } from '../${side}/index.js';\nimport { MemoryTransport } from '../${side}/runtime/memory.js';\n\nexport async function use(): Promise<void> {\n  const c = createPingServiceClient(new MemoryTransport());\n${body}}\n`,
      );
    }
    await writeFile(path.join(DIR, 'package.json'), '{ "type": "module" }\n');
    const config = path.join(DIR, 'tsconfig.json');
    await writeFile(config, JSON.stringify({ compilerOptions: { ...STRICT, module: 'NodeNext', moduleResolution: 'NodeNext' }, include: ['*/**/*.ts'] }));
    const result = await run(process.execPath, [TSC, '-p', config], { cwd: DIR }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  });

  it('handler keys of a channel are the messages\u2019 camelCase names', async () => {
    const { files } = await generateFiles(path.join(ROOT, 'test', 'fixtures', 'valid', 'reserved.yaml'));
    const client = files.entries().find(([name]) => name === 'client.ts')?.[1] ?? '';
    expect(client).not.toMatch(/messages: \{[^}]*"user-created"/);
    expect(client).toMatch(/messages: \{[^}]*userCreated: /);
  });
});
