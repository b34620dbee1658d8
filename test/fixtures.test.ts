/**
 * The edge-case fixtures, generated and run: parameters and headers over the in-memory transport,
 * collisions and ambiguity reported as warnings, output deterministic for every one.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles } from '../src/generate.js';
import { FIXTURES_DIR, OUT } from './support/specs.js';

const DIR = path.join(OUT, 'fixtures');

interface Sent {
  readonly address: string;
}
interface Endpoint {
  publish(payload: unknown, options?: unknown): Promise<void>;
  subscribe(handler: (payload: unknown, ctx: { parameters: Record<string, string>; headers: Record<string, unknown>; address: string }) => void, options?: unknown): Promise<unknown>;
}
interface Memory {
  idle(): Promise<void>;
  close(): Promise<void>;
  subscribe(pattern: unknown, handler: (m: Sent) => Promise<void>): Promise<unknown>;
}

async function load(name: string) {
  const index = (await import(path.join(DIR, name, 'index.ts'))) as Record<string, unknown>;
  const memory = (await import(path.join(DIR, name, 'runtime', 'memory.ts'))) as { MemoryTransport: new () => Memory };
  const address = (await import(path.join(DIR, name, 'runtime', 'address.ts'))) as { addressPattern: (t: string) => unknown };
  const factory = Object.entries(index).find(([k]) => /^create.*Client$/.test(k))?.[1] as (t: Memory) => Record<string, Endpoint>;
  const transport = new memory.MemoryTransport();
  return { client: factory(transport), transport, pattern: address.addressPattern };
}

const fixtures = async () => (await readdir(FIXTURES_DIR)).sort();

beforeAll(async () => {
  for (const file of await fixtures()) {
    const { files } = await generateFiles(path.join(FIXTURES_DIR, file));
    await writeFileSet(path.join(DIR, file.replace(/\..*$/, '')), files);
  }
});

describe('every fixture', () => {
  it('generates the same bytes twice', async () => {
    for (const file of await fixtures()) {
      const a = await generateFiles(path.join(FIXTURES_DIR, file));
      const b = await generateFiles(path.join(FIXTURES_DIR, file));
      expect(b.files.entries(), file).toEqual(a.files.entries());
    }
  });
});

describe('parameters', () => {
  it('fills parameters on publish and hands them to the subscriber', async () => {
    const { client, transport } = await load('parameters');
    const got: Array<Record<string, string>> = [];
    await client.onOrderCreated!.subscribe((_p, ctx) => void got.push(ctx.parameters));
    const order = { orderId: '5b0c1a62-0b8f-4c44-9a8e-2d7a4b8f1c11', region: 'eu-west-1', totalCents: 1200 };
    await client.publishOrderCreated!.publish(order, { parameters: { region: 'eu-west-1' } });
    await transport.idle();
    expect(got).toEqual([{ region: 'eu-west-1' }]);
    await transport.close();
  });

  it.each([
    ['a value outside the enum', { region: 'mars-1' }, /must be one of "eu-west-1"/],
    ['a missing value', {}, /needs a non-empty value/],
  ])('refuses %s', async (_name, parameters, message) => {
    const { client, transport } = await load('parameters');
    const order = { orderId: '5b0c1a62-0b8f-4c44-9a8e-2d7a4b8f1c11', region: 'eu-west-1', totalCents: 1200 };
    await expect(client.publishOrderCreated!.publish(order, { parameters })).rejects.toThrow(message);
    await transport.close();
  });

  it('refuses a value that holds the address separator, which would publish elsewhere', async () => {
    const { client, transport } = await load('parameters');
    const status = { orderId: '5b0c1a62-0b8f-4c44-9a8e-2d7a4b8f1c11', status: 'paid' };
    await expect(client.publishOrderStatus!.publish(status, { parameters: { tenantId: 'acme/../other', orderId: 'o1' } })).rejects.toThrow(/parameter "tenantId" .* may not contain "\/"/);
    await transport.close();
  });

  it('subscribes to one pinned parameter value only', async () => {
    const { client, transport } = await load('parameters');
    const got: string[] = [];
    await client.onOrderCreated!.subscribe((_p, ctx) => void got.push(ctx.address), { parameters: { region: 'us-east-1' } });
    const order = { orderId: '5b0c1a62-0b8f-4c44-9a8e-2d7a4b8f1c11', region: 'eu-west-1', totalCents: 1 };
    await client.publishOrderCreated!.publish(order, { parameters: { region: 'eu-west-1' } });
    await client.publishOrderCreated!.publish({ ...order, region: 'us-east-1' }, { parameters: { region: 'us-east-1' } });
    await transport.idle();
    expect(got).toEqual(['orders.us-east-1.created']);
    await transport.close();
  });
});

describe('headers', () => {
  it('validates headers on publish and delivers them typed', async () => {
    const { client, transport } = await load('headers');
    const got: unknown[] = [];
    await client.consumePaymentEvent!.subscribe({ paymentAuthorized: (_p: unknown, ctx: { headers: unknown }) => void got.push(ctx.headers) } as never);
    const payment = { paymentId: 'p1', amountCents: 100 };
    const headers = { 'x-correlation-id': '5b0c1a62-0b8f-4c44-9a8e-2d7a4b8f1c11', 'x-retry-count': 2, 'x-is-replay': false };
    const publish = client.emitPaymentEvent!.publish as unknown as (id: string, p: unknown, o?: unknown) => Promise<void>;
    await publish.call(client.emitPaymentEvent, 'paymentAuthorized', payment, { headers });
    await expect(publish.call(client.emitPaymentEvent, 'paymentAuthorized', payment, { headers: {} })).rejects.toThrow(/\/x-correlation-id is required/);
    await transport.idle();
    expect(got).toEqual([headers]);
    await transport.close();
  });
});

describe('warnings', () => {
  it('names every collision and the name it chose instead', async () => {
    const { diagnostics } = await generateFiles(path.join(FIXTURES_DIR, 'reserved.yaml'));
    const collisions = diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message);
    expect(collisions).toContain('message name "userCreated" of message "user_created" is already used by message "user-created"; using "userCreated2"');
  });

  it('warns when a channel has messages nothing tells apart, and not when a const does', async () => {
    const { diagnostics } = await generateFiles(path.join(FIXTURES_DIR, 'oneof.yaml'));
    const ambiguous = diagnostics.filter((d) => d.code === 'ambiguous-messages');
    expect(ambiguous).toHaveLength(1);
    expect(ambiguous[0]?.message).toMatch(/channel "profileUpdates": messages "profilePatch"\/"preferencesPatch" have no field that tells them apart/);
  });

  it('narrows by a field even where some messages share its value, and names only those (Slack RTM)', async () => {
    const { ir, diagnostics } = await generateFiles(path.join(FIXTURES_DIR, '..', 'public', 'spec-slack-rtm.yml'));
    expect(ir.channels[0]?.discriminator?.property).toBe('type');
    const ambiguous = diagnostics.filter((d) => d.code === 'ambiguous-messages');
    expect(ambiguous.map((d) => d.message)).toEqual([
      'channel "root": messages "outgoingMessage"/"message", "botAdded"/"botChanged", "emojiRemoved"/"emojiAdded" share a value of "type"; an incoming payload goes to the first whose schema accepts it',
    ]);
  });

  it('finds a discriminator pinned inside every oneOf branch (Kraken)', async () => {
    const { ir, diagnostics } = await generateFiles(path.join(FIXTURES_DIR, '..', 'public', 'spec-kraken-message-filter-in-reply.yml'));
    expect(ir.channels.map((c) => c.discriminator?.property)).toContain('event');
    expect(diagnostics.filter((d) => d.code === 'ambiguous-messages')).toEqual([]);
  });
});

describe('request/reply', () => {
  interface Requester {
    request(payload: unknown, options?: unknown): Promise<unknown>;
    respond(handler: (payload: unknown) => unknown, options?: unknown): Promise<unknown>;
  }

  it("answers a request with the responder's validated reply", async () => {
    const { client, transport } = await load('reply');
    const quote = client.requestQuote as unknown as Requester;
    await quote.respond((request) => ({ sku: (request as { sku: string }).sku, unitPriceCents: 250 }));
    const reply = await quote.request({ sku: 'A-1', quantity: 3 }, { headers: { correlationId: 'c-1' } });
    expect(reply).toEqual({ sku: 'A-1', unitPriceCents: 250 });
    await transport.close();
  });

  it('refuses a reply that fails the reply schema on the responder side, and times out the requester', async () => {
    const { client, transport } = await load('reply');
    const quote = client.requestQuote as unknown as Requester;
    const failures: unknown[] = [];
    // One offending value: the validators report the first error only.
    await quote.respond(() => ({ sku: 1, unitPriceCents: 250 }), { maxDeliveries: 1, onDeadLetter: (_m: unknown, e: unknown) => failures.push(e) });
    await expect(quote.request({ sku: 'A-1', quantity: 3 }, { headers: { correlationId: 'c-1' }, timeoutMs: 200 })).rejects.toThrow(/timed out/);
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toMatch(/invalid payload on publish: .*\/sku must be string/);
    await transport.close();
  });
});

describe('payloads in Avro and OpenAPI schema', () => {
  it('are converted, typed and validated like JSON Schema ones', async () => {
    const { files } = await generateFiles(path.join(FIXTURES_DIR, 'avro-openapi.yaml'));
    const models = files.get('models.ts') ?? '';
    const signedUp = /export interface ComExampleUserSignedUp \{([^}]*)\}/.exec(models)?.[1] ?? '';
    expect(signedUp).toMatch(/^  userId: string;$/m);
    expect(signedUp).toMatch(/^  age\?: number \| null;$/m);
    expect(signedUp).toMatch(/^  plan: ComExampleUserSignedUpPlan;$/m);
    expect(models).toMatch(/export type ComExampleUserSignedUpPlan = "FREE" \| "PRO";/);
    expect(models).toMatch(/nickname\?: string \| null;/);
    const { client, transport } = await load('avro-openapi');
    await client.publishUserSignedUp!.publish({ userId: 'u1', age: null, plan: 'PRO' });
    await expect(client.publishUserSignedUp!.publish({ userId: 'u1', plan: 'GOLD' })).rejects.toThrow(/\/plan must be equal to one of the allowed values/);
    await expect(client.publishUserSignedUp!.publish({ userId: 'u1', plan: 'PRO', age: 2 ** 31 })).rejects.toThrow(/\/age/);
    await transport.close();
  });
});
