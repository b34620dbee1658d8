/**
 * `maxPayloadBytes`: an oversized incoming message reaches onError as a DecodeError before it is
 * decoded and the subscription goes on; an oversized outgoing one never reaches the transport.
 * Run on the reviewed user-sessions client over the in-memory transport.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { addressPattern } from '../../templates/runtime/address.js';
import { MemoryTransport } from '../../templates/runtime/memory.js';
import type { IncomingMessage } from '../../templates/runtime/transport.js';

const ADDRESS = 'system-events.user-session';
const MIB = 1_048_576;

let transport = new MemoryTransport();
afterEach(async () => {
  await transport.close();
  transport = new MemoryTransport();
});

const begin = (subject = 'auth0\\foo'): sessions.UserSessionBegin => ({
  id: 'A234-1234-1234',
  source: 'com.qlik/edge-auth',
  specversion: '1.0',
  type: 'com.qlik.user-session.begin',
  time: '2026-01-01T12:00:00Z',
  tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69',
  data: { idpId: '661d627cef218789bbd67cc9', source: 'com.qlik/edge-auth', subject, recovery: false },
});

const encoder = new TextEncoder();
const raw = (text: string) => ({ payload: encoder.encode(text), headers: {}, contentType: 'application/json' });
const sizeOf = (event: unknown) => encoder.encode(JSON.stringify(event)).byteLength;

/** Subscribes one handler that records payload subjects and errors. */
async function listen(client: sessions.UserSessionsClient, options: sessions.SubscribeOptions<never> = {}) {
  const subjects: string[] = [];
  const errors: sessions.ReceiveError[] = [];
  await client.userSessionBegin.subscribe((event) => void subjects.push(event.data.subject ?? ''), { ...options, onError: (e) => void errors.push(e) });
  return { subjects, errors };
}

describe('receive', () => {
  it('refuses a payload over the default 1 MiB before decoding it, and keeps the subscription running', async () => {
    const { subjects, errors } = await listen(sessions.createUserSessionsClient(transport));
    // Not JSON at all: a decoded payload would be reported as bad JSON, not by its size.
    await transport.publish(ADDRESS, raw('x'.repeat(MIB + 1)));
    await transport.publish(ADDRESS, raw(JSON.stringify(begin('after'))));
    await transport.idle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(sessions.DecodeError);
    expect((errors[0] as sessions.DecodeError).reason).toBe(`payload is ${MIB + 1} bytes, over the limit of ${MIB} bytes (maxPayloadBytes)`);
    expect(subjects).toEqual(['after']);
  });

  it('accepts a payload of exactly the limit and refuses one byte more', async () => {
    const event = begin('edge');
    const limit = sizeOf(event);
    const { subjects, errors } = await listen(sessions.createUserSessionsClient(transport, { maxPayloadBytes: limit }));
    await transport.publish(ADDRESS, raw(JSON.stringify(event)));
    await transport.publish(ADDRESS, raw(`${JSON.stringify(event)} `));
    await transport.idle();
    expect(subjects).toEqual(['edge']);
    expect(errors.map((e) => e.message)).toEqual([`cannot decode message on "${ADDRESS}": payload is ${limit + 1} bytes, over the limit of ${limit} bytes (maxPayloadBytes)`]);
  });

  it('lets a subscription set its own limit over the client-wide one', async () => {
    const client = sessions.createUserSessionsClient(transport, { maxPayloadBytes: 100 });
    const strict = await listen(client);
    const open = await listen(client, { maxPayloadBytes: Infinity });
    await transport.publish(ADDRESS, raw(JSON.stringify(begin('big'))));
    await transport.idle();
    expect(strict.subjects).toEqual([]);
    expect(strict.errors[0]?.message).toMatch(/over the limit of 100 bytes/);
    expect(open).toEqual({ subjects: ['big'], errors: [] });
  });
});

describe('publish', () => {
  it('refuses a payload over the limit before it reaches the transport', async () => {
    const delivered: IncomingMessage[] = [];
    await transport.subscribe(addressPattern(ADDRESS), async (m) => void delivered.push(m));
    const client = sessions.createUserSessionsClient(transport, { maxPayloadBytes: 1000 });
    const big = begin('s'.repeat(1000));
    const error = await client.userSessionBegin.publish(big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sessions.PayloadTooLargeError);
    expect(error).toMatchObject({ messageId: 'userSessionBegin', size: sizeOf(big), limit: 1000 });
    expect((error as Error).message).toContain(`payload is ${sizeOf(big)} bytes, over the limit of 1000 bytes (maxPayloadBytes)`);
    await client.userSessionBegin.publish(begin('small'));
    await transport.idle();
    expect(delivered.map((m) => (JSON.parse(new TextDecoder().decode(m.payload)) as sessions.UserSessionBegin).data.subject)).toEqual(['small']);
  });

  it('has a 1 MiB default that Infinity turns off', async () => {
    const huge = begin('s'.repeat(MIB));
    await expect(sessions.createUserSessionsClient(transport).userSessionBegin.publish(huge)).rejects.toThrow(/over the limit of 1048576 bytes/);
    await expect(sessions.createUserSessionsClient(transport, { maxPayloadBytes: Infinity }).userSessionBegin.publish(huge)).resolves.toBeUndefined();
  });

  it.each([0, -1, Number.NaN])('refuses maxPayloadBytes %s with a clear message', async (value) => {
    const client = sessions.createUserSessionsClient(transport, { maxPayloadBytes: value });
    await expect(client.userSessionBegin.publish(begin())).rejects.toThrow(/maxPayloadBytes must be a positive number of bytes, or Infinity/);
    await expect(client.userSessionBegin.subscribe(() => undefined)).rejects.toThrow(/maxPayloadBytes must be a positive number/);
  });
});
