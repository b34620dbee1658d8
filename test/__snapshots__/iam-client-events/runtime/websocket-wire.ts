/**
 * What both ends of a WebSocket share: addresses as URL paths, messages as frames, and the payload
 * field that pairs a reply with its request. Browser-safe: no Node import.
 *
 * A frame is the payload and nothing else, as public WebSocket APIs (exchange feeds, chat) send
 * it: JSON goes as a text frame, any other content type as a binary frame. Frames have no room for
 * headers, so a message with headers is refused instead of sent without them.
 */
import { isJsonContentType } from './codec.js';
import { UnsupportedError, UsageError } from './errors.js';
import { DEFAULT_MAX_DELIVERIES, deliverWithRetries, type CloudEventsBinding, type DeliveryHandler, type IncomingMessage, type OutgoingMessage, type TransportSubscribeOptions } from './transport.js';

/** No headers on a frame: CloudEvents travel in structured mode only. */
export const WEBSOCKET_BINDING: CloudEventsBinding = { headerPrefix: '', binary: false };

/**
 * The payload field that pairs a reply with its request (Kraken's `reqid`, JSON-RPC's `id`): the
 * request carries it, the reply repeats it. `next` makes one for a request that has none. Default
 * a counter from 1 (numbers, since most APIs type it as an integer).
 */
export interface WebSocketCorrelation {
  readonly field: string;
  readonly next?: (() => string | number) | undefined;
}

/** `/a/b%20c` for address `a/b c`: a leading slash, each segment percent-encoded, slashes kept. */
export function addressPath(address: string): string {
  const path = address.replace(/^\/+/, '');
  return `/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** The URL of an address: the base URL's path, then the address, then the query. */
export function addressUrl(base: string, address: string, query: Readonly<Record<string, string | number | boolean>> | undefined): string {
  const url = new URL(base);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`WebSocket URL "${base}" must start with ws:// or wss://`);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${addressPath(address)}`;
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, String(value));
  return url.toString();
}

/** The frame of a message: text for JSON (and no content type), binary otherwise. Throws on what a frame cannot carry. */
export function toFrame(address: string, message: OutgoingMessage): string | Uint8Array {
  const names = Object.keys(message.headers);
  if (names.length > 0) throw new UnsupportedError(`a WebSocket frame carries the payload only, not the headers (${names.join(', ')}) of a message to "${address}"`);
  if (message.contentType === undefined || isJsonContentType(message.contentType)) return textDecoder.decode(message.payload);
  return message.payload;
}

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/** A received frame as bytes, whichever form the WebSocket implementation hands it in. */
export function fromFrame(data: unknown): Uint8Array {
  if (typeof data === 'string') return textEncoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data)) return concat(data.map(fromFrame)); // ws with binaryType 'fragments'
  throw new UnsupportedError(`cannot read a WebSocket frame of type ${Object.prototype.toString.call(data)}: set binaryType to 'arraybuffer'`);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function jsonObject(payload: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(textDecoder.decode(payload)) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The correlation value of a payload, as a string key; undefined for a payload without one. */
export function correlationOf(payload: Uint8Array, field: string): string | undefined {
  const value = jsonObject(payload)?.[field];
  return typeof value === 'string' || typeof value === 'number' ? `${typeof value}:${value}` : undefined;
}

/**
 * The payload with its correlation field: kept when present, else set to `value()`. Returns the
 * payload and its key; a payload that is not a JSON object cannot carry one.
 */
export function withCorrelation(address: string, payload: Uint8Array, field: string, value: () => string | number | undefined): { readonly payload: Uint8Array; readonly key: string } {
  const object = jsonObject(payload);
  if (object === undefined) throw new UnsupportedError(`a request to "${address}" pairs with its reply by the payload field "${field}", but its payload is not a JSON object`);
  const own = object[field];
  if (typeof own === 'string' || typeof own === 'number') return { payload, key: `${typeof own}:${own}` };
  const filled = value();
  if (filled === undefined) throw new UsageError(`a message to "${address}" has no "${field}" to pair it with`);
  return { payload: textEncoder.encode(JSON.stringify({ ...object, [field]: filled })), key: `${typeof filled}:${filled}` };
}

/** The correlation value itself, from a key made by correlationOf. */
export function correlationValue(key: string): string | number {
  const at = key.indexOf(':');
  return key.slice(0, at) === 'number' ? Number(key.slice(at + 1)) : key.slice(at + 1);
}

/** A counter from 1: the default correlation values. */
export function counter(): () => number {
  let n = 0;
  return () => ++n;
}

/**
 * One frame handed to several subscriptions of one URL (Kraken puts every channel at `/`): each
 * subscription that cannot take it gives its report to `unclaimed`, and the reports are made only
 * when none of them took the frame, after all have tried. Otherwise every frame of one channel
 * would reach the others' onError as a validation or unknown-message error.
 */
export function sharedFrame(count: number): { readonly unclaimed: (report: () => void) => void; readonly done: () => void } {
  const reports: Array<() => void> = [];
  let left = count;
  return {
    unclaimed: (report) => void reports.push(report),
    done: () => {
      left -= 1;
      if (left === 0 && reports.length === count) for (const report of reports) report();
    },
  };
}

/** A subscription of either side, as far as delivering a frame to it goes. */
export interface FrameReceiver {
  readonly handler: DeliveryHandler;
  readonly options: TransportSubscribeOptions;
  readonly closed: boolean;
}

/**
 * One frame to one subscription: retried up to maxDeliveries, then dead-lettered. Each attempt
 * is remembered as coming from `from` (the socket a reply goes back on); a dead-letter hook that
 * throws goes to `report`.
 */
export function deliverFrame<F>(
  origin: WeakMap<IncomingMessage, F>,
  from: F,
  r: FrameReceiver,
  incoming: IncomingMessage,
  options: { readonly maxDeliveries?: number | undefined; readonly report: (error: unknown) => void },
): Promise<void> {
  return deliverWithRetries(
    (attempt) => {
      const message = attempt === 1 ? incoming : { ...incoming, deliveryAttempt: attempt };
      origin.set(message, from);
      return message;
    },
    r.handler,
    {
      max: r.options.maxDeliveries ?? options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
      stopped: () => r.closed,
      onDeadLetter: (message, error) => {
        try {
          r.options.onDeadLetter?.(message, error);
        } catch (thrown) {
          options.report(thrown);
        }
      },
    },
  );
}
