/** AMQP 0-9-1's wire mapping, apart from the connection: routing and binding keys, headers in and out, the delivery counters. */
import { Buffer } from 'node:buffer';
import type { Message } from 'amqplib';
import { addressPattern, type AddressPattern } from './address.js';
import type { IncomingMessage } from './transport.js';

/** RabbitMQ's direct reply-to pseudo-queue: replies come back on the requesting channel. */
export const REPLY_TO = 'amq.rabbitmq.reply-to';
/** Delivery count of quorum queues (set by the broker) and of classic queues (set by this adapter). */
export const QUORUM_COUNT = 'x-delivery-count';
export const ATTEMPT_HEADER = 'x-delivery-attempt';
/** A copy put back on a classic queue travels under the queue's name; this keeps the original key. */
export const KEY_HEADER = 'x-routing-key';
export const INTERNAL_HEADERS = new Set([QUORUM_COUNT, ATTEMPT_HEADER, KEY_HEADER]);

/** Address to routing key: `/` becomes `.`, the separator of AMQP topic words. */
export function toRoutingKey(address: string): string {
  return address.replaceAll('/', '.');
}

/** Binding key for a pattern: literals mapped like addresses, each free parameter a `*` word. */
export function bindingKey(pattern: AddressPattern): string {
  const mapped = pattern.parts.map((p) => ('literal' in p ? toRoutingKey(p.literal) : `{${p.parameter}}`)).join('');
  return addressPattern(mapped).toWildcard('.', '*');
}

/** Routing key back to the address the pattern covers, or undefined when it covers none. */
export function addressReader(pattern: AddressPattern): (key: string) => string | undefined {
  const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${pattern.parts.map((p) => ('literal' in p ? escape(toRoutingKey(p.literal)) : '(.+?)')).join('')}$`);
  return (key) => {
    const m = re.exec(key);
    if (!m) return undefined;
    let i = 0;
    const address = pattern.parts.map((p) => ('literal' in p ? p.literal : (m[++i] ?? ''))).join('');
    return pattern.match(address) ? address : undefined;
  };
}

/** A string property, or undefined for anything else. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function headerText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'object' && v !== null && '!' in v && 'value' in v) {
    // amqplib's typed values: `{ '!': 'timestamp', value: seconds }` and `{ '!': 'decimal', value: { places, digits } }`
    const x = v.value;
    return typeof x === 'object' && x !== null && 'digits' in x && 'places' in x ? String(Number(x.digits) / 10 ** Number(x.places)) : headerText(x);
  }
  if (typeof v === 'object') return JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/** Foreign publishers may send numbers, tables or bytes: all become strings; delivery counters stay out. */
function readHeaders(table: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(table)) if (v !== undefined && v !== null && !INTERNAL_HEADERS.has(k)) out[k] = headerText(v);
  return out;
}

export function toIncoming(msg: Message, address: string, deliveryAttempt: number): IncomingMessage {
  const p = msg.properties;
  return {
    address,
    payload: new Uint8Array(msg.content.buffer, msg.content.byteOffset, msg.content.byteLength),
    headers: readHeaders(p.headers ?? {}),
    contentType: text(p.contentType),
    deliveryAttempt,
    replyTo: text(p.replyTo),
    correlationId: text(p.correlationId),
  };
}
