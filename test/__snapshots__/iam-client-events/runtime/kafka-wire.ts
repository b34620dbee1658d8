/** Kafka's wire mapping, apart from the connection: topic names, record keys, headers both ways, dead-letter headers, offsets. */
import { Buffer } from 'node:buffer';
import type { IHeaders } from 'kafkajs';
import type { AddressPattern } from './address.js';
import { MessagingError } from './errors.js';
import type { OutgoingMessage, WireHeaders } from './transport.js';

export const KAFKA_TOPIC_RULE = 'Kafka topic names use only a-z A-Z 0-9 . _ -, at most 249 characters, and are not "." or ".."';
export const KAFKA_HEADERS = { contentType: 'content-type', correlationId: 'correlation-id', replyTo: 'reply-to' } as const;

export class KafkaTopicError extends MessagingError {
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super('invalid-address', `address "${address}" cannot be a Kafka topic: ${reason} (${KAFKA_TOPIC_RULE})`);
    this.name = 'KafkaTopicError';
  }
}

const ILLEGAL = /[^a-zA-Z0-9._-]/;

/** Refuses the first character Kafka does not allow in `text` (a whole address, or literal text of a template). */
function checkCharacters(address: string, text: string): void {
  const bad = ILLEGAL.exec(text);
  if (bad === null) return;
  const suggestion = address.replace(/[^a-zA-Z0-9._{}-]+/g, '.').replace(/^\.+|\.+$/g, '');
  throw new KafkaTopicError(address, `${JSON.stringify(bad[0])} is not allowed; use an address such as "${suggestion}"`);
}

/** The topic of a concrete address, which is the address itself. */
export function kafkaTopic(address: string): string {
  if (address === '') throw new KafkaTopicError(address, 'it is empty');
  checkCharacters(address, address);
  if (address === '.' || address === '..') throw new KafkaTopicError(address, 'it is reserved');
  if (address.length > 249) throw new KafkaTopicError(address, `it has ${address.length} characters`);
  return address;
}

/** What a consumer subscribes to: the topic, or for free parameters a RegExp over topic names. */
export function topicSubscription(pattern: AddressPattern): string | RegExp {
  const literal = pattern.parts.map((p) => ('literal' in p ? p.literal : '')).join('');
  if (pattern.parts.every((p) => 'literal' in p)) return kafkaTopic(literal);
  checkCharacters(pattern.template, literal);
  // Like address.ts: a parameter never spans the separator its template uses.
  const value = literal.includes('.') ? '[a-zA-Z0-9_-]+' : '[a-zA-Z0-9._-]+';
  return new RegExp(`^${pattern.parts.map((p) => ('literal' in p ? p.literal.replace(/\./g, '\\.') : value)).join('')}$`);
}

/**
 * Turns record values into what the client reads and back, for topics whose messages are not
 * JSON on the wire: `confluentAvro()` in avro.ts (Avro in the Confluent wire format). The client
 * hands over and receives JSON; `handles` says which topics the codec takes.
 */
export interface KafkaValueCodec {
  handles(topic: string): boolean;
  /** The record value (and its content-type header) of an outgoing message. */
  encode(topic: string, message: OutgoingMessage): Promise<{ readonly value: Uint8Array; readonly contentType?: string | undefined }>;
  /** The payload the client reads; a DecodeError for a value it can never read, any other error to be tried again. */
  decode(topic: string, value: Uint8Array): Promise<Uint8Array>;
}

/** A payload field path such as `'data.subject'`, or a function of the message. */
export type KafkaKey = string | ((address: string, message: OutgoingMessage) => string | undefined);

/**
 * The record key; undefined (no key: the partitioner spreads records) when the field is missing or
 * not a scalar. A binary CloudEvent (a `ce_specversion` header) is keyed as its structured form
 * would be, so one path keys both modes: `data.x` reads the payload, an attribute its `ce_` header.
 */
export function recordKey(key: KafkaKey | undefined, address: string, message: OutgoingMessage): string | undefined {
  if (key === undefined) return undefined;
  if (typeof key === 'function') return key(address, message);
  let steps = key.split('.');
  if (Object.hasOwn(message.headers, 'ce_specversion')) {
    if (steps[0] !== 'data') return steps.length === 1 && Object.hasOwn(message.headers, `ce_${key}`) ? message.headers[`ce_${key}`] : undefined;
    steps = steps.slice(1);
  }
  let value: unknown;
  try {
    value = JSON.parse(toBuffer(message.payload).toString('utf8'));
  } catch {
    return undefined;
  }
  for (const step of steps) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

export function encodeHeaders(message: OutgoingMessage): Record<string, string> {
  const reserved: Array<[string, string | undefined]> = [
    [KAFKA_HEADERS.contentType, message.contentType],
    [KAFKA_HEADERS.correlationId, message.correlationId],
    [KAFKA_HEADERS.replyTo, message.replyTo],
  ];
  return Object.fromEntries([...Object.entries(message.headers), ...reserved.filter((e): e is [string, string] => e[1] !== undefined)]);
}

export interface DecodedHeaders {
  readonly headers: WireHeaders;
  readonly contentType?: string | undefined;
  readonly correlationId?: string | undefined;
  readonly replyTo?: string | undefined;
}

/** Kafka headers as wire headers: Buffers read as UTF-8, a repeated header gives its last value. */
export function decodeHeaders(raw: IHeaders | undefined): DecodedHeaders {
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(raw ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last != null) entries.push([name, typeof last === 'string' ? last : toBuffer(last).toString('utf8')]);
  }
  const headers = Object.fromEntries(entries);
  const take = (name: string): string | undefined => {
    const value = headers[name];
    delete headers[name];
    return value;
  };
  const contentType = take(KAFKA_HEADERS.contentType);
  const correlationId = take(KAFKA_HEADERS.correlationId);
  const replyTo = take(KAFKA_HEADERS.replyTo);
  return { headers, contentType, correlationId, replyTo };
}

/** Headers added to a dead-lettered record, after the original ones. */
export function deadLetterHeaders(source: { topic: string; partition: number; offset: string }, attempts: number, error: unknown): Record<string, string> {
  return {
    'dlt-original-topic': source.topic,
    'dlt-original-partition': String(source.partition),
    'dlt-original-offset': source.offset,
    'dlt-delivery-attempts': String(attempts),
    'dlt-error': error instanceof Error ? error.message : String(error),
  };
}

/** The offset to commit after a record: the next one to read. Offsets are 64-bit, hence BigInt. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/** The bytes as a Buffer over the same memory, as kafkajs wants them. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
