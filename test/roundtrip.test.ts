/**
 * The reviewed golden clients, imported and run: every message of both specs published and
 * received typed over the in-memory transport; invalid ones refused on publish and reported on
 * receive, with the subscription still alive.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as iam from './__snapshots__/iam-client-events/index.js';
import * as sessions from './__snapshots__/user-sessions/index.js';
import { MemoryTransport } from '../templates/runtime/memory.js';
import { addressPattern } from '../templates/runtime/address.js';
import { ROOT } from './support/specs.js';

let transport = new MemoryTransport();
afterEach(async () => {
  await transport.close();
  transport = new MemoryTransport();
});

const begin: sessions.UserSessionBegin = {
  id: 'A234-1234-1234',
  source: 'com.qlik/edge-auth',
  specversion: '1.0',
  type: 'com.qlik.user-session.begin',
  time: '2026-01-01T12:00:00Z',
  tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69',
  data: { idpId: '661d627cef218789bbd67cc9', source: 'com.qlik/edge-auth', subject: 'auth0\\foo', recovery: false },
};
const end: sessions.UserSessionEnd = { ...begin, type: 'com.qlik.user-session.end', data: { subject: 'auth0\\foo' } };

const encoder = new TextEncoder();
const raw = (value: unknown) => ({ payload: encoder.encode(typeof value === 'string' ? value : JSON.stringify(value)), headers: {}, contentType: 'application/json' });

describe('user-sessions', () => {
  it('delivers each message typed to its own handler only', async () => {
    const client = sessions.createUserSessionsClient(transport);
    const begins: sessions.UserSessionBegin[] = [];
    const ends: string[] = [];
    await client.userSessionBegin.subscribe((event) => {
      begins.push(event);
    });
    await client.userSessionEnd.subscribe((event, ctx) => {
      ends.push(`${event.data.subject ?? ''}@${ctx.address}`);
    });
    await client.userSessionBegin.publish(begin);
    await client.userSessionEnd.publish(end);
    await transport.idle();
    expect(begins).toEqual([begin]);
    expect(ends).toEqual(['auth0\\foo@system-events.user-session']);
  });

  it('fills the event type from the schema default and refuses a type that would misroute', async () => {
    const client = sessions.createUserSessionsClient(transport);
    const got: string[] = [];
    await client.channels.systemEventsUserSession.subscribe({ userSessionBegin: (e) => void got.push(e.type) });
    const { type: _omit, ...withoutType } = begin;
    await client.userSessionBegin.publish(withoutType as sessions.UserSessionBegin);
    await expect(client.userSessionBegin.publish({ ...begin, type: 'com.qlik.user-session.end' })).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ pointer: '/type' }],
    });
    await transport.idle();
    expect(got).toEqual(['com.qlik.user-session.begin']);
  });

  it.each([
    ['a missing required field', { ...begin, tenantid: undefined }, '/tenantid'],
    ['a wrong type deep inside', { ...begin, data: { ...begin.data, recovery: 'no' } }, '/data/recovery'],
    ['a value outside the enum', { ...begin, data: { ...begin.data, source: 'elsewhere' } }, '/data/source'],
    ['an empty id (minLength)', { ...begin, id: '' }, '/id'],
  ])('refuses %s on publish, naming the field', async (_name, payload, pointer) => {
    const client = sessions.createUserSessionsClient(transport);
    const published: unknown[] = [];
    await transport.subscribe(addressPattern('system-events.user-session'), async (m) => void published.push(m));
    const error = await client.userSessionBegin.publish(payload as sessions.UserSessionBegin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sessions.ValidationError);
    expect((error as sessions.ValidationError).issues.map((i) => i.pointer)).toContain(pointer);
    await transport.idle();
    expect(published).toEqual([]);
  });

  it('reports bad messages on receive and keeps the subscription alive', async () => {
    const client = sessions.createUserSessionsClient(transport);
    const errors: string[] = [];
    const received: string[] = [];
    await client.userSessionBegin.subscribe((e) => void received.push(e.id), { onError: (error) => void errors.push(error.message) });
    const address = 'system-events.user-session';
    await transport.publish(address, raw('{ not json'));
    await transport.publish(address, raw({ ...begin, data: { recovery: 'yes' } }));
    await transport.publish(address, raw({ ...begin, type: 'com.qlik.user-session.unknown' }));
    await transport.publish(address, { ...raw(begin), contentType: 'text/plain' });
    await transport.publish(address, raw(begin));
    await transport.idle();
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/not valid JSON/);
    expect(errors[1]).toMatch(/\/data\/recovery/);
    expect(errors[2]).toMatch(/"type" is "com\.qlik\.user-session\.unknown"/);
    expect(errors[3]).toMatch(/text\/plain/);
    expect(received).toEqual([begin.id]);
  });

  it("leaves a sibling message's errors to the sibling's subscribers", async () => {
    const client = sessions.createUserSessionsClient(transport);
    const beginErrors: string[] = [];
    const endErrors: string[] = [];
    await client.userSessionBegin.subscribe(() => undefined, { onError: (e) => void beginErrors.push(e.message) });
    await client.userSessionEnd.subscribe(() => undefined, { onError: (e) => void endErrors.push(e.message) });
    await transport.publish('system-events.user-session', raw({ ...end, data: { subject: 42 } }));
    await transport.idle();
    expect(beginErrors).toEqual([]);
    expect(endErrors).toEqual([expect.stringMatching(/userSessionEnd: invalid payload on receive: \/data\/subject must be string/)]);
  });

  it('redelivers when the handler throws, then succeeds', async () => {
    const client = sessions.createUserSessionsClient(transport);
    const attempts: number[] = [];
    await client.userSessionBegin.subscribe((_e, ctx) => {
      attempts.push(ctx.deliveryAttempt);
      if (ctx.deliveryAttempt < 2) throw new Error('database down');
    });
    await client.userSessionBegin.publish(begin);
    await transport.idle();
    expect(attempts).toEqual([1, 2]);
  });
});

/** The IAM spec's own examples, with the doc's placeholders for pinned values replaced. */
async function iamExamples(): Promise<Array<[string, Record<string, unknown>]>> {
  const { Parser } = await import('@asyncapi/parser');
  const text = await readFile(path.join(ROOT, 'specs/iam-client-events.asyncapi.yaml'), 'utf8');
  const { document } = await new Parser().parse(text);
  if (!document) throw new Error('IAM spec does not parse');
  return document
    .messages()
    .all()
    .map((m) => {
      const example = structuredClone(m.examples().all()[0]?.payload()) as Record<string, unknown>;
      example.name = m.id(); // the doc writes "string" where the event name goes
      const payload = example.payload as { permissions?: Array<{ SchedAction: number }> };
      for (const p of payload.permissions ?? []) p.SchedAction = 1; // the doc's 0 is a placeholder; the field is 1..15
      return [m.id(), example];
    });
}

describe('iam-client-events', () => {
  it('round-trips every message of every channel, each to its own handler', async () => {
    const client = iam.createIAMServiceClientEventsClient(transport);
    const examples = await iamExamples();
    expect(examples).toHaveLength(9);
    const received: Array<[string, unknown]> = [];
    const record = (id: string) => (payload: unknown) => void received.push([id, payload]);
    const ids = examples.map(([id]) => id);
    for (const channel of Object.values(client.channels)) {
      const handlers = Object.fromEntries(ids.map((id) => [id, record(id)]));
      await channel.subscribe(handlers as never);
    }
    for (const [id, example] of examples) {
      const endpoint = client[id as keyof typeof client] as { publish(p: unknown): Promise<void> };
      await endpoint.publish(example);
    }
    await transport.idle();
    expect(received.sort(([a], [b]) => a.localeCompare(b))).toEqual(examples.sort(([a], [b]) => a.localeCompare(b)));
  });

  it('types the event name as a const and routes by it', async () => {
    const client = iam.createIAMServiceClientEventsClient(transport);
    const names: Array<'clientCreated' | undefined> = [];
    await client.clientCreated.subscribe((event) => void names.push(event.name));
    await client.clientDeleted.publish({ name: 'clientDeleted', payload: { client: { clientId: 'c1' } } });
    await client.clientCreated.publish({ payload: { client: { clientId: 'c1', parentNamespace: 'studio' } } });
    await transport.idle();
    expect(names).toEqual(['clientCreated']);
  });

  it('refuses SchedAction outside 1..15 and reports it by pointer', async () => {
    const client = iam.createIAMServiceClientEventsClient(transport);
    const error = await client.clientPermissionCreated.publish({ payload: { permissions: [{ resoure: 'r', action: 'a', SchedAction: 16 }] } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ issues: [{ pointer: '/payload/permissions/0/SchedAction', keyword: 'maximum' }] });
  });
});
