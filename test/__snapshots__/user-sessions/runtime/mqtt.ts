/**
 * MQTT transport over MQTT.js v5. Addresses are topics (`/` separated, `+` per parameter). MQTT 5
 * carries headers as user properties, the content type, and request/reply through Response Topic +
 * Correlation Data; MQTT 3.1.1 carries the payload only, so a publish that needs more rejects.
 *
 * A QoS 1/2 message is acknowledged (PUBACK/PUBREC) only once its handler resolves. MQTT.js reads
 * a connection's packets one at a time and waits while an acknowledgement is pending, so each
 * subscription gets its own connection: a slow handler holds back only its own subscription, and
 * a handler may publish, request or subscribe through the transport without waiting on itself.
 * Handlers of one subscription therefore run one at a time, in order (QoS 0 ones overlap), and a
 * handler running past 1.5 × keepalive (90 s by default) makes MQTT.js drop that connection.
 * A rejecting handler is retried in-process up to maxDeliveries, then dead-lettered and
 * acknowledged; the broker itself redelivers only after a reconnect, with a persistent session.
 */
import { createHash, randomUUID } from 'node:crypto';
import { connect, type IClientOptions, type IClientPublishOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { AddressPattern } from './address.js';
import { isJsonContentType } from './codec.js';
import { ClosedError, MessagingError, RejectedError, UnavailableError, UnsupportedError, UsageError } from './errors.js';
import {
  asError,
  awaitReply,
  DEFAULT_MAX_DELIVERIES,
  deliverWithRetries,
  type CloudEventsBinding,
  type DeliveryHandler,
  type IncomingMessage,
  type OutgoingMessage,
  type Transport,
  type TransportRequestOptions,
  type TransportSubscribeOptions,
  type TransportSubscription,
} from './transport.js';

export type MqttQoS = 0 | 1 | 2;

/** How the transport behaves, whoever made the client. */
export interface MqttTransportSettings {
  /** QoS of publishes and subscriptions. Default 1. */
  readonly qos?: MqttQoS | undefined;
  /** QoS per published topic, overriding `qos`. */
  readonly qosFor?: ((address: string) => MqttQoS) | undefined;
  /** Handler runs of one message before it is dead-lettered and acknowledged. Default 3. */
  readonly maxDeliveries?: number | undefined;
  /** Default time a request waits for its reply. Default 5000 ms. */
  readonly requestTimeoutMs?: number | undefined;
  /** Publishes waiting for a lost connection; one more rejects. Default 1000. */
  readonly maxOfflineMessages?: number | undefined;
  /** Reconnect delays double from the client's `reconnectPeriod` up to this. Default 30000 ms. */
  readonly maxReconnectPeriodMs?: number | undefined;
  /** Reply topics are `<prefix>/<uuid>`. Default `replies`. */
  readonly responseTopicPrefix?: string | undefined;
  /** Connection errors (MQTT.js reconnects by itself) and errors thrown by `onDeadLetter`. */
  readonly onError?: ((error: Error) => void) | undefined;
}

export interface MqttTransportOptions extends MqttTransportSettings {
  /** Default `mqtt://127.0.0.1:1883`. */
  readonly url?: string | undefined;
  /** 5 (default) or 4 (MQTT 3.1.1). */
  readonly protocolVersion?: 4 | 5 | undefined;
  /** Subscriptions connect as `<clientId>-<hash of their filter>`. Default random. */
  readonly clientId?: string | undefined;
  /** False keeps the session (subscriptions, unacknowledged messages) across reconnects. Default true. */
  readonly clean?: boolean | undefined;
  /** MQTT 5: how long the broker keeps a session after the connection ends. Default 0. */
  readonly sessionExpirySeconds?: number | undefined;
  /** First reconnect delay. Default 1000 ms. */
  readonly reconnectPeriodMs?: number | undefined;
  /** Passed to MQTT.js as they are (auth, TLS, keepalive, will, …); the options above win where given. */
  readonly clientOptions?: IClientOptions | undefined;
}

/** A publish while disconnected when `maxOfflineMessages` publishes already wait: back off and retry. */
export class MqttOfflineError extends UnavailableError {
  constructor(
    readonly address: string,
    readonly waiting: number,
  ) {
    super(`MQTT is disconnected and ${waiting} messages already wait for the connection (maxOfflineMessages); not publishing to "${address}"`);
    this.name = 'MqttOfflineError';
  }
}

/** What MQTT 3.1.1 cannot carry (headers, non-JSON content types, request/reply). */
export class MqttUnsupportedError extends UnsupportedError {
  constructor(message: string) {
    super(`${message}: use protocolVersion 5`);
    this.name = 'MqttUnsupportedError';
  }
}

const RELEASED = new Error('released without acknowledgement');

interface SubscriptionState {
  readonly client: MqttClient;
  readonly clientId: string;
  readonly filter: string;
  readonly pattern: AddressPattern;
  readonly handler: DeliveryHandler;
  readonly options: TransportSubscribeOptions;
  readonly inFlight: Set<Promise<void>>;
  connects: number;
  closing?: Promise<void> | undefined;
}

export async function connectMqtt(options: MqttTransportOptions = {}): Promise<MqttTransport> {
  const version = options.protocolVersion ?? (options.clientOptions?.protocolVersion === 4 ? 4 : 5);
  const clean = options.clean ?? options.clientOptions?.clean ?? true;
  const clientId = options.clientId ?? options.clientOptions?.clientId;
  if (!clean && clientId === undefined) throw new UsageError('MQTT clean: false keeps a session under the client id: pass a stable clientId');
  const properties = { ...options.clientOptions?.properties, ...(options.sessionExpirySeconds === undefined ? {} : { sessionExpiryInterval: options.sessionExpirySeconds }) };
  const client = connect(options.url ?? 'mqtt://127.0.0.1:1883', {
    connectTimeout: 10_000,
    ...options.clientOptions,
    protocolVersion: version,
    clientId: clientId ?? `mqttjs_${randomUUID().slice(0, 8)}`,
    clean,
    reconnectPeriod: options.reconnectPeriodMs ?? options.clientOptions?.reconnectPeriod ?? 1000,
    ...(version === 5 ? { properties } : {}),
  });
  try {
    await opened(client);
  } catch (error) {
    client.end(true);
    throw error;
  }
  return new MqttTransport(client, options);
}

export class MqttTransport implements Transport {
  readonly cloudEvents: CloudEventsBinding;
  readonly system = 'mqtt';
  /** MQTT 3.1.1 has no user properties: trace headers stay off its messages. */
  readonly carriesHeaders: boolean;
  private readonly version: 4 | 5;
  private readonly reconnectPeriod: number;
  private readonly subscriptions = new Set<SubscriptionState>();
  /** Requests waiting for their reply, by correlation id. */
  private readonly pending = new Map<string, (reply: IncomingMessage | Error) => void>();
  private readonly correlation = new WeakMap<IncomingMessage, Buffer>();
  private replyTopic: Promise<string> | undefined;
  private readonly unsettled = new Set<(error: Error) => void>();
  private offline = 0;
  private closing: Promise<void> | undefined;

  /** Wraps a client made elsewhere; subscriptions open their own connections with its options. */
  constructor(
    private readonly client: MqttClient,
    private readonly settings: MqttTransportSettings = {},
  ) {
    this.version = client.options.protocolVersion === 5 ? 5 : 4;
    this.cloudEvents = { headerPrefix: '', binary: this.version === 5 };
    this.carriesHeaders = this.version === 5;
    this.reconnectPeriod = client.options.reconnectPeriod ?? 1000;
    this.watch(client);
    client.on('message', (topic, _payload, packet) => this.replied(topic, packet));
  }

  /** Whether the main connection is up; publishes made while it is down wait (up to maxOfflineMessages). */
  get connected(): boolean {
    return this.client.connected;
  }

  async publish(address: string, message: OutgoingMessage): Promise<void> {
    await this.send(address, message, undefined);
  }

  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    this.assertOpen();
    const filter = topicFilter(pattern, options.group);
    const clientId = this.subscriberId(filter);
    const client = connect({ ...this.subscriberOptions(), clientId });
    const sub: SubscriptionState = { client, clientId, filter, pattern, handler, options, inFlight: new Set(), connects: 0 };
    // Set after construction: MQTT.js drops a customHandleAcks given to an MQTT 3.1.1 client.
    client.options.customHandleAcks = (topic: string, _payload: Buffer, packet: IPublishPacket, done: (error: Error | number) => void) => {
      this.received(sub, topic, packet, (ack) => done(ack ? 0 : RELEASED));
    };
    client.on('message', (topic, _payload, packet) => {
      if (packet.qos === 0) this.received(sub, topic, packet, () => undefined); // QoS 1/2 arrived through customHandleAcks
    });
    client.on('connect', () => (sub.connects += 1));
    this.watch(client);
    this.subscriptions.add(sub);
    try {
      await opened(client);
      const granted = await client.subscribeAsync(filter, { qos: this.settings.qos ?? 1 });
      const code = granted[0]?.qos ?? 128;
      if (code >= 128) throw new RejectedError(`the broker refused it (reason code ${code})`);
    } catch (error) {
      this.subscriptions.delete(sub);
      client.end(true);
      const code = error instanceof MessagingError ? error.code : 'unavailable';
      throw new MessagingError(code, `cannot subscribe to MQTT topic filter "${filter}": ${asError(error).message}`, { cause: error });
    }
    return { close: () => this.closeSubscription(sub, true) };
  }

  async request(address: string, message: OutgoingMessage, options: TransportRequestOptions = {}): Promise<IncomingMessage> {
    this.assertOpen();
    if (this.version !== 5) throw new MqttUnsupportedError('MQTT 3.1.1 has no request/reply (Response Topic, Correlation Data)');
    const correlationId = message.correlationId ?? randomUUID();
    if (this.pending.has(correlationId)) throw new UsageError(`a request with correlation id "${correlationId}" is already waiting`);
    const replyTo = await this.replyTopicName();
    const timeoutMs = options.timeoutMs ?? this.settings.requestTimeoutMs ?? 5000;
    return awaitReply(this.pending, correlationId, timeoutMs, `MQTT request to "${address}"`, () => this.send(address, { ...message, replyTo, correlationId }, undefined));
  }

  async reply(to: IncomingMessage, message: OutgoingMessage): Promise<void> {
    if (to.replyTo === undefined) throw new UsageError(`message on "${to.address}" asked for no reply (it has no Response Topic)`);
    await this.send(to.replyTo, { ...message, correlationId: to.correlationId }, this.correlation.get(to));
  }

  /** Drains every subscription's handlers and disconnects. Subscriptions stay on the broker for a persistent session. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => this.closeSubscription(s, false)));
      for (const settle of this.pending.values()) settle(new ClosedError('MQTT transport closed before the reply came'));
      const replyTopic = await this.replyTopic?.catch(() => undefined);
      if (replyTopic !== undefined && this.client.connected) await this.client.unsubscribeAsync(replyTopic).catch(() => undefined);
      await end(this.client);
      // MQTT.js keeps what it could not send for a reconnect that will not come now.
      for (const abort of this.unsettled) abort(new ClosedError('MQTT transport closed before the broker took the message'));
    })();
    return this.closing;
  }

  private async send(address: string, message: OutgoingMessage, correlationData: Buffer | undefined): Promise<void> {
    this.assertOpen();
    if (address === '' || /[+#\u0000]/.test(address)) throw new MessagingError('invalid-address', `cannot publish to MQTT topic "${address}": a topic name is non-empty and has no wildcards`);
    const options: IClientPublishOptions = { qos: this.settings.qosFor?.(address) ?? this.settings.qos ?? 1 };
    const properties = this.properties(address, message, correlationData);
    if (properties !== undefined) options.properties = properties;
    const offline = !this.client.connected;
    if (offline) {
      const max = this.settings.maxOfflineMessages ?? 1000;
      if (this.offline >= max) throw new MqttOfflineError(address, max);
      this.offline += 1;
    }
    const payload = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength);
    let abort: (error: Error) => void = () => undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        abort = reject;
        this.unsettled.add(abort);
        this.client.publishAsync(address, payload, options).then(() => resolve(), reject);
      });
    } finally {
      this.unsettled.delete(abort);
      if (offline) this.offline -= 1;
    }
  }

  /** Headers, content type and reply metadata as MQTT 5 properties; MQTT 3.1.1 has nowhere to put them. */
  private properties(address: string, message: OutgoingMessage, correlationData: Buffer | undefined): IClientPublishOptions['properties'] {
    const names = Object.keys(message.headers);
    if (this.version !== 5) {
      const lost = [
        ...(names.length > 0 ? [`headers (${names.join(', ')})`] : []),
        // Receivers read a payload without content type as JSON, so only JSON may leave it out.
        ...(message.contentType !== undefined && !isJsonContentType(message.contentType) ? [`content type "${message.contentType}"`] : []),
        ...(message.replyTo !== undefined || message.correlationId !== undefined ? ['reply topic and correlation id'] : []),
      ];
      if (lost.length > 0) throw new MqttUnsupportedError(`MQTT 3.1.1 cannot carry the ${lost.join(', ')} of a message to "${address}"`);
      return undefined;
    }
    const correlation = correlationData ?? (message.correlationId === undefined ? undefined : Buffer.from(message.correlationId));
    return {
      ...(names.length > 0 ? { userProperties: { ...message.headers } } : {}),
      ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
      ...(message.replyTo === undefined ? {} : { responseTopic: message.replyTo }),
      ...(correlation === undefined ? {} : { correlationData: correlation }),
    };
  }

  /** Runs the handler, then acknowledges; `settle(false)` lets MQTT.js read on without acknowledging. */
  private received(sub: SubscriptionState, topic: string, packet: IPublishPacket, settle: (ack: boolean) => void): void {
    if (sub.closing !== undefined) return settle(false);
    if (sub.pattern.match(topic) === undefined) return settle(true); // a `+` widened for a shared segment
    const connects = sub.connects;
    const run = this.deliver(sub, topic, packet)
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        sub.inFlight.delete(run);
        // After a reconnect the old packet id means nothing; the broker redelivers with a persistent session.
        if (sub.connects === connects && sub.client.connected) settle(true);
      });
    sub.inFlight.add(run);
  }

  /** Retries a rejecting handler in-process up to maxDeliveries, then dead-letters; never throws. */
  private async deliver(sub: SubscriptionState, topic: string, packet: IPublishPacket): Promise<void> {
    const max = sub.options.maxDeliveries ?? this.settings.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
    const onDeadLetter = sub.options.onDeadLetter;
    await deliverWithRetries((attempt) => this.incoming(topic, packet, attempt), sub.handler, {
      max,
      first: packet.dup ? 2 : 1,
      onDeadLetter: onDeadLetter
        ? (message, error) => {
            try {
              onDeadLetter(message, error);
            } catch (thrown) {
              this.report(thrown);
            }
          }
        : undefined,
    });
  }

  private incoming(topic: string, packet: IPublishPacket, deliveryAttempt: number): IncomingMessage {
    const p = packet.properties;
    // A name sent twice arrives as a list; fromEntries keeps a name like `__proto__` as plain data.
    const headers = Object.fromEntries(Object.entries(p?.userProperties ?? {}).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : value]));
    const message: IncomingMessage = {
      address: topic,
      payload: typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
      headers,
      contentType: p?.contentType,
      deliveryAttempt,
      replyTo: p?.responseTopic,
      correlationId: p?.correlationData?.toString('utf8'),
    };
    // Replies echo the requester's bytes, even ones that are not UTF-8.
    if (p?.correlationData !== undefined) this.correlation.set(message, p.correlationData);
    return message;
  }

  private replied(topic: string, packet: IPublishPacket): void {
    const correlationId = packet.properties?.correlationData?.toString('utf8');
    if (correlationId === undefined) return;
    this.pending.get(correlationId)?.(this.incoming(topic, packet, 1));
  }

  /** One subscription per transport on a `<prefix>/<uuid>` topic; correlation data tells requests apart. */
  private replyTopicName(): Promise<string> {
    this.replyTopic ??= (async () => {
      const topic = `${this.settings.responseTopicPrefix ?? 'replies'}/${randomUUID()}`;
      const granted = await this.client.subscribeAsync(topic, { qos: this.settings.qos ?? 1 });
      if ((granted[0]?.qos ?? 128) >= 128) throw new RejectedError(`the broker refused a subscription to the reply topic "${topic}"`);
      return topic;
    })().catch((error: unknown) => {
      this.replyTopic = undefined;
      throw error;
    });
    return this.replyTopic;
  }

  private closeSubscription(sub: SubscriptionState, unsubscribe: boolean): Promise<void> {
    sub.closing ??= (async () => {
      while (sub.inFlight.size > 0) await Promise.allSettled([...sub.inFlight]);
      if (unsubscribe && sub.client.connected) await sub.client.unsubscribeAsync(sub.filter).catch((error: unknown) => this.report(error));
      await end(sub.client);
      this.subscriptions.delete(sub);
    })();
    return sub.closing;
  }

  /** Stable per filter, so a persistent session finds its subscription again after a restart. */
  private subscriberId(filter: string): string {
    const base = `${this.client.options.clientId ?? 'codegen'}-${createHash('sha256').update(filter).digest('hex').slice(0, 8)}`;
    const taken = new Set([...this.subscriptions].map((s) => s.clientId));
    let id = base;
    for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
    return id;
  }

  private subscriberOptions(): IClientOptions {
    const options: IClientOptions = { ...this.client.options, reconnectPeriod: this.reconnectPeriod };
    // Stores and the will belong to the main connection.
    delete options.incomingStore;
    delete options.outgoingStore;
    delete options.will;
    return options;
  }

  /** Reports errors and doubles the reconnect delay while the broker stays away. */
  private watch(client: MqttClient): void {
    client.on('error', (error) => {
      if (error !== RELEASED) this.report(error);
    });
    const max = Math.max(this.settings.maxReconnectPeriodMs ?? 30_000, this.reconnectPeriod);
    client.on('reconnect', () => {
      client.options.reconnectPeriod = Math.min(max, (client.options.reconnectPeriod ?? this.reconnectPeriod) * 2);
    });
    client.on('connect', () => {
      client.options.reconnectPeriod = this.reconnectPeriod;
    });
  }

  private report(error: unknown): void {
    this.settings.onError?.(asError(error));
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new ClosedError('MQTT transport is closed');
  }
}

function topicFilter(pattern: AddressPattern, group: string | undefined): string {
  const filter = pattern.toWildcard('/', '+');
  if (group === undefined) return filter;
  if (group === '' || /[/+#]/.test(group)) throw new UsageError(`MQTT shared subscription group "${group}" must be non-empty without "/", "+" or "#"`);
  return `$share/${group}/${filter}`;
}

/** Resolves on the first CONNACK; rejects on the first error or after connectTimeout. */
function opened(client: MqttClient): Promise<void> {
  if (client.connected) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timeoutMs = client.options.connectTimeout ?? 30_000;
    const timer = setTimeout(() => done(new Error(`no MQTT connection within ${timeoutMs} ms`)), timeoutMs);
    const onConnect = (): void => done(undefined);
    const onError = (error: Error): void => done(error);
    const done = (error: Error | undefined): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      if (error === undefined) resolve();
      else reject(new UnavailableError(`cannot connect to MQTT broker: ${error.message}`, { cause: error }));
    };
    client.on('connect', onConnect);
    client.on('error', onError);
  });
}

/** Disconnects politely when connected (pending acknowledgements finish first), at once otherwise. */
async function end(client: MqttClient): Promise<void> {
  if (!client.connected) return client.endAsync(true);
  // A polite end waits for acknowledgements forever if the connection drops meanwhile.
  await Promise.race([client.endAsync(), new Promise<void>((resolve) => client.once('close', () => resolve()))]);
}
