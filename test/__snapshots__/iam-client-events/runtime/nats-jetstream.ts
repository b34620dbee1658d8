/**
 * The JetStream half of the NATS adapter: streams store what is published, and pull consumers
 * with explicit acknowledgement turn a handler's promise into ack (resolved), nak with a delay
 * (rejected: the server redelivers) or term plus `onDeadLetter` (rejected `maxDeliveries` times).
 */
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type JetStreamOptions,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import { createInbox, NoRespondersError, nanos, nuid, TimeoutError, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { AddressPattern } from './address.js';
import { MessagingError, TimeoutError as RuntimeTimeoutError } from './errors.js';
import type { DeliveryHandler, IncomingMessage, TransportSubscription } from './transport.js';

export interface NatsStreamDefinition {
  readonly name: string;
  readonly subjects: readonly string[];
  /** The rest of the stream's configuration (retention, storage, `max_age` in nanoseconds…), used when it is created. */
  readonly config?: Partial<StreamConfig> | undefined;
}

export interface NatsJetStreamOptions {
  /** The stream every subscription consumes from. Default: the one stream whose subjects cover the subscription. */
  readonly stream?: string | undefined;
  /** Created when missing (subjects added when it exists), so a service can start on an empty server. */
  readonly ensureStream?: NatsStreamDefinition | undefined;
  /** How long the server waits for an ack before redelivering; a handler still running keeps extending it. Default 30 000. */
  readonly ackWaitMs?: number | undefined;
  /** Unacknowledged messages one consumer holds at a time, which bounds concurrent handlers. Default 1000. */
  readonly maxAckPending?: number | undefined;
  /** Where a new consumer starts: messages published from now on (`new`, the default) or the whole stream (`all`). */
  readonly deliverPolicy?: 'new' | 'all' | undefined;
  /** Name of a group's durable consumer. Default: the group name (characters NATS forbids become `_`). */
  readonly durableName?: ((group: string, filterSubject: string) => string) | undefined;
  /** How long the server keeps an ungrouped consumer whose client went away. Default 300 000 (5 min). */
  readonly ephemeralInactiveMs?: number | undefined;
  /** JetStream domain, API prefix and API timeout. */
  readonly client?: JetStreamOptions | undefined;
}

/** What the transport hands over for one subscription. */
export interface JetStreamSubscribeRequest {
  readonly pattern: AddressPattern;
  readonly filterSubject: string;
  readonly handler: DeliveryHandler;
  readonly group?: string | undefined;
  readonly maxDeliveries: number;
  readonly redeliveryDelayMs: number;
  readonly onDeadLetter?: ((message: IncomingMessage, error: unknown) => void) | undefined;
  /** Turns a stored message into what the handler sees (headers, content type, delivery attempt). */
  readonly decode: (subject: string, data: Uint8Array, headers: MsgHdrs | undefined, deliveryAttempt: number) => IncomingMessage;
}

interface Context {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

function hasCause(error: unknown, kind: typeof NoRespondersError | typeof TimeoutError): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof kind) return true;
  return false;
}

/** Calls the user's dead-letter callback; a throwing callback must not break the consumer. */
export function deadLetter(callback: ((message: IncomingMessage, error: unknown) => void) | undefined, message: IncomingMessage, error: unknown): void {
  try {
    callback?.(message, error);
  } catch {
    // the message is already given up; nothing else can be done with the callback's own failure
  }
}

export async function ensureStream(jsm: JetStreamManager, stream: NatsStreamDefinition): Promise<void> {
  try {
    const info = await jsm.streams.info(stream.name);
    const subjects = info.config.subjects ?? [];
    const missing = stream.subjects.filter((s) => !subjects.includes(s));
    if (missing.length > 0) await jsm.streams.update(stream.name, { ...info.config, subjects: [...subjects, ...missing] });
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add({ ...stream.config, name: stream.name, subjects: [...stream.subjects] });
  }
}

export class NatsJetStream {
  private context: Promise<Context> | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly options: NatsJetStreamOptions,
    private readonly connected: () => boolean,
  ) {}

  /** Connects to the JetStream API and ensures the configured stream; retried on the next call after a failure. */
  ready(): Promise<Context> {
    this.context ??= (async () => {
      const jsm = await jetstreamManager(this.connection, this.options.client ?? {});
      if (this.options.ensureStream) await ensureStream(jsm, this.options.ensureStream);
      return { jsm, js: jetstream(this.connection, this.options.client ?? {}) };
    })();
    this.context.catch(() => {
      this.context = undefined;
    });
    return this.context;
  }

  /** Resolves once a stream has stored the message. */
  async publish(subject: string, payload: Uint8Array, headers: MsgHdrs, timeoutMs: number): Promise<void> {
    const { js } = await this.ready();
    try {
      await js.publish(subject, payload, { headers, timeout: timeoutMs });
    } catch (error) {
      if (hasCause(error, NoRespondersError)) {
        throw new MessagingError('unroutable', `no JetStream stream stores subject "${subject}": create one (or set jetstream.ensureStream), or publish without JetStream`, { cause: error });
      }
      // The client's own message is a bare "timeout"; say what is unknown: whether the stream stored it.
      if (hasCause(error, TimeoutError)) {
        throw new RuntimeTimeoutError(`JetStream did not acknowledge the publish to "${subject}" within ${timeoutMs} ms (the connection may have been lost): it may or may not be stored`, timeoutMs, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * A stored request carries its inbox in a `reply-to` header (`headersFor` puts it there): the
   * NATS reply subject of a JetStream publish receives the stream's ack, not the answer.
   */
  async request(subject: string, payload: Uint8Array, headersFor: (inbox: string) => MsgHdrs, timeoutMs: number): Promise<Msg> {
    const inbox = createInbox();
    let sub: Subscription | undefined;
    const reply = new Promise<Msg>((resolve, reject) => {
      sub = this.connection.subscribe(inbox, { max: 1, timeout: timeoutMs, callback: (error, msg) => (error ? reject(error) : resolve(msg)) });
    });
    reply.catch(() => undefined); // awaited below; a failed publish must not leave it unhandled
    try {
      await this.publish(subject, payload, headersFor(inbox), timeoutMs);
      return await reply;
    } finally {
      if (sub && !sub.isClosed()) sub.unsubscribe();
    }
  }

  async subscribe(request: JetStreamSubscribeRequest): Promise<TransportSubscription> {
    const { js, jsm } = await this.ready();
    const stream = this.options.stream ?? (await this.streamFor(jsm, request.filterSubject));
    const ackWaitMs = this.options.ackWaitMs ?? 30_000;
    const config: Partial<ConsumerConfig> = {
      ack_policy: AckPolicy.Explicit,
      deliver_policy: this.options.deliverPolicy === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
      filter_subject: request.filterSubject,
      ack_wait: nanos(ackWaitMs),
      max_ack_pending: this.options.maxAckPending ?? 1000,
    };
    let name: string;
    const ephemeral = request.group === undefined;
    if (request.group === undefined) {
      name = `ephemeral_${nuid.next()}`;
      await jsm.consumers.add(stream, { ...config, name, inactive_threshold: nanos(this.options.ephemeralInactiveMs ?? 300_000) });
    } else {
      name = this.options.durableName?.(request.group, request.filterSubject) ?? request.group.replace(/[\s.*>/\\]/g, '_');
      await this.ensureDurable(jsm, stream, name, config);
    }
    const inFlight = new Set<Promise<void>>();
    let closed = false;
    const consumer = await js.consumers.get(stream, name);
    const messages = await consumer.consume({
      callback: (m) => {
        if (closed) return m.nak(); // hand it back at once, to a group member still listening
        const run = this.deliver(request, m, ackWaitMs);
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
      },
    });
    let closing: Promise<void> | undefined;
    return {
      close: () => {
        closing ??= (async () => {
          closed = true;
          await messages.close().catch(() => undefined);
          await Promise.allSettled([...inFlight]);
          // An ungrouped consumer is of no use to anyone else; the server would drop it after inactive_threshold anyway.
          if (ephemeral && this.connected()) await jsm.consumers.delete(stream, name).catch(() => undefined);
        })();
        return closing;
      },
    };
  }

  private async deliver(request: JetStreamSubscribeRequest, m: JsMsg, ackWaitMs: number): Promise<void> {
    try {
      const attempt = m.info.deliveryCount;
      const message = request.decode(m.subject, m.data, m.headers, attempt);
      if (request.pattern.match(m.subject) === undefined) return m.ack(); // the wildcard was wider than the address
      if (attempt > request.maxDeliveries) {
        // Only an ack that never came (a crash, a lost connection) gets here: rejections stop at maxDeliveries.
        m.term();
        return deadLetter(request.onDeadLetter, message, new Error(`delivered ${attempt} times, more than maxDeliveries (${request.maxDeliveries})`));
      }
      const keepAlive = setInterval(() => m.working(), Math.max(500, ackWaitMs / 2));
      try {
        await request.handler(message);
        m.ack();
      } catch (error) {
        if (attempt >= request.maxDeliveries) {
          m.term();
          deadLetter(request.onDeadLetter, message, error);
        } else {
          m.nak(request.redeliveryDelayMs);
        }
      } finally {
        clearInterval(keepAlive);
      }
    } catch {
      // ack/nak on a closed connection: the server redelivers after ack_wait
    }
  }

  private async streamFor(jsm: JetStreamManager, subject: string): Promise<string> {
    const names: string[] = [];
    for await (const name of jsm.streams.names(subject)) names.push(name);
    const [only, ...others] = names;
    if (only === undefined) throw new MessagingError('unroutable', `no JetStream stream stores subject "${subject}": create one (or set jetstream.ensureStream)`);
    if (others.length > 0) throw new MessagingError('usage', `several JetStream streams overlap subject "${subject}" (${names.join(', ')}): set jetstream.stream`);
    return only;
  }

  /** Group members share one durable consumer; one already filtering other subjects belongs to someone else. */
  private async ensureDurable(jsm: JetStreamManager, stream: string, name: string, config: Partial<ConsumerConfig>): Promise<void> {
    try {
      const info = await jsm.consumers.info(stream, name);
      const filters = info.config.filter_subjects ?? (info.config.filter_subject === undefined ? [] : [info.config.filter_subject]);
      if (filters.length !== 1 || filters[0] !== config.filter_subject) {
        throw new Error(
          `durable consumer "${name}" on stream "${stream}" receives ${JSON.stringify(filters)}, not "${config.filter_subject ?? ''}": use another group for this channel (or set jetstream.durableName)`,
        );
      }
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
      await jsm.consumers.add(stream, { ...config, durable_name: name });
    }
  }
}
