import { describe, it, expect, vi } from 'vitest';
import { addressPattern } from '../../templates/runtime/address.js';
import { MemoryTransport } from '../../templates/runtime/memory.js';
import type { IncomingMessage, OutgoingMessage } from '../../templates/runtime/transport.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function out(text: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return { payload: encoder.encode(text), headers: {}, contentType: 'text/plain', ...extra };
}

function text(message: IncomingMessage): string {
  return decoder.decode(message.payload);
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A subscription that records what it receives. */
async function recorder(transport: MemoryTransport, template: string, pinned: Record<string, string> = {}, group?: string) {
  const received: IncomingMessage[] = [];
  const subscription = await transport.subscribe(addressPattern(template, pinned), async (m) => void received.push(m), { group });
  return { received, subscription, texts: () => received.map(text) };
}

describe('MemoryTransport delivery', () => {
  it('delivers to every matching subscription, with address, payload, headers and attempt', async () => {
    const transport = new MemoryTransport();
    const all = await recorder(transport, 'orders.{id}');
    const pinned = await recorder(transport, 'orders.{id}', { id: '1' });
    const exact = await recorder(transport, 'orders.1');
    const other = await recorder(transport, 'invoices.{id}');

    await transport.publish('orders.1', out('first', { headers: { trace: 't1' }, contentType: 'application/json' }));
    await transport.publish('orders.2', out('second'));
    await transport.idle();

    expect(all.texts()).toEqual(['first', 'second']);
    expect(pinned.texts()).toEqual(['first']);
    expect(exact.texts()).toEqual(['first']);
    expect(other.texts()).toEqual([]);
    expect(all.received[0]).toMatchObject({ address: 'orders.1', headers: { trace: 't1' }, contentType: 'application/json', deliveryAttempt: 1 });
    expect(all.received[1]).toMatchObject({ address: 'orders.2', deliveryAttempt: 1 });
  });

  it.each([
    ['other literal', { template: 'tenants/{tenantId}/orders', address: 'tenants/acme/invoices' }],
    ['deeper address', { template: 'tenants/{tenantId}/orders', address: 'tenants/acme/orders/1' }],
    ['shallower address', { template: 'tenants/{tenantId}/orders', address: 'tenants/acme' }],
    ['value spanning segments', { template: 'tenants/{tenantId}/orders', address: 'tenants/a/b/orders' }],
    ['other pinned value', { template: 'tenants/acme/orders', address: 'tenants/other/orders' }],
  ])('does not deliver to a non-matching subscription: %s', async (_name, { template, address }) => {
    const transport = new MemoryTransport();
    const handler = vi.fn(async () => undefined);
    await transport.subscribe(addressPattern(template), handler);
    await transport.publish(address, out('x'));
    await transport.idle();
    expect(handler).not.toHaveBeenCalled();
  });

  it('does not run handlers inside publish', async () => {
    const transport = new MemoryTransport();
    const handler = vi.fn(async () => undefined);
    await transport.subscribe(addressPattern('a'), handler);
    const publishing = transport.publish('a', out('x'));
    expect(handler).not.toHaveBeenCalled();
    await publishing;
    await transport.idle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('stops delivering to a closed subscription but keeps the others', async () => {
    const transport = new MemoryTransport();
    const closed = await recorder(transport, 'a');
    const open = await recorder(transport, 'a');
    await closed.subscription.close();
    await transport.publish('a', out('x'));
    await transport.idle();
    expect(closed.received).toHaveLength(0);
    expect(open.received).toHaveLength(1);
  });
});

describe('MemoryTransport queue groups', () => {
  it('gives each message to exactly one member, round-robin, while ungrouped subscribers get all', async () => {
    const transport = new MemoryTransport();
    const members = [await recorder(transport, 'jobs.{kind}', {}, 'workers'), await recorder(transport, 'jobs.{kind}', {}, 'workers'), await recorder(transport, 'jobs.{kind}', {}, 'workers')];
    const auditor = await recorder(transport, 'jobs.{kind}');

    const sent = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'];
    for (const m of sent) await transport.publish('jobs.build', out(m));
    await transport.idle();

    const perMember = members.map((m) => m.texts());
    expect(perMember.map((t) => t.length)).toEqual([2, 2, 2]);
    expect(perMember.flat().sort()).toEqual(sent);
    expect(auditor.texts()).toEqual(sent);
  });

  it('gives each group its own copy', async () => {
    const transport = new MemoryTransport();
    const a1 = await recorder(transport, 'jobs', {}, 'a');
    const a2 = await recorder(transport, 'jobs', {}, 'a');
    const b1 = await recorder(transport, 'jobs', {}, 'b');

    for (const m of ['m0', 'm1', 'm2', 'm3']) await transport.publish('jobs', out(m));
    await transport.idle();

    expect([...a1.texts(), ...a2.texts()].sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(a1.received).toHaveLength(2);
    expect(b1.texts()).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

  it('skips members whose pattern does not match the address', async () => {
    const transport = new MemoryTransport();
    const acme = await recorder(transport, 'tenants.{t}', { t: 'acme' }, 'g');
    const other = await recorder(transport, 'tenants.{t}', { t: 'other' }, 'g');
    for (const m of ['m0', 'm1', 'm2']) await transport.publish('tenants.acme', out(m));
    await transport.idle();
    expect(acme.texts()).toEqual(['m0', 'm1', 'm2']);
    expect(other.received).toHaveLength(0);
  });
});

describe('MemoryTransport redelivery', () => {
  it.each([
    ['default of 3', { transportMax: undefined, subscriptionMax: undefined, want: [1, 2, 3] }],
    ['transport option', { transportMax: 2, subscriptionMax: undefined, want: [1, 2] }],
    ['subscription option over transport option', { transportMax: 2, subscriptionMax: 4, want: [1, 2, 3, 4] }],
    ['a single delivery', { transportMax: undefined, subscriptionMax: 1, want: [1] }],
  ])('redelivers a rejected message up to maxDeliveries (%s), then dead-letters it once', async (_name, { transportMax, subscriptionMax, want }) => {
    const transport = new MemoryTransport({ maxDeliveries: transportMax });
    const attempts: number[] = [];
    const failure = new Error('handler failed');
    const onDeadLetter = vi.fn();
    await transport.subscribe(
      addressPattern('a'),
      async (m) => {
        attempts.push(m.deliveryAttempt);
        throw failure;
      },
      { maxDeliveries: subscriptionMax, onDeadLetter },
    );

    await transport.publish('a', out('x'));
    await transport.idle();

    expect(attempts).toEqual(want);
    expect(onDeadLetter).toHaveBeenCalledTimes(1);
    const [message, error] = onDeadLetter.mock.calls[0] ?? [];
    expect(error).toBe(failure);
    expect(text(message as IncomingMessage)).toBe('x');
    expect((message as IncomingMessage).deliveryAttempt).toBe(want.at(-1));
  });

  it('stops redelivering once the handler succeeds', async () => {
    const transport = new MemoryTransport();
    const attempts: number[] = [];
    const onDeadLetter = vi.fn();
    await transport.subscribe(
      addressPattern('a'),
      async (m) => {
        attempts.push(m.deliveryAttempt);
        if (m.deliveryAttempt < 2) throw new Error('not yet');
      },
      { maxDeliveries: 5, onDeadLetter },
    );
    await transport.publish('a', out('x'));
    await transport.idle();
    expect(attempts).toEqual([1, 2]);
    expect(onDeadLetter).not.toHaveBeenCalled();
  });

  it('treats a handler that throws before returning a promise like one that rejects', async () => {
    const transport = new MemoryTransport();
    const attempts: number[] = [];
    const failure = new Error('thrown synchronously');
    const onDeadLetter = vi.fn();
    // Not `async`: the throw happens before any promise exists.
    const handler = (m: IncomingMessage): Promise<void> => {
      attempts.push(m.deliveryAttempt);
      throw failure;
    };
    await transport.subscribe(addressPattern('a'), handler, { maxDeliveries: 2, onDeadLetter });
    await transport.publish('a', out('x'));
    await transport.idle();
    expect(attempts).toEqual([1, 2]);
    expect(onDeadLetter).toHaveBeenCalledTimes(1);
    expect(onDeadLetter.mock.calls[0]?.[1]).toBe(failure);
  });

  it('redelivers only to the subscription that rejected', async () => {
    const transport = new MemoryTransport();
    const failing = vi.fn(async () => {
      throw new Error('no');
    });
    const fine = await recorder(transport, 'a');
    await transport.subscribe(addressPattern('a'), failing, { maxDeliveries: 3 });
    await transport.publish('a', out('x'));
    await transport.idle();
    expect(failing).toHaveBeenCalledTimes(3);
    expect(fine.received).toHaveLength(1);
  });
});

describe('MemoryTransport close', () => {
  it('subscription close waits for the in-flight handler, then delivers nothing more', async () => {
    const transport = new MemoryTransport();
    const started = deferred();
    const release = deferred();
    const received: string[] = [];
    const sub = await transport.subscribe(addressPattern('a'), async (m) => {
      received.push(text(m));
      started.resolve();
      await release.promise;
    });

    await transport.publish('a', out('first'));
    await started.promise;
    let closed = false;
    const closing = sub.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(false);

    release.resolve();
    await closing;
    expect(closed).toBe(true);

    await transport.publish('a', out('second'));
    await transport.idle();
    expect(received).toEqual(['first']);
  });

  it('transport close drains in-flight handlers, then refuses publish and subscribe', async () => {
    const transport = new MemoryTransport();
    const started = deferred();
    const release = deferred();
    let finished = false;
    await transport.subscribe(addressPattern('a'), async () => {
      started.resolve();
      await release.promise;
      finished = true;
    });

    await transport.publish('a', out('x'));
    await started.promise;
    let closed = false;
    const closing = transport.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(false);

    release.resolve();
    await closing;
    expect(finished).toBe(true);

    await expect(transport.publish('a', out('late'))).rejects.toThrow('closed');
    await expect(transport.subscribe(addressPattern('a'), async () => undefined)).rejects.toThrow('closed');
  });

  it('drops a delivery that was scheduled but not started when the subscription closes', async () => {
    const transport = new MemoryTransport();
    const handler = vi.fn(async () => undefined);
    const sub = await transport.subscribe(addressPattern('a'), handler);
    const publishing = transport.publish('a', out('x'));
    await sub.close();
    await publishing;
    await transport.idle();
    expect(handler).not.toHaveBeenCalled();
  });

  it('does not redeliver after the subscription closed', async () => {
    const transport = new MemoryTransport();
    const started = deferred();
    const release = deferred();
    const attempts: number[] = [];
    const sub = await transport.subscribe(
      addressPattern('a'),
      async (m) => {
        attempts.push(m.deliveryAttempt);
        started.resolve();
        await release.promise;
        throw new Error('fails');
      },
      { maxDeliveries: 5 },
    );
    await transport.publish('a', out('x'));
    await started.promise;
    const closing = sub.close();
    release.resolve();
    await closing;
    await transport.idle();
    expect(attempts).toEqual([1]);
  });
});

describe('MemoryTransport request/reply', () => {
  it('round-trips a request to its reply with replyTo and correlation id', async () => {
    const transport = new MemoryTransport();
    const requests: IncomingMessage[] = [];
    await transport.subscribe(addressPattern('rpc.{method}'), async (m) => {
      requests.push(m);
      await transport.reply(m, out(text(m).toUpperCase(), { headers: { status: 'ok' } }));
    });

    const reply = await transport.request('rpc.echo', out('hello', { headers: { caller: 'test' } }));

    expect(text(reply)).toBe('HELLO');
    expect(reply.headers).toEqual({ status: 'ok' });
    expect(requests).toHaveLength(1);
    const request = requests[0];
    expect(request?.headers).toEqual({ caller: 'test' });
    expect(request?.replyTo).toEqual(expect.any(String));
    expect(reply.address).toBe(request?.replyTo);
    expect(reply.correlationId).toBe(request?.correlationId);
    expect(reply.correlationId).toEqual(expect.any(String));
  });

  it('keeps a correlation id the caller chose', async () => {
    const transport = new MemoryTransport();
    await transport.subscribe(addressPattern('rpc'), async (m) => transport.reply(m, out('pong')));
    const reply = await transport.request('rpc', out('ping', { correlationId: 'c-42' }));
    expect(reply.correlationId).toBe('c-42');
  });

  it('gives concurrent requests their own replies', async () => {
    const transport = new MemoryTransport();
    await transport.subscribe(addressPattern('rpc'), async (m) => {
      // Answer the second request first.
      if (text(m) === 'one') await new Promise((r) => setTimeout(r, 10));
      await transport.reply(m, out(`re:${text(m)}`));
    });
    const [one, two] = await Promise.all([transport.request('rpc', out('one')), transport.request('rpc', out('two'))]);
    expect(text(one)).toBe('re:one');
    expect(text(two)).toBe('re:two');
  });

  it.each([
    ['request option', { transportTimeout: undefined, requestTimeout: 20, want: 'timed out after 20 ms' }],
    ['transport default', { transportTimeout: 15, requestTimeout: undefined, want: 'timed out after 15 ms' }],
  ])('times out without a responder (%s)', async (_name, { transportTimeout, requestTimeout, want }) => {
    const transport = new MemoryTransport({ requestTimeoutMs: transportTimeout });
    const asking = transport.request('rpc.nobody', out('hello'), { timeoutMs: requestTimeout });
    await expect(asking).rejects.toThrow(want);
    await expect(asking).rejects.toThrow('"rpc.nobody"');
  });

  it('refuses to reply to a message that asked for none', async () => {
    const transport = new MemoryTransport();
    const incoming: IncomingMessage = { address: 'a', payload: new Uint8Array(), headers: {}, deliveryAttempt: 1 };
    await expect(transport.reply(incoming, out('x'))).rejects.toThrow('asked for no reply');
  });
});

describe('MemoryTransport idle', () => {
  it('resolves at once when nothing is pending', async () => {
    await expect(new MemoryTransport().idle()).resolves.toBeUndefined();
  });

  it('waits for slow handlers, redeliveries and messages they publish', async () => {
    const transport = new MemoryTransport();
    const log: string[] = [];
    await transport.subscribe(addressPattern('first'), async (m) => {
      await new Promise((r) => setTimeout(r, 5));
      if (m.deliveryAttempt === 1) throw new Error('retry me');
      log.push(`first#${m.deliveryAttempt}`);
      await transport.publish('second', out('chained'));
    });
    await transport.subscribe(addressPattern('second'), async (m) => {
      await new Promise((r) => setTimeout(r, 5));
      log.push(`second:${text(m)}`);
    });

    await transport.publish('first', out('x'));
    await transport.idle();
    expect(log).toEqual(['first#2', 'second:chained']);
  });
});
