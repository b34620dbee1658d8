/**
 * The one seam between generated clients and message brokers. An adapter (in-memory, NATS, MQTT,
 * AMQP, Kafka, HTTP webhooks) moves bytes and headers; the generated client does typing,
 * validation, encoding and routing. Handlers acknowledge by resolving and reject to ask for
 * redelivery, so every broker's ack/nack maps onto a promise.
 */
import type { AddressPattern } from './address.js';
import type { MessagingError } from './errors.js';

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
