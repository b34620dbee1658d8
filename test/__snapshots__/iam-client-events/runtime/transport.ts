/**
 * The one seam between generated clients and message brokers. An adapter (in-memory, NATS, MQTT,
 * AMQP, Kafka, HTTP webhooks) moves bytes and headers; the generated client does typing,
 * validation, encoding and routing. Handlers acknowledge by resolving and reject to ask for
 * redelivery, so every broker's ack/nack maps onto a promise.
 */
import type { AddressPattern } from './address.js';
import { TimeoutError, type MessagingError } from './errors.js';

/** Header values travel as strings on every broker; the client encodes and decodes them. */
export type WireHeaders = Readonly<Record<string, string>>;

export interface OutgoingMessage {
  readonly payload: Uint8Array;
  readonly headers: WireHeaders;
  /** MIME type of the payload, such as `application/json`. */
  readonly contentType?: string | undefined;
  /** Where a reply is expected (request/reply); adapters map it to their own mechanism. */
  readonly replyTo?: string | undefined;
  readonly correlationId?: string | undefined;
}

export interface IncomingMessage {
  /** The concrete address the message arrived on (subject, topic, routing key, path). */
  readonly address: string;
  readonly payload: Uint8Array;
  readonly headers: WireHeaders;
  readonly contentType?: string | undefined;
  /** 1 on first delivery; higher on redelivery where the broker tells. */
  readonly deliveryAttempt: number;
  readonly replyTo?: string | undefined;
  readonly correlationId?: string | undefined;
  /**
   * Set by a transport whose sender waits for a verdict (a webhook's HTTP answer): the client calls
   * it when the message cannot be taken (it fails to decode, validate or route, or no handler
   * wants it), so the sender hears a refusal instead of the success an acknowledgement means.
   */
  readonly refuse?: ((error: MessagingError) => void) | undefined;
  /**
   * Set by an adapter that hands each message to several subscriptions of one address (WebSocket
   * channels at one URL): a subscription that cannot take the message gives its report here instead
   * of calling onError, and the adapter makes the reports only if none of them took it.
   */
  readonly unclaimed?: ((report: () => void) => void) | undefined;
}

/** Resolve to acknowledge; reject to negatively acknowledge (redelivery where supported). */
export type DeliveryHandler = (message: IncomingMessage) => Promise<void>;

export interface TransportSubscribeOptions {
  /** Load-balance among subscribers of the same group (NATS queue, MQTT shared subscription, AMQP queue, Kafka group). */
  readonly group?: string | undefined;
  /** Deliveries of one message before it is given up (dead-lettered). Adapters without redelivery ignore it. */
  readonly maxDeliveries?: number | undefined;
  /** Called with a message that was rejected `maxDeliveries` times. */
  readonly onDeadLetter?: ((message: IncomingMessage, error: unknown) => void) | undefined;
}

export interface TransportSubscription {
  /** Stops receiving, waits for in-flight handlers, then resolves. */
  close(): Promise<void>;
}

export interface TransportRequestOptions {
  readonly timeoutMs?: number | undefined;
}

/** How CloudEvents travel on a transport, after the CloudEvents protocol binding for it. */
export interface CloudEventsBinding {
  /**
   * Prefix of the attribute headers in binary content mode: `ce-` (HTTP, NATS), `ce_` (Kafka),
   * `cloudEvents_` (AMQP application properties), `` (MQTT 5 user properties).
   */
  readonly headerPrefix: string;
  /**
   * Further prefixes accepted on receive, never sent: AMQP's `cloudEvents:` (the binding names both
   * `cloudEvents_` and `cloudEvents:`, and says consumers should accept either).
   */
  readonly receivePrefixes?: readonly string[] | undefined;
  /** False where the transport cannot carry binary mode (MQTT 3.1.1): events then go structured. */
  readonly binary: boolean;
}

export interface Transport {
  /** The CloudEvents binding of this transport; absent means `ce-` headers, binary allowed. */
  readonly cloudEvents?: CloudEventsBinding | undefined;
  /** The OpenTelemetry `messaging.system` of spans over this transport (`nats`, `mqtt`, `rabbitmq`, `kafka`, `webhook`). */
  readonly system?: string | undefined;
  /** False where a message cannot carry headers (MQTT 3.1.1): trace headers are then left out. */
  readonly carriesHeaders?: boolean | undefined;
  publish(address: string, message: OutgoingMessage): Promise<void>;
  /** `pattern` says which addresses to receive; adapters map its parameters to their wildcards. */
  subscribe(pattern: AddressPattern, handler: DeliveryHandler, options?: TransportSubscribeOptions): Promise<TransportSubscription>;
  /** Request/reply, where the broker supports it: resolves with the first reply. */
  request?(address: string, message: OutgoingMessage, options?: TransportRequestOptions): Promise<IncomingMessage>;
  /** Sends a reply to a message that carried `replyTo`. */
  reply?(to: IncomingMessage, message: OutgoingMessage): Promise<void>;
  /** Closes subscriptions (draining in-flight handlers) and the connection. */
  close(): Promise<void>;
}

/**
 * An already resolved promise a handler may return for a message it is done with: deliver() sees
 * it and settles the message at once, with no `then` and no microtask per message.
 */
export const HANDLED: Promise<void> = Promise.resolve();

/** Deliveries of a message whose handler keeps failing, when neither the subscription nor the transport says. */
export const DEFAULT_MAX_DELIVERIES = 3;

export interface RetryOptions {
  /** Deliveries before the message is given up. */
  readonly max: number;
  /** The attempt number of the first run (2 for a message the broker marks as a redelivery). */
  readonly first?: number | undefined;
  /** Pause between runs. */
  readonly delayMs?: number | undefined;
  /** True once nobody is left to deliver to: the message is given up at once. */
  readonly stopped?: (() => boolean) | undefined;
  readonly onDeadLetter?: ((message: IncomingMessage, error: unknown) => void) | undefined;
}

/**
 * Redelivery in this process, for brokers that cannot redeliver themselves (core NATS, MQTT):
 * runs the handler until it resolves or `max` runs have failed, then dead-letters. Never throws.
 */
export async function deliverWithRetries(message: (attempt: number) => IncomingMessage, handler: DeliveryHandler, options: RetryOptions): Promise<void> {
  for (let attempt = options.first ?? 1; ; attempt++) {
    const delivery = message(attempt);
    try {
      return await handler(delivery);
    } catch (error) {
      if (attempt < options.max && options.stopped?.() !== true) {
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        if (options.stopped?.() !== true) continue;
      }
      deadLetter(options, delivery, error);
      return;
    }
  }
}

function deadLetter(options: RetryOptions, message: IncomingMessage, error: unknown): void {
  try {
    options.onDeadLetter?.(message, error);
  } catch {
    // the message is already given up; nothing else can be done with the callback's own failure
  }
}

/**
 * deliverWithRetries for a message already read, on the hot path of a subscription: the first
 * run gets `first` itself (its `deliveryAttempt` is the attempt number) and costs no async frame
 * or copy of the message; only a rejection goes on to the retry loop. `settled` is called once
 * the message is done with (handled, or dead-lettered). Never throws.
 */
export function deliver(first: IncomingMessage, handler: DeliveryHandler, options: RetryOptions, settled: () => void): void {
  let run: Promise<void>;
  try {
    const result: unknown = handler(first);
    if (result === HANDLED) return settled();
    run = result instanceof Promise ? result : Promise.resolve(result as undefined);
  } catch (error) {
    run = Promise.reject(error);
  }
  run.then(settled, (error: unknown) => void retryAfter(first, error, handler, options).then(settled, settled));
}

/** What deliverWithRetries does after a failed run of `first`. */
async function retryAfter(first: IncomingMessage, error: unknown, handler: DeliveryHandler, options: RetryOptions): Promise<void> {
  const attempt = first.deliveryAttempt;
  if (attempt < options.max && options.stopped?.() !== true) {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (options.stopped?.() !== true) return deliverWithRetries((n) => ({ ...first, deliveryAttempt: n }), handler, { ...options, first: attempt + 1 });
  }
  deadLetter(options, first, error);
}

/** What a throw or rejection carried, as an Error. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * A request's reply, for adapters that pair replies themselves (MQTT, WebSocket): the settle
 * function waits in `pending` under the request's key until the reply, a failed send or the
 * timeout settles it, once; whoever settles it takes it out of `pending`.
 */
export function awaitReply<K>(pending: Map<K, (reply: IncomingMessage | Error) => void>, key: K, timeoutMs: number, what: string, send: () => Promise<void>): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const timer = setTimeout(() => settle(new TimeoutError(`${what} got no reply within ${timeoutMs} ms`, timeoutMs)), timeoutMs);
    const settle = (result: IncomingMessage | Error): void => {
      clearTimeout(timer);
      pending.delete(key);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    pending.set(key, settle);
    send().catch((error: unknown) => settle(asError(error)));
  });
}
