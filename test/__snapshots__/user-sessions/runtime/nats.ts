/**
 * NATS adapter. Addresses are subjects (`{param}` becomes `*`), wire headers are NATS headers and
 * the content type travels as a `Content-Type` header, spelled as the CloudEvents NATS binding
 * spells it: NATS header lookups are case-sensitive in some clients (libnats), so any NATS client
 * can read what this one sends. A binary-mode CloudEvent carries its data content type as
 * `ce-datacontenttype` instead, like every other attribute (NATS binding 3.1.3.1). Two modes:
 *
 * - Core NATS (no `jetstream` option): at-most-once. Core NATS cannot redeliver, so a handler that
 *   rejects is retried in this process, `redeliveryDelayMs` apart, up to `maxDeliveries` times
 *   (`deliveryAttempt` counts up), then the message goes to `onDeadLetter`. A `group` is a queue group.
 * - JetStream (`jetstream` set): publish resolves once a stream stored the message; subscriptions
 *   are consumers with explicit ack, broker redelivery and dead-lettering (see nats-jetstream.ts).
 *   A `group` is a durable consumer shared by its members; without one, an ephemeral consumer.
 *   Request/reply then goes through the stream too, the inbox riding in a `reply-to` header. (In core
 *   mode, keep request subjects out of streams: a stream would answer a core request with its ack.)
 *
 * The client reconnects by itself; core subscriptions are renewed and consumers resume pulling. While it is disconnected, publish, request and
 * reply wait for the connection (at most `publishWaitMs`, at most `maxWaitingPublishes` of them)
 * and then send; past either bound they reject with `NatsUnavailableError`. They never write into a
 * connection known to be down, where the NATS client would drop the message without a word.
 */
import {
  connect,
  headers as natsHeaders,
  NoRespondersError as NatsNoResponders,
  TimeoutError as NatsTimeout,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type NodeConnectionOptions,
} from '@nats-io/transport-node';
import type { AddressPattern } from './address.js';
import { ClosedError, NoRespondersError, TimeoutError, UnavailableError, UsageError } from './errors.js';
import { NatsJetStream, type JetStreamSubscribeRequest, type NatsJetStreamOptions } from './nats-jetstream.js';
import {
  DEFAULT_MAX_DELIVERIES,
  deliver,
  type DeliveryHandler,
  type IncomingMessage,
  type OutgoingMessage,
  type Transport,
  type TransportRequestOptions,
  type TransportSubscribeOptions,
  type TransportSubscription,
} from './transport.js';

export type { NatsJetStreamOptions, NatsStreamDefinition } from './nats-jetstream.js';

/** What a NatsTransport does on top of a connection, whoever opened it. */
export interface NatsTransportSettings {
  /** Use JetStream for publish and subscribe (persistence, broker redelivery, durable groups). */
  readonly jetstream?: NatsJetStreamOptions | undefined;
  /** Deliveries of a message whose handler rejects, unless a subscription sets its own. Default 3. */
  readonly maxDeliveries?: number | undefined;
  /** Wait between deliveries of a rejected message (JetStream: the nak delay). Default 200 ms. */
  readonly redeliveryDelayMs?: number | undefined;
  /** Default time a request waits for its reply, and a JetStream publish for its ack. Default 5000 ms. */
  readonly requestTimeoutMs?: number | undefined;
  /** How long publish, request and reply wait for a lost connection to come back. Default 5000 ms. */
  readonly publishWaitMs?: number | undefined;
  /** Sends allowed to wait for the connection at once; more reject at once. Default 10 000. */
  readonly maxWaitingPublishes?: number | undefined;
  /** Close the connection in `close()`. Default true; set false for a connection you share. */
  readonly closeConnection?: boolean | undefined;
}

export interface NatsReconnectOptions {
  /** Wait before the second attempt; the first is immediate. Doubles each attempt. Default 250 ms. */
  readonly initialDelayMs?: number | undefined;
  /** Ceiling of the doubling wait. Default 8000 ms. */
  readonly maxDelayMs?: number | undefined;
  /** Random extra wait of up to this much, so clients do not come back all at once. Default 250 ms. */
  readonly jitterMs?: number | undefined;
  /** Attempts per server before giving up. Default: never give up. */
  readonly maxAttempts?: number | undefined;
}

export interface NatsTransportOptions extends NatsTransportSettings {
  /** Default `127.0.0.1:4222`. */
  readonly servers?: string | readonly string[] | undefined;
  /** Client name shown by the server's monitoring. */
  readonly name?: string | undefined;
  readonly reconnect?: NatsReconnectOptions | undefined;
  /** Raw client options (user/pass, token, TLS, authenticator…); they win over the ones above. */
  readonly connection?: NodeConnectionOptions | undefined;
}

/** A send that could not wait any longer for a lost connection; nothing was sent. */
export class NatsUnavailableError extends UnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'NatsUnavailableError';
  }
}

/** Header names as written; read whatever their case. */
const CONTENT_TYPE = 'Content-Type';
const CORRELATION_ID = 'correlation-id';
/** JetStream uses the NATS reply subject for its own acks, so there replyTo rides in a header. */
const REPLY_TO = 'reply-to';
/** Binary-mode CloudEvents: `specversion` marks one, and the data content type is an attribute header. */
const CE_SPECVERSION = 'ce-specversion';
const CE_DATACONTENTTYPE = 'ce-datacontenttype';
const CONTENT_TYPE_LOWER = CONTENT_TYPE.toLowerCase();

/**
 * The header block of a message that carries only its content type, one per content type: the
 * NATS client only reads a header object when it publishes, so core publishes share it.
 */
const contentTypeOnly = new Map<string, MsgHdrs>();

function hasAny(headers: object): boolean {
  for (const _ in headers) return true;
  return false;
}

function toNatsHeaders(message: OutgoingMessage, replyInHeader: boolean): MsgHdrs {
  const h = natsHeaders();
  let binaryEvent = false;
  for (const [key, value] of Object.entries(message.headers)) {
    h.set(key, value);
    if (key.toLowerCase() === CE_SPECVERSION) binaryEvent = true;
  }
  if (message.contentType !== undefined) h.set(binaryEvent ? CE_DATACONTENTTYPE : CONTENT_TYPE, message.contentType);
  if (message.correlationId !== undefined) h.set(CORRELATION_ID, message.correlationId);
  if (replyInHeader && message.replyTo !== undefined) h.set(REPLY_TO, message.replyTo);
  return h;
}

/** Sets an own property whatever the key (`__proto__` included), as Object.fromEntries would. */
function put(target: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function toIncoming(subject: string, data: Uint8Array, hdrs: MsgHdrs | undefined, deliveryAttempt: number, reply?: string | undefined): IncomingMessage {
  const headers: Record<string, string> = {};
  // The reserved headers, each the last of its name whatever its case.
  let contentType: string | undefined;
  let correlationId: string | undefined;
  let replyTo: string | undefined;
  let dataContentType: string | undefined;
  let binaryEvent = false;
  try {
    if (hdrs !== undefined) {
      for (const [key, values] of hdrs) {
        const value = values.length === 1 ? (values[0] ?? '') : values.join(', ');
        const lower = key.toLowerCase();
        if (lower === CONTENT_TYPE_LOWER) contentType = value;
        else if (lower === CORRELATION_ID) correlationId = value;
        else if (lower === REPLY_TO) replyTo = value;
        else if (lower === CE_DATACONTENTTYPE) dataContentType = value;
        else {
          if (lower === CE_SPECVERSION) binaryEvent = true;
          put(headers, key, value);
        }
      }
    }
  } catch {
    // a header block the client cannot read: deliver what was read rather than lose the message
  }
  // A binary-mode event's data content type is its `ce-datacontenttype`; a `Content-Type` wins where a sender adds both.
  const binaryType = binaryEvent ? dataContentType : undefined;
  if (binaryType === undefined && dataContentType !== undefined) headers[CE_DATACONTENTTYPE] = dataContentType;
  return {
    address: subject,
    payload: data,
    headers,
    contentType: contentType ?? binaryType,
    correlationId,
    replyTo: reply !== undefined && reply !== '' ? reply : replyTo,
    deliveryAttempt,
  };
}

function requestError(address: string, timeoutMs: number, error: unknown): Error {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof NatsNoResponders) return new NoRespondersError(address, { cause: error });
    if (e instanceof NatsTimeout) return new TimeoutError(`request to "${address}" timed out after ${timeoutMs} ms`, timeoutMs, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

const DONE: Promise<void> = Promise.resolve();

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class NatsTransport implements Transport {
  readonly cloudEvents = { headerPrefix: 'ce-', binary: true };
  readonly system = 'nats';
  private readonly jetStream: NatsJetStream | undefined;
  private readonly subscriptions = new Set<TransportSubscription>();
  private readonly waiters = new Set<Waiter>();
  private disconnected = false;
  private closing: Promise<void> | undefined;
  /** Set once subscriptions have drained: handlers finishing during close may still publish and reply. */
  private closed = false;

  /** Wraps a connection you opened; `close()` closes it unless `closeConnection` is false. */
  constructor(
    readonly connection: NatsConnection,
    private readonly settings: NatsTransportSettings = {},
  ) {
    this.jetStream = settings.jetstream ? new NatsJetStream(connection, settings.jetstream, () => this.connected) : undefined;
    void this.watch();
  }

  /** False while the client is reconnecting (and after the connection closed). */
  get connected(): boolean {
    return !this.disconnected && !this.connection.isClosed();
  }

  /** Resolves once JetStream is reachable and `ensureStream` is done (connectNats awaits it). */
  async ready(): Promise<void> {
    await this.jetStream?.ready();
  }

  publish(address: string, message: OutgoingMessage): Promise<void> {
    if (this.jetStream || this.disconnected || this.closed || this.connection.isClosed()) return this.publishWaiting(address, message);
    // Connected, the publish goes into the client's buffer in this same tick, so publishes issued
    // together leave in one socket write; awaiting first would give each its own. Not `async`: a
    // core publish costs no promise of its own.
    try {
      this.publishCore(address, message);
      return DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async publishWaiting(address: string, message: OutgoingMessage): Promise<void> {
    if (this.disconnected || this.closed || this.connection.isClosed()) await this.whenConnected(`publish to "${address}"`);
    if (this.jetStream) return this.jetStream.publish(address, message.payload, toNatsHeaders(message, true), this.settings.requestTimeoutMs ?? 5000);
    this.publishCore(address, message);
  }

  private publishCore(address: string, message: OutgoingMessage): void {
    const contentType = message.contentType;
    let headers: MsgHdrs | undefined;
    if (contentType !== undefined && message.correlationId === undefined && !hasAny(message.headers)) {
      headers = contentTypeOnly.get(contentType);
      if (headers === undefined) {
        headers = toNatsHeaders(message, false);
        if (contentTypeOnly.size < 64) contentTypeOnly.set(contentType, headers);
      }
    } else headers = toNatsHeaders(message, false);
    this.connection.publish(address, message.payload, message.replyTo === undefined ? { headers } : { headers, reply: message.replyTo });
  }

  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    if (this.closing) throw new ClosedError('NatsTransport is closed');
    const common = {
      pattern,
      handler,
      group: options.group,
      maxDeliveries: options.maxDeliveries ?? this.settings.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
      redeliveryDelayMs: this.settings.redeliveryDelayMs ?? 200,
      onDeadLetter: options.onDeadLetter,
    };
    const filterSubject = pattern.toWildcard('.', '*');
    const subscription = this.jetStream
      ? await this.jetStream.subscribe({ ...common, filterSubject, decode: (subject, data, hdrs, attempt) => toIncoming(subject, data, hdrs, attempt) })
      : await this.subscribeCore(filterSubject, common);
    const tracked: TransportSubscription = {
      close: async () => {
        this.subscriptions.delete(tracked);
        await subscription.close();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  async request(address: string, message: OutgoingMessage, options: TransportRequestOptions = {}): Promise<IncomingMessage> {
    const timeoutMs = options.timeoutMs ?? this.settings.requestTimeoutMs ?? 5000;
    await this.whenConnected(`request to "${address}"`);
    try {
      const reply = this.jetStream
        ? await this.jetStream.request(address, message.payload, (inbox) => toNatsHeaders({ ...message, replyTo: inbox }, true), timeoutMs)
        : await this.connection.request(address, message.payload, { timeout: timeoutMs, headers: toNatsHeaders(message, false) });
      return toIncoming(reply.subject, reply.data, reply.headers, 1);
    } catch (error) {
      throw requestError(address, timeoutMs, error);
    }
  }

  /** Replies go over core NATS to the requester's inbox, in both modes. */
  async reply(to: IncomingMessage, message: OutgoingMessage): Promise<void> {
    if (to.replyTo === undefined) throw new UsageError(`message on "${to.address}" asked for no reply`);
    await this.whenConnected(`reply to "${to.address}"`);
    const correlationId = message.correlationId ?? to.correlationId;
    this.connection.publish(to.replyTo, message.payload, { headers: toNatsHeaders({ ...message, correlationId, replyTo: undefined }, false) });
  }

  /** Closes every subscription (waiting for in-flight handlers and their acks), then the connection. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
      this.closed = true;
      for (const w of this.waiters) w.reject(new NatsUnavailableError('NatsTransport closed while waiting for the connection'));
      this.waiters.clear();
      const nc = this.connection;
      if (nc.isClosed()) return;
      if (this.settings.closeConnection === false) await nc.flush().catch(() => undefined);
      else if (this.disconnected) await nc.close();
      else await nc.drain().catch(() => nc.close()); // drain sends what is buffered (acks included) first
    })();
    return this.closing;
  }

  private async subscribeCore(subject: string, s: Omit<JetStreamSubscribeRequest, 'filterSubject' | 'decode'>): Promise<TransportSubscription> {
    // Messages in flight are counted, not kept: close() waits for the count to reach zero.
    let inFlight = 0;
    let idle: (() => void) | undefined;
    let drained: Promise<void> | undefined;
    const settled = (): void => {
      if (--inFlight === 0) idle?.();
    };
    let closed = false;
    // After close, no one is left to deliver it to: it is dead-lettered at once.
    const retries = { max: s.maxDeliveries, delayMs: s.redeliveryDelayMs, stopped: () => closed, onDeadLetter: s.onDeadLetter };
    const receive = (msg: Msg): void => {
      try {
        if (s.pattern.match(msg.subject) === undefined) return; // the wildcard was wider than the address
        const first = toIncoming(msg.subject, msg.data, msg.headers, 1, msg.reply);
        inFlight++;
        deliver(first, s.handler, retries, settled);
      } catch {
        // nothing above throws by design; a subscription must outlive any message
      }
    };
    const sub = this.connection.subscribe(subject, {
      ...(s.group === undefined ? {} : { queue: s.group }),
      callback: (error, msg) => {
        if (error || closed) return;
        receive(msg);
      },
    });
    // The server knows the interest once flushed, so a publish after subscribe() resolves is received.
    if (!this.disconnected) await this.connection.flush().catch(() => undefined);
    return {
      close: async () => {
        closed = true;
        if (!sub.isClosed()) sub.unsubscribe();
        if (inFlight > 0) await (drained ??= new Promise<void>((resolve) => (idle = resolve)));
      },
    };
  }

  private async whenConnected(what: string): Promise<void> {
    if (this.closed || this.connection.isClosed()) throw new ClosedError(`cannot ${what}: NatsTransport is closed`);
    if (!this.disconnected) return;
    const waitMs = this.settings.publishWaitMs ?? 5000;
    if (this.waiters.size >= (this.settings.maxWaitingPublishes ?? 10_000)) {
      throw new NatsUnavailableError(`cannot ${what}: NATS is disconnected and ${this.waiters.size} sends already wait for it`);
    }
    let waiter: Waiter | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = { resolve, reject };
        this.waiters.add(waiter);
        timer = setTimeout(() => reject(new NatsUnavailableError(`cannot ${what}: NATS is disconnected and did not come back within ${waitMs} ms`)), waitMs);
      });
    } finally {
      clearTimeout(timer);
      if (waiter) this.waiters.delete(waiter);
    }
  }

  /** Follows the connection's state; the client reports it before it drops anything written while down. */
  private async watch(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect') this.disconnected = true;
      if (status.type === 'reconnect') {
        this.disconnected = false;
        const waiting = [...this.waiters];
        this.waiters.clear();
        for (const w of waiting) w.resolve();
      }
    }
    this.disconnected = true;
    for (const w of this.waiters) w.reject(new NatsUnavailableError('the NATS connection closed'));
    this.waiters.clear();
  }
}

/** Connects with reconnection that never gives up (exponential backoff with jitter) and returns the transport. */
export async function connectNats(options: NatsTransportOptions = {}): Promise<NatsTransport> {
  const r = options.reconnect ?? {};
  const initial = r.initialDelayMs ?? 250;
  let attempt = 0;
  let jitter = { attempt: -1, ms: 0 };
  const servers = options.servers ?? '127.0.0.1:4222';
  const nc = await connect({
    servers: typeof servers === 'string' ? servers : [...servers],
    ...(options.name === undefined ? {} : { name: options.name }),
    reconnect: true,
    maxReconnectAttempts: r.maxAttempts === undefined || r.maxAttempts === Infinity ? -1 : r.maxAttempts,
    // The client asks again while it waits; a jitter fixed per attempt keeps the wait from moving.
    reconnectDelayHandler: () => {
      if (jitter.attempt !== attempt) jitter = { attempt, ms: Math.random() * (r.jitterMs ?? 250) };
      return Math.min(r.maxDelayMs ?? 8000, initial * 2 ** Math.max(0, attempt - 1)) + jitter.ms;
    },
    ...options.connection,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'reconnecting') attempt++;
      if (status.type === 'reconnect') attempt = 0;
    }
  })();
  const transport = new NatsTransport(nc, options);
  try {
    await transport.ready();
  } catch (error) {
    await nc.close();
    throw error;
  }
  return transport;
}
