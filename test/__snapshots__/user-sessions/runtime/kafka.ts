/**
 * Kafka transport on kafkajs 2.2.4, which is pure JavaScript and runs on Node 20 (the maintained
 * alternatives need Node 22 or native binaries).
 *
 * - Address = topic. Kafka topic names use only `a-z A-Z 0-9 . _ -`, at most 249 characters, and
 *   are not `.` or `..`. Other addresses are refused with a KafkaTopicError, never rewritten, so two
 *   addresses never share a topic and `pattern.match` sees the spec's own address.
 * - Parameterised addresses subscribe with a RegExp. kafkajs matches it against the topics that
 *   exist when the subscription starts: a topic created later needs a new subscription.
 * - `group` names the consumer group; without one a subscription gets a unique group (deleted on
 *   close), so every subscriber sees every message.
 * - Offsets are committed record by record, after the handler resolves. Kafka has no per-record
 *   nack, so a rejecting handler is retried in process (holding its partition, which keeps order)
 *   up to `maxDeliveries`; then the record goes to the dead-letter topic and `onDeadLetter`, and its
 *   offset is committed so the partition moves on. Closing during retries leaves the record
 *   uncommitted: the group receives it again. `deliveryAttempt` counts within this process only.
 * - A group's partitions that have no committed offset start at the end the topic had when
 *   subscribe() ran (or at the beginning with `fromBeginning`), so a message published after
 *   subscribe() resolves is received. Later rebalances follow Kafka's reset: latest or earliest.
 * - A consumer that kafkajs gives up on (an error it deems final, such as GROUP_ID_NOT_FOUND from a
 *   coordinator that lost the group in a cluster restart) is started again, with backoff up to
 *   5 s, until the subscription closes; kafkajs restarts the others itself.
 * - No request/reply: Kafka has no reply mechanism (use a reply channel). `replyTo` and
 *   `correlationId` travel as the `reply-to` and `correlation-id` headers.
 * - `valueCodec` (avro.ts `confluentAvro()`) turns the values of its topics into the client's JSON
 *   and back. A value it can never read (no magic byte, an id the registry does not know) is
 *   dead-lettered at once with the DecodeError; an unreachable registry is retried like a failing
 *   handler. Without a codec, a message whose content type is Avro is refused, never sent as JSON.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type EachMessagePayload, type IHeaders, type KafkaConfig, type LogEntry, type Producer, type RetryOptions } from 'kafkajs';
import type { AddressPattern } from './address.js';
import { ClosedError, MessagingError, UnavailableError, UsageError } from './errors.js';
import {
  DEFAULT_MAX_DELIVERIES,
  type CloudEventsBinding,
  type DeliveryHandler,
  type IncomingMessage,
  type OutgoingMessage,
  type Transport,
  type TransportSubscribeOptions,
  type TransportSubscription,
} from './transport.js';
import { deadLetterHeaders, decodeHeaders, encodeHeaders, kafkaTopic, nextOffset, recordKey, toBuffer, topicSubscription, type KafkaKey, type KafkaValueCodec } from './kafka-wire.js';

export * from './kafka-wire.js';

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';
export interface KafkaLogEntry {
  readonly level: KafkaLogLevel;
  readonly namespace: string;
  readonly message: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** How the transport behaves, whoever built the Kafka client. */
export interface KafkaBehaviourOptions {
  /** How the record key is chosen; default none. */
  readonly key?: KafkaKey | undefined;
  /** The Kafka group id of a subscription's `group`; default the group itself. */
  readonly groupId?: ((group: string, pattern: AddressPattern) => string) | undefined;
  /** Deliveries of a record whose handler rejects, unless a subscription sets its own. Default 3. */
  readonly maxDeliveries?: number | undefined;
  /** Pause between in-process redeliveries. Default 100 ms. */
  readonly redeliveryDelayMs?: number | undefined;
  /** Topic for records given up; default `<topic>.dead-letter`, `false` for none. */
  readonly deadLetterTopic?: ((topic: string) => string) | false | undefined;
  /** Partitions a group has never committed start at the beginning instead of the end. Default false. */
  readonly fromBeginning?: boolean | undefined;
  /** Partitions handled at once per subscription (order within a partition is always kept). Default 1. */
  readonly partitionsConsumedConcurrently?: number | undefined;
  /** How long a consumer may go silent before its group gives its partitions to the others. Default 30 000 ms (kafkajs). */
  readonly sessionTimeoutMs?: number | undefined;
  /** How often a consumer tells its group it is alive; well under sessionTimeoutMs. Default 3 000 ms (kafkajs). */
  readonly heartbeatIntervalMs?: number | undefined;
  /** How long the broker may hold a fetch that finds no records; also how long close() may wait for one. Default 5 000 ms (kafkajs). */
  readonly maxWaitTimeMs?: number | undefined;
  /** Prefix of the unique groups of subscriptions without `group`. Default `asyncapi`. */
  readonly clientId?: string | undefined;
  /** Receives this adapter's and kafkajs's log entries; nothing is printed otherwise. */
  readonly logger?: ((entry: KafkaLogEntry) => void) | undefined;
  /** Record values that are not JSON on the wire: `confluentAvro({ registry, channels: avroChannels })` from avro.ts. */
  readonly valueCodec?: KafkaValueCodec | undefined;
}

export interface KafkaTransportOptions extends KafkaBehaviourOptions {
  readonly brokers: string[];
  readonly ssl?: KafkaConfig['ssl'] | undefined;
  readonly sasl?: KafkaConfig['sasl'] | undefined;
  /** kafkajs retry settings for connecting, publishing and consuming. */
  readonly retry?: RetryOptions | undefined;
  readonly connectionTimeout?: number | undefined;
  readonly requestTimeout?: number | undefined;
  /** Least severe kafkajs entry passed to `logger`. Default `warn` with a logger, nothing without. */
  readonly logLevel?: KafkaLogLevel | 'nothing' | undefined;
}

const LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG } as const;

function fromKafkaLog(entry: LogEntry): KafkaLogEntry {
  const { message, timestamp: _timestamp, ...extra } = entry.log;
  const level = entry.level === logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : entry.level === logLevel.INFO ? 'info' : 'debug';
  return { level, namespace: entry.namespace, message, extra };
}

export async function connectKafka(options: KafkaTransportOptions): Promise<KafkaTransport> {
  const { logger } = options;
  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: options.clientId ?? 'asyncapi',
    logLevel: LEVELS[options.logLevel ?? (logger === undefined ? 'nothing' : 'warn')],
    logCreator: () => (entry) => logger?.(fromKafkaLog(entry)),
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.connectionTimeout === undefined ? {} : { connectionTimeout: options.connectionTimeout }),
    ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }),
  });
  const transport = new KafkaTransport(kafka, options);
  await transport.connect();
  return transport;
}

/** The broker's failures, as the runtime's own error for a lost or unreachable broker. */
function wrapError(what: string, cause: unknown): Error {
  const text = `${what}: ${cause instanceof Error ? cause.message : String(cause)}`;
  return cause instanceof MessagingError && cause.code !== 'unavailable' ? new MessagingError(cause.code, text, { cause }) : new UnavailableError(text, { cause });
}

interface Failure {
  attempts: number;
  error: unknown;
  /** Dead-lettered already: a record fetched again after a failed commit is not sent twice. */
  lettered?: boolean | undefined;
}

interface KafkaSubscription {
  readonly pattern: AddressPattern;
  readonly handler: DeliveryHandler;
  readonly options: TransportSubscribeOptions;
  readonly inFlight: Set<Promise<void>>;
  /** Records whose handler rejected, by topic/partition/offset, until committed. */
  readonly failures: Map<string, Failure>;
  closing: boolean;
}

export class KafkaTransport implements Transport {
  readonly cloudEvents: CloudEventsBinding = { headerPrefix: 'ce_', binary: true };
  readonly system = 'kafka';
  private readonly producer: Producer;
  private connecting: Promise<void> | undefined;
  private adminClient: Promise<Admin> | undefined;
  private readonly closers = new Set<() => Promise<void>>();
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaBehaviourOptions = {},
  ) {
    this.producer = kafka.producer();
  }

  /** Connects the producer (publish does on first use); a failure is thrown and retried next time. */
  connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw wrapError('cannot connect to Kafka', error);
    });
    return this.connecting;
  }

  async publish(address: string, message: OutgoingMessage): Promise<void> {
    if (this.closed) throw new ClosedError('KafkaTransport is closed');
    const topic = kafkaTopic(address);
    const key = recordKey(this.options.key, address, message) ?? null;
    const { value, outgoing } = await this.encodeValue(topic, message);
    try {
      await this.connect();
      await this.producer.send({ topic, messages: [{ key, value, headers: encodeHeaders(outgoing) }] });
    } catch (error) {
      throw wrapError(`publish to Kafka topic "${topic}" failed`, error);
    }
  }

  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    if (this.closed) throw new ClosedError('KafkaTransport is closed');
    const topics = topicSubscription(pattern);
    const unique = options.group === undefined;
    const groupId = options.group === undefined ? `${this.options.clientId ?? 'asyncapi'}-${randomUUID()}` : (this.options.groupId?.(options.group, pattern) ?? options.group);
    const state: KafkaSubscription = { pattern, handler, options, inFlight: new Set(), failures: new Map(), closing: false };
    // kafkajs restarts a crashed consumer after retriable errors; never once we are closing.
    const consumer = this.kafka.consumer({
      groupId,
      retry: { restartOnFailure: async () => !state.closing },
      ...(this.options.sessionTimeoutMs === undefined ? {} : { sessionTimeout: this.options.sessionTimeoutMs }),
      ...(this.options.heartbeatIntervalMs === undefined ? {} : { heartbeatInterval: this.options.heartbeatIntervalMs }),
      ...(this.options.maxWaitTimeMs === undefined ? {} : { maxWaitTimeInMs: this.options.maxWaitTimeMs }),
    });
    // kafkajs gives up on a consumer after an error it deems final (a coordinator that forgot the
    // group after a restart answers GROUP_ID_NOT_FOUND); the subscription must not die silently.
    let restarting: ReturnType<typeof setTimeout> | undefined;
    let restarts = 0;
    const restart = (): void => {
      if (state.closing) return;
      restarting = setTimeout(
        () => {
          restarting = undefined;
          if (state.closing) return;
          start()
            .then(run)
            .then(
              () => {
                restarts = 0;
                // A close() that ran meanwhile disconnected a consumer that was not running yet.
                if (state.closing) void consumer.disconnect().catch(() => undefined);
              },
              (error: unknown) => {
                this.log('warn', `consumer of group "${groupId}" could not restart, trying again`, { error });
                restarts += 1;
                restart();
              },
            );
        },
        Math.min(5_000, 250 * 2 ** restarts),
      );
    };
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.log(payload.restart ? 'warn' : 'error', `consumer of group "${groupId}" crashed, restarting`, { error: payload.error });
      if (!payload.restart) restart();
    });
    let starts: Array<{ topic: string; partition: number; offset: string }> = [];
    let joined = false;
    // Seeking as the first join completes, before the first fetch, pins where new partitions start.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (joined) return;
      joined = true;
      try {
        for (const start of starts) if (payload.memberAssignment[start.topic]?.includes(start.partition)) consumer.seek(start);
      } catch (error) {
        this.log('warn', `consumer of group "${groupId}" could not pin its start offsets`, { error });
      }
    });
    const commit = (topic: string, partition: number, offset: string): Promise<void> => consumer.commitOffsets([{ topic, partition, offset: nextOffset(offset) }]);
    const run = async (): Promise<void> => {
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachMessage: (payload) => {
          const handled = this.consume(state, payload, commit);
          state.inFlight.add(handled);
          return handled.finally(() => state.inFlight.delete(handled));
        },
      });
    };
    const start = async (): Promise<void> => {
      await consumer.connect();
      await consumer.subscribe({ topics: [topics], fromBeginning: this.options.fromBeginning === true });
    };
    try {
      await start();
      starts = await this.startOffsets(groupId, topics, unique);
      await run();
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw wrapError(`cannot subscribe to Kafka topic ${String(topics)}`, error);
    }
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        state.closing = true;
        clearTimeout(restarting);
        this.closers.delete(close);
        await Promise.allSettled([...state.inFlight]);
        await consumer.disconnect().catch((error: unknown) => this.log('warn', `consumer of group "${groupId}" did not disconnect cleanly`, { error }));
        if (unique)
          await this.admin()
            .then((admin) => admin.deleteGroups([groupId]))
            .catch(() => undefined);
      })();
      return closing;
    };
    this.closers.add(close);
    return { close };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.closers].map((close) => close()));
    const admin = this.adminClient;
    await Promise.allSettled([this.producer.disconnect(), admin?.then((a) => a.disconnect())]);
  }

  private async consume(state: KafkaSubscription, payload: EachMessagePayload, commit: (topic: string, partition: number, offset: string) => Promise<void>): Promise<void> {
    const { topic, partition, message } = payload;
    if (state.closing) return; // left uncommitted: the group receives it again
    if (state.pattern.match(topic) === undefined) return commit(topic, partition, message.offset);
    const id = `${topic}\u0000${partition}\u0000${message.offset}`;
    const max = Math.max(1, state.options.maxDeliveries ?? this.options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES);
    const incoming = { ...decodeHeaders(message.headers), address: topic, payload: message.value ?? new Uint8Array(0) };
    const codec = this.options.valueCodec;
    const coded = message.value != null && codec?.handles(topic) === true ? codec : undefined;
    let failed = state.failures.get(id);
    while ((failed?.attempts ?? 0) < max) {
      const attempt = (failed?.attempts ?? 0) + 1;
      try {
        // The codec's JSON is what the client reads; the raw record is what is dead-lettered.
        const decoded = coded === undefined ? incoming : { ...incoming, payload: await coded.decode(topic, incoming.payload), contentType: 'application/json' };
        await state.handler({ ...decoded, deliveryAttempt: attempt });
        failed = undefined;
        break;
      } catch (error) {
        failed = { attempts: attempt, error };
        state.failures.set(id, failed);
        if (state.closing) return;
        if (coded !== undefined && error instanceof MessagingError && error.code === 'decode' && failed.lettered !== true) {
          this.log('error', `record ${topic}/${partition}@${message.offset} cannot be decoded: ${error.message}`, { error });
          break; // bytes that cannot be read now never will: no retries
        }
        if (attempt < max) {
          await new Promise((resolve) => setTimeout(resolve, this.options.redeliveryDelayMs ?? 100));
          await payload.heartbeat().catch(() => undefined);
        }
      }
    }
    if (failed !== undefined && failed.lettered !== true) {
      await this.deadLetter(state, payload, { ...incoming, deliveryAttempt: failed.attempts }, failed);
      failed.lettered = true;
    }
    await commit(topic, partition, message.offset);
    state.failures.delete(id);
  }

  /** A failed send throws, so the record stays uncommitted and is tried again; a bad topic name is only logged. */
  private async deadLetter(state: KafkaSubscription, { topic, partition, message }: EachMessagePayload, incoming: IncomingMessage, failed: Failure): Promise<void> {
    const option = this.options.deadLetterTopic;
    const name = option === false ? undefined : (option ?? ((t: string) => `${t}.dead-letter`))(topic);
    let target: string | undefined;
    try {
      target = name === undefined ? undefined : kafkaTopic(name);
    } catch (error) {
      this.log('error', `record ${topic}/${partition}@${message.offset} not dead-lettered`, { error });
    }
    if (target !== undefined) {
      await this.connect();
      const headers: IHeaders = { ...message.headers, ...deadLetterHeaders({ topic, partition, offset: message.offset }, failed.attempts, failed.error) };
      await this.producer.send({ topic: target, messages: [{ key: message.key, value: message.value, headers }] });
    }
    try {
      state.options.onDeadLetter?.(incoming, failed.error);
    } catch (error) {
      this.log('error', 'onDeadLetter threw', { error });
    }
  }

  /** The record value of an outgoing message: the codec's for its topics; a message in Avro is never sent as the client's JSON. */
  private async encodeValue(topic: string, message: OutgoingMessage): Promise<{ readonly value: Buffer; readonly outgoing: OutgoingMessage }> {
    const codec = this.options.valueCodec;
    if (codec?.handles(topic) === true) {
      const encoded = await codec.encode(topic, message);
      return { value: toBuffer(encoded.value), outgoing: { ...message, contentType: encoded.contentType ?? message.contentType } };
    }
    if (message.contentType !== undefined && /avro/i.test(message.contentType)) {
      throw new UsageError(
        `the message for Kafka topic "${topic}" is Avro (${message.contentType}) but no value codec covers the topic: pass valueCodec: confluentAvro({ registry, channels: avroChannels }) (runtime/avro.ts, the generated avro.ts) to connectKafka`,
      );
    }
    return { value: toBuffer(message.payload), outgoing: message };
  }

  /** Where partitions this group never committed begin: the topic's end now, not at the first fetch. */
  private async startOffsets(groupId: string, topics: string | RegExp, unique: boolean): Promise<Array<{ topic: string; partition: number; offset: string }>> {
    if (this.options.fromBeginning === true) return [];
    const starts: Array<{ topic: string; partition: number; offset: string }> = [];
    try {
      const admin = await this.admin();
      const names = typeof topics === 'string' ? [topics] : (await admin.listTopics()).filter((t) => topics.test(t));
      for (const topic of names) {
        const committed = unique ? [] : ((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? []);
        const done = new Set(committed.filter((p) => p.offset !== '-1').map((p) => p.partition));
        for (const end of await admin.fetchTopicOffsets(topic)) if (!done.has(end.partition)) starts.push({ topic, partition: end.partition, offset: end.high });
      }
    } catch (error) {
      this.log('warn', `start offsets of group "${groupId}" unknown; new partitions start wherever the first fetch finds the end`, { error });
    }
    return starts;
  }

  private admin(): Promise<Admin> {
    this.adminClient ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.adminClient = undefined;
      throw error;
    });
    return this.adminClient;
  }

  private log(level: KafkaLogLevel, message: string, extra: Record<string, unknown> = {}): void {
    this.options.logger?.({ level, namespace: 'KafkaTransport', message, extra });
  }
}
