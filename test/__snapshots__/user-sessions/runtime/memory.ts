/**
 * An in-process broker: for tests, for local development and for wiring services together in
 * one process. It keeps the semantics of the real adapters: delivery after publish resolves,
 * queue groups, redelivery of rejected messages up to a limit, dead-lettering, request/reply and
 * draining close.
 */
import { addressPattern, type AddressPattern } from './address.js';
import { DEFAULT_BINDING } from './cloudevents.js';
import { ClosedError, TimeoutError, UsageError } from './errors.js';
import {
  DEFAULT_MAX_DELIVERIES,
  type CloudEventsBinding,
  type DeliveryHandler,
  type IncomingMessage,
  type OutgoingMessage,
  type Transport,
  type TransportRequestOptions,
  type TransportSubscribeOptions,
  type TransportSubscription,
} from './transport.js';

export interface MemoryTransportOptions {
  /** Deliveries of a message whose handler rejects, unless a subscription sets its own. Default 3. */
  readonly maxDeliveries?: number | undefined;
  /** Default time a request waits for its reply. Default 5000 ms. */
  readonly requestTimeoutMs?: number | undefined;
  /** The CloudEvents binding to behave as (e.g. Kafka's `ce_` headers, to test against it). Default `ce-`. */
  readonly cloudEvents?: CloudEventsBinding | undefined;
}

interface MemorySubscription {
  readonly pattern: AddressPattern;
  readonly handler: DeliveryHandler;
  readonly options: TransportSubscribeOptions;
  readonly inFlight: Set<Promise<void>>;
  closed: boolean;
}

export class MemoryTransport implements Transport {
  private readonly subscriptions = new Set<MemorySubscription>();
  private readonly groupTurns = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private closed = false;
  private nextInbox = 0;

  readonly cloudEvents: CloudEventsBinding;

  constructor(private readonly options: MemoryTransportOptions = {}) {
    this.cloudEvents = options.cloudEvents ?? DEFAULT_BINDING;
  }

  async publish(address: string, message: OutgoingMessage): Promise<void> {
    if (this.closed) throw new ClosedError('MemoryTransport is closed');
    const incoming: IncomingMessage = { ...message, address, deliveryAttempt: 1 };
    const matching = [...this.subscriptions].filter((s) => !s.closed && s.pattern.match(address) !== undefined);
    const byGroup = new Map<string, MemorySubscription[]>();
    for (const s of matching) {
      if (s.options.group === undefined) {
        this.schedule(s, incoming);
        continue;
      }
      const key = `${s.options.group}\u0000${s.pattern.template}`;
      byGroup.set(key, [...(byGroup.get(key) ?? []), s]);
    }
    for (const [key, members] of byGroup) {
      const turn = this.groupTurns.get(key) ?? 0;
      this.groupTurns.set(key, turn + 1);
      const member = members[turn % members.length];
      if (member) this.schedule(member, incoming);
    }
  }

  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    if (this.closed) throw new ClosedError('MemoryTransport is closed');
    const subscription: MemorySubscription = { pattern, handler, options, inFlight: new Set(), closed: false };
    this.subscriptions.add(subscription);
    return {
      close: async () => {
        subscription.closed = true;
        this.subscriptions.delete(subscription);
        await Promise.allSettled([...subscription.inFlight]);
      },
    };
  }

  async request(address: string, message: OutgoingMessage, options: TransportRequestOptions = {}): Promise<IncomingMessage> {
    const inbox = `_INBOX.${++this.nextInbox}`;
    const correlationId = message.correlationId ?? inbox;
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 5000;
    let settle: (reply: IncomingMessage) => void = () => undefined;
    const reply = new Promise<IncomingMessage>((resolve) => {
      settle = resolve;
    });
    const sub = await this.subscribe(addressPattern(inbox), async (m) => settle(m));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`request to "${address}" timed out after ${timeoutMs} ms`, timeoutMs)), timeoutMs);
    });
    try {
      await this.publish(address, { ...message, replyTo: inbox, correlationId });
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
      await sub.close();
    }
  }

  async reply(to: IncomingMessage, message: OutgoingMessage): Promise<void> {
    if (to.replyTo === undefined) throw new UsageError(`message on "${to.address}" asked for no reply`);
    await this.publish(to.replyTo, { ...message, correlationId: to.correlationId });
  }

  /** Resolves once every delivery so far, and any redelivery it caused, has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.closed = true;
    const subs = [...this.subscriptions];
    this.subscriptions.clear();
    for (const s of subs) s.closed = true;
    await Promise.allSettled(subs.flatMap((s) => [...s.inFlight]));
  }

  /** First deliveries run as soon as the publisher yields; redeliveries wait for the next turn of the event loop. */
  private schedule(subscription: MemorySubscription, message: IncomingMessage): void {
    const turn = message.deliveryAttempt === 1 ? Promise.resolve() : new Promise<void>((resolve) => setTimeout(resolve, 0));
    const delivery = turn.then(() => this.deliver(subscription, message));
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliver(subscription: MemorySubscription, message: IncomingMessage): Promise<void> {
    if (subscription.closed) return;
    let run: Promise<void>;
    try {
      run = subscription.handler(message);
    } catch (error) {
      // A handler that throws before returning its promise nacks like one that rejects.
      run = Promise.reject(error);
    }
    subscription.inFlight.add(run);
    try {
      await run;
    } catch (error) {
      const max = subscription.options.maxDeliveries ?? this.options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
      if (message.deliveryAttempt < max && !subscription.closed) {
        this.schedule(subscription, { ...message, deliveryAttempt: message.deliveryAttempt + 1 });
      } else {
        subscription.options.onDeadLetter?.(message, error);
      }
    } finally {
      subscription.inFlight.delete(run);
    }
  }
}
