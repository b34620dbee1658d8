/**
 * AMQP 0-9-1 (RabbitMQ) transport over amqplib. Every address is a routing key on one durable
 * topic exchange, with `/` written as `.` (`tenants/{id}/orders` publishes as `tenants.acme.orders`
 * and subscribes as `tenants.*.orders`). A group shares a durable quorum queue
 * `<exchange>.<group>.<binding key>`; a subscriber without a group gets an exclusive auto-delete
 * queue. A message rejected `maxDeliveries` times goes to `onDeadLetter` and to the dead-letter
 * exchange `<exchange>.dead-letter`, whose queue of the same name keeps it.
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import {
  connect,
  IllegalOperationError,
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type Message,
  type Options,
  type RecoveringChannelModel,
  type RecoveryOptions,
  type SocketOptions,
} from 'amqplib';
import type { AddressPattern } from './address.js';
import { ClosedError, MessagingError, RejectedError, TimeoutError, UnavailableError, UsageError } from './errors.js';
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
import { ATTEMPT_HEADER, KEY_HEADER, QUORUM_COUNT, REPLY_TO, addressReader, bindingKey, text, toIncoming, toRoutingKey } from './amqp-wire.js';

export { bindingKey, toRoutingKey } from './amqp-wire.js';

export interface AmqpTransportOptions {
  /** Broker URL or amqplib connect options. Default `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url?: string | Options.Connect | undefined;
  /** The durable topic exchange all addresses live on. Default `asyncapi`. */
  readonly exchange?: string | undefined;
  /** Unacknowledged messages per subscription. Default 16. */
  readonly prefetch?: number | undefined;
  /** Deliveries of a message whose handler rejects, unless a subscription sets its own. Default 3. */
  readonly maxDeliveries?: number | undefined;
  /** Dead-letter exchange and queue, both `<exchange>.dead-letter` by default; `false` discards instead. */
  readonly deadLetter?: { readonly exchange?: string | undefined; readonly queue?: string | undefined } | false | undefined;
  /** `quorum` (default) lets the broker count deliveries; `classic` counts in a header, for brokers before 3.8. */
  readonly groupQueueType?: 'quorum' | 'classic' | undefined;
  /** Name of a group's durable queue. Default `<exchange>.<group>.<binding key>`. */
  readonly groupQueueName?: ((group: string, bindingKey: string) => string) | undefined;
  /** Fail a publish that no queue is bound for (it would be lost). Default true. */
  readonly mandatory?: boolean | undefined;
  /** Default time a request waits for its reply. Default 5000 ms. */
  readonly requestTimeoutMs?: number | undefined;
  /**
   * How long a publish waits for the broker's confirm on a connection that stays up. Default 30000 ms.
   * A broker that stops answering (a leaderless quorum queue, a partition) would otherwise hold it forever.
   */
  readonly confirmTimeoutMs?: number | undefined;
  /** How long publish, request and subscribe wait for a lost connection to come back. Default 10000 ms. */
  readonly reconnectWaitMs?: number | undefined;
  /** amqplib's reconnect backoff. Default 100 ms doubling to 5 s, forever; 5 retries for the first connection. */
  readonly recovery?: Omit<RecoveryOptions, 'setup' | 'waitForConnect'> | undefined;
  /** Passed to amqplib as socket options (TLS, keep-alive, client properties, …). */
  readonly socketOptions?: SocketOptions | undefined;
  /** Failures nobody awaits: a lost connection, a channel error, a cancelled consumer. Default `console.warn`. */
  readonly onError?: ((error: Error) => void) | undefined;
}

/** The broker returned a publish because no queue is bound for its routing key. */
export class AmqpUnroutableError extends MessagingError {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
  ) {
    super('unroutable', `no queue is bound for routing key "${routingKey}" on exchange "${exchange}"; the message was not delivered`);
    this.name = 'AmqpUnroutableError';
  }
}

/** The connection is down and did not come back in time, or the transport is closed. */
export class AmqpConnectionError extends UnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'AmqpConnectionError';
  }
}

/** The broker did not confirm in time: the message may or may not be stored, so it is not retried here. */
export class AmqpConfirmTimeoutError extends TimeoutError {
  constructor(
    readonly routingKey: string,
    timeoutMs: number,
  ) {
    super(`the broker did not confirm the message on "${routingKey}" within ${timeoutMs} ms; it may or may not be stored`, timeoutMs);
    this.name = 'AmqpConfirmTimeoutError';
  }
}

/** Ack and nack on a channel that died are moot: the broker redelivers what was not acked. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // channel closed
  }
}

interface Publisher {
  readonly model: ChannelModel;
  readonly channel: ConfirmChannel;
  replies?: Promise<void> | undefined;
}

interface PendingRequest {
  readonly channel: ConfirmChannel;
  readonly resolve: (reply: IncomingMessage) => void;
  readonly reject: (error: Error) => void;
}

interface Subscription {
  readonly pattern: AddressPattern;
  readonly key: string;
  readonly toAddress: (key: string) => string | undefined;
  readonly handler: DeliveryHandler;
  readonly group: string | undefined;
  readonly maxDeliveries: number;
  readonly onDeadLetter: TransportSubscribeOptions['onDeadLetter'];
  readonly inFlight: Set<Promise<void>>;
  model?: ChannelModel | undefined;
  started?: Promise<void> | undefined;
  channel?: Channel | undefined;
  queue?: string | undefined;
  consumerTag?: string | undefined;
  closed: boolean;
}

export class AmqpTransport implements Transport {
  /**
   * CloudEvents 1.0.2's AMQP binding prefixes attributes with `cloudEvents:`; the binding's later
   * text allows `cloudEvents_` too, prefers it (JMS 2.0 property names and selectors cannot hold
   * `:`), and says consumers should understand both. So both are read and `_` is sent.
   */
  readonly cloudEvents: CloudEventsBinding = { headerPrefix: 'cloudEvents_', receivePrefixes: ['cloudEvents:'], binary: true };
  readonly system = 'rabbitmq';
  readonly exchange: string;
  private readonly deadLetter: { readonly exchange: string; readonly queue: string } | undefined;
  private readonly quorum: boolean;
  private readonly subs = new Set<Subscription>();
  private readonly pending = new Map<string, PendingRequest>();
  private readonly returned = new Set<string>();
  private waiters = new Set<(error?: Error) => void>();
  private connection: RecoveringChannelModel | undefined;
  private current: ChannelModel | undefined;
  private publisherFor: ChannelModel | undefined;
  private publisherChannel: Promise<Publisher> | undefined;
  private failure: Error | undefined;
  private closed = false;

  private constructor(private readonly options: AmqpTransportOptions) {
    this.exchange = options.exchange ?? 'asyncapi';
    const dl = options.deadLetter ?? {};
    this.deadLetter = dl === false ? undefined : { exchange: dl.exchange ?? `${this.exchange}.dead-letter`, queue: dl.queue ?? `${this.exchange}.dead-letter` };
    this.quorum = (options.groupQueueType ?? 'quorum') === 'quorum';
  }

  /** Connects, declares the exchanges and resolves once the first connection is set up. */
  static async connect(options: AmqpTransportOptions = {}): Promise<AmqpTransport> {
    const transport = new AmqpTransport(options);
    const connection = await connect(options.url ?? 'amqp://guest:guest@127.0.0.1:5672', {
      noDelay: true, // without it every confirmed publish waits out Nagle and delayed ACK (~40 ms)
      ...options.socketOptions,
      recovery: { initialDelay: 100, maxDelay: 5000, initialMaxRetries: 5, ...options.recovery, waitForConnect: false, setup: (model: ChannelModel) => transport.setup(model) },
    });
    transport.connection = connection;
    connection.on('error', () => undefined); // reported by the model's own listener (see setup)
    connection.on('disconnect', (error: Error) => transport.report(new AmqpConnectionError(`AMQP connection lost (${error.message}); reconnecting`)));
    try {
      await connection.waitForConnect();
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    connection.on('reconnect-failed', (error: Error) => {
      transport.failure = new AmqpConnectionError(`AMQP connection gave up reconnecting: ${error.message}`);
      transport.wake(transport.failure);
      transport.report(transport.failure);
    });
    return transport;
  }

  /** The durable queue a group's members share for `pattern`. */
  groupQueue(group: string, pattern: AddressPattern): string {
    const key = bindingKey(pattern);
    return this.options.groupQueueName?.(group, key) ?? `${this.exchange}.${group}.${key}`;
  }

  /**
   * Resolves once the broker confirmed. A message whose confirm is lost with the connection is
   * sent again, with the same message_id, when the connection is back (at-least-once).
   */
  async publish(address: string, message: OutgoingMessage): Promise<void> {
    const deadline = Date.now() + (this.options.reconnectWaitMs ?? 10_000);
    const messageId = randomUUID();
    for (;;) {
      const pub = await this.publisher(Math.max(0, deadline - Date.now()));
      try {
        return await this.send(pub, this.exchange, toRoutingKey(address), message, this.options.mandatory ?? true, messageId);
      } catch (error) {
        const lost = error instanceof IllegalOperationError || error instanceof AmqpConnectionError;
        if (!lost || Date.now() > deadline) throw error;
        if (this.current === pub.model) await new Promise((resolve) => setTimeout(resolve, 20)); // let the close be noticed
      }
    }
  }

  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    const sub: Subscription = {
      pattern,
      key: bindingKey(pattern),
      toAddress: addressReader(pattern),
      handler,
      group: options.group,
      maxDeliveries: options.maxDeliveries ?? this.options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
      onDeadLetter: options.onDeadLetter,
      inFlight: new Set(),
      closed: false,
    };
    this.subs.add(sub);
    try {
      await this.ensureStarted(sub, await this.model());
    } catch (error) {
      await this.closeSubscription(sub);
      throw error;
    }
    return { close: () => this.closeSubscription(sub) };
  }

  async request(address: string, message: OutgoingMessage, options: TransportRequestOptions = {}): Promise<IncomingMessage> {
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 5000;
    const pub = await this.publisher();
    pub.replies ??= pub.channel
      .consume(REPLY_TO, (msg) => this.onReply(msg), { noAck: true })
      .then(
        () => undefined,
        (error: unknown) => {
          pub.replies = undefined;
          throw error;
        },
      );
    await pub.replies;
    const correlationId = message.correlationId ?? randomUUID();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<IncomingMessage>((resolve, reject) => {
      this.pending.set(correlationId, { channel: pub.channel, resolve, reject });
      timer = setTimeout(() => reject(new TimeoutError(`request to "${address}" timed out after ${timeoutMs} ms`, timeoutMs)), timeoutMs);
    });
    reply.catch(() => undefined); // awaited below; a timeout during publish must not count as unhandled
    try {
      await this.send(pub, this.exchange, toRoutingKey(address), { ...message, replyTo: REPLY_TO, correlationId }, this.options.mandatory ?? true);
      return await reply;
    } finally {
      clearTimeout(timer);
      this.pending.delete(correlationId);
    }
  }

  /** A requester that has gone away cannot be told, so replies are never mandatory. */
  async reply(to: IncomingMessage, message: OutgoingMessage): Promise<void> {
    if (to.replyTo === undefined) throw new UsageError(`message on "${to.address}" asked for no reply`);
    await this.send(await this.publisher(), '', to.replyTo, { ...message, replyTo: undefined, correlationId: to.correlationId }, false);
  }

  /** Stops consuming, waits for in-flight handlers and outstanding confirms, then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subs].map((s) => this.closeSubscription(s)));
    const pub = this.current && this.publisherChannel ? await this.publisherChannel.catch(() => undefined) : undefined;
    await pub?.channel.waitForConfirms().catch(() => undefined);
    this.wake(new ClosedError('AmqpTransport is closed'));
    for (const p of this.pending.values()) p.reject(new ClosedError('AmqpTransport closed before the reply arrived'));
    await this.connection?.close();
  }

  /** Runs after every (re)connect, before anything else uses the connection. */
  private async setup(model: ChannelModel): Promise<void> {
    model.on('error', (error: Error) => this.report(error));
    model.once('close', () => {
      if (this.current === model) this.current = undefined;
    });
    const { channel } = await this.openPublisher(model);
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    if (this.deadLetter) {
      await channel.assertExchange(this.deadLetter.exchange, 'topic', { durable: true });
      await channel.assertQueue(this.deadLetter.queue, { durable: true });
      await channel.bindQueue(this.deadLetter.queue, this.deadLetter.exchange, '#');
    }
    for (const sub of this.subs) if (!sub.closed) await this.ensureStarted(sub, model);
    this.current = model;
    this.wake();
  }

  private report(error: Error): void {
    if (this.closed) return;
    (this.options.onError ?? ((e: Error) => console.warn(`[amqp] ${e.message}`)))(error);
  }

  private wake(error?: Error): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const w of waiters) w(error);
  }

  /** The live connection, waiting a bounded time while it is being re-established. */
  private async model(waitMs = this.options.reconnectWaitMs ?? 10_000): Promise<ChannelModel> {
    for (;;) {
      if (this.closed) throw new ClosedError('AmqpTransport is closed');
      if (this.failure) throw this.failure;
      if (this.current) return this.current;
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error): void => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(() => {
          this.waiters.delete(done);
          reject(new AmqpConnectionError(`AMQP connection is down and did not come back within ${waitMs} ms`));
        }, waitMs);
        this.waiters.add(done);
      });
    }
  }

  private async publisher(waitMs?: number): Promise<Publisher> {
    const model = await this.model(waitMs);
    if (this.publisherFor !== model || !this.publisherChannel) return this.openPublisher(model);
    return this.publisherChannel;
  }

  private openPublisher(model: ChannelModel): Promise<Publisher> {
    this.publisherFor = model;
    const opening = model.createConfirmChannel().then((channel): Publisher => {
      channel.on('error', (error: Error) => this.report(error));
      channel.on('return', (msg: Message) => {
        const id = text(msg.properties.messageId);
        if (id !== undefined) this.returned.add(id);
      });
      channel.on('close', () => {
        if (this.publisherChannel === opening) this.publisherChannel = undefined;
        for (const [id, p] of this.pending) {
          if (p.channel !== channel) continue;
          this.pending.delete(id);
          p.reject(new AmqpConnectionError('AMQP channel closed before the reply arrived'));
        }
      });
      return { model, channel };
    });
    this.publisherChannel = opening;
    opening.catch(() => {
      if (this.publisherChannel === opening) this.publisherChannel = undefined;
    });
    return opening;
  }

  /** Publishes persistently and resolves when the broker confirmed; a returned message rejects. */
  private send(pub: Publisher, exchange: string, routingKey: string, message: OutgoingMessage, mandatory: boolean, messageId = randomUUID()): Promise<void> {
    const properties: Options.Publish = { persistent: true, mandatory, messageId, timestamp: Math.floor(Date.now() / 1000), headers: { ...message.headers } };
    if (message.contentType !== undefined) properties.contentType = message.contentType;
    if (message.correlationId !== undefined) properties.correlationId = message.correlationId;
    if (message.replyTo !== undefined) properties.replyTo = message.replyTo;
    const content = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength);
    return this.confirm(pub, exchange, routingKey, content, properties);
  }

  private confirm(pub: Publisher, exchange: string, routingKey: string, content: Buffer, properties: Options.Publish): Promise<void> {
    const id = text(properties.messageId);
    const timeoutMs = this.options.confirmTimeoutMs ?? 30_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AmqpConfirmTimeoutError(routingKey, timeoutMs)), timeoutMs);
      pub.channel.publish(exchange, routingKey, content, properties, (error: unknown) => {
        clearTimeout(timer);
        if (properties.mandatory === true && id !== undefined && this.returned.delete(id)) reject(new AmqpUnroutableError(exchange, routingKey));
        else if (error instanceof Error && error.message === 'message nacked') reject(new RejectedError(`the broker refused the message on "${routingKey}" (basic.nack: a queue is full or failing)`));
        else if (error) reject(new AmqpConnectionError(`the connection closed before the broker confirmed the message on "${routingKey}"`));
        else resolve();
      });
    });
  }

  private onReply(msg: ConsumeMessage | null): void {
    if (!msg) return;
    const pending = this.pending.get(text(msg.properties.correlationId) ?? '');
    pending?.resolve(toIncoming(msg, msg.fields.routingKey, 1));
  }

  private ensureStarted(sub: Subscription, model: ChannelModel): Promise<void> {
    if (sub.model !== model || !sub.started) {
      sub.model = model;
      sub.started = this.start(sub, model);
    }
    return sub.started;
  }

  private queueArguments(durable: boolean): Record<string, string> {
    const args: Record<string, string> = durable && this.quorum ? { 'x-queue-type': 'quorum' } : {};
    if (!this.deadLetter) return args;
    args['x-dead-letter-exchange'] = this.deadLetter.exchange;
    // Quorum queues dead-letter at most once unless told otherwise, which needs reject-publish overflow.
    return durable && this.quorum ? { ...args, 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } : args;
  }

  private async start(sub: Subscription, model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.report(error));
    channel.on('close', () => this.channelClosed(sub, channel, model));
    try {
      await channel.prefetch(this.options.prefetch ?? 16);
      const declared =
        sub.group === undefined
          ? await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false, arguments: this.queueArguments(false) })
          : await channel.assertQueue(this.groupQueue(sub.group, sub.pattern), { durable: true, arguments: this.queueArguments(true) });
      await channel.bindQueue(declared.queue, this.exchange, sub.key);
      sub.channel = channel;
      sub.queue = declared.queue;
      sub.consumerTag = (await channel.consume(declared.queue, (msg) => this.deliver(sub, channel, msg))).consumerTag;
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /** A consumer channel that closes while its connection lives (channel error, cancelled consumer) is reopened. */
  private channelClosed(sub: Subscription, channel: Channel, model: ChannelModel): void {
    if (sub.channel !== channel) return;
    sub.channel = undefined;
    setImmediate(() => {
      if (sub.closed || this.closed || this.current !== model || sub.channel !== undefined) return;
      sub.started = undefined;
      this.ensureStarted(sub, model).catch((error: unknown) => this.report(error instanceof Error ? error : new Error(String(error))));
    });
  }

  private deliver(sub: Subscription, channel: Channel, msg: ConsumeMessage | null): void {
    if (!msg) {
      this.report(new Error(`the broker cancelled the consumer of "${sub.queue ?? sub.key}"; resubscribing`));
      void channel.close().catch(() => undefined);
      return;
    }
    if (sub.closed) return; // left unacknowledged: closing the channel hands it back to the queue
    const run = this.handle(sub, channel, msg).catch((error: unknown) => this.report(error instanceof Error ? error : new Error(String(error))));
    sub.inFlight.add(run);
    void run.finally(() => sub.inFlight.delete(run));
  }

  private async handle(sub: Subscription, channel: Channel, msg: ConsumeMessage): Promise<void> {
    const headers = msg.properties.headers ?? {};
    const address = sub.toAddress(text(headers[KEY_HEADER]) ?? msg.fields.routingKey);
    // A key the binding covers but the pattern does not (a widened wildcard word) is not ours.
    if (address === undefined) return settle(() => channel.ack(msg));
    const counted = Number(headers[sub.group !== undefined && this.quorum ? QUORUM_COUNT : ATTEMPT_HEADER] ?? 0);
    const attempt = sub.group !== undefined && this.quorum ? counted + 1 : Math.max(1, counted);
    const incoming = toIncoming(msg, address, Number.isFinite(attempt) ? attempt : 1);
    try {
      await sub.handler(incoming);
    } catch (error) {
      return this.rejected(sub, channel, msg, incoming, error);
    }
    settle(() => channel.ack(msg));
  }

  private async rejected(sub: Subscription, channel: Channel, msg: ConsumeMessage, incoming: IncomingMessage, error: unknown): Promise<void> {
    const last = incoming.deliveryAttempt >= sub.maxDeliveries;
    if (last) {
      try {
        sub.onDeadLetter?.(incoming, error);
      } catch (callbackError) {
        this.report(callbackError instanceof Error ? callbackError : new Error(String(callbackError)));
      }
    }
    // Quorum queues count deliveries and dead-letter the last one through the queue's dead-letter exchange.
    if ((sub.group !== undefined && this.quorum) || (last && !this.deadLetter)) return settle(() => channel.nack(msg, false, !last));
    // Classic queues count nothing: a copy carrying the next attempt goes back on the queue, the last to the dead-letter exchange.
    const { [KEY_HEADER]: original, ...headers } = msg.properties.headers ?? {};
    const key = text(original) ?? msg.fields.routingKey;
    try {
      const pub = await this.publisher();
      if (last && this.deadLetter) {
        const death = { 'x-first-death-reason': 'rejected', 'x-first-death-queue': sub.queue, 'x-first-death-exchange': this.exchange };
        await this.confirm(pub, this.deadLetter.exchange, key, msg.content, { ...msg.properties, headers: { ...headers, ...death }, mandatory: false });
      } else {
        if (pub.model !== sub.model || sub.queue === undefined) throw new Error('reconnected: the exclusive queue is gone');
        const retry = { ...headers, [KEY_HEADER]: key, [ATTEMPT_HEADER]: incoming.deliveryAttempt + 1 };
        await this.confirm(pub, '', sub.queue, msg.content, { ...msg.properties, headers: retry, mandatory: false });
      }
      settle(() => channel.ack(msg));
    } catch {
      settle(() => channel.nack(msg, false, !last));
    }
  }

  private async closeSubscription(sub: Subscription): Promise<void> {
    sub.closed = true;
    this.subs.delete(sub);
    await sub.started?.catch(() => undefined);
    const channel = sub.channel;
    sub.channel = undefined;
    // Closing the channel cancels the consumer; wait for handlers first so their acks go out on it.
    if (channel && sub.consumerTag !== undefined) await channel.cancel(sub.consumerTag).catch(() => undefined);
    await Promise.allSettled([...sub.inFlight]);
    await channel?.close().catch(() => undefined);
  }
}

export async function connectAmqp(options: AmqpTransportOptions = {}): Promise<AmqpTransport> {
  return AmqpTransport.connect(options);
}
