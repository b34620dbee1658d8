/**
 * Server-sent events receiver, on the design of the WebSocket client: an address is a URL path
 * below the base URL, one stream per subscription, reconnect with backoff. Each event's `data` is a
 * message's payload. Receive only; browser-safe (fetch and streams, no Node import, no EventSource,
 * which Node lacks), emitted with the WebSocket adapter.
 *
 * After a drop the stream is asked for again with `Last-Event-ID` (the last `id:` seen), so a
 * server that keeps its events resumes where the stream stopped and nothing is lost; one that does
 * not starts afresh, and what it sent meanwhile is lost (at most once). The server's `retry:` sets
 * the first reconnect delay; a 204 answer stops the stream for good, as in browsers.
 */
import type { AddressPattern } from './address.js';
import { ClosedError, UnavailableError, UnsupportedError, UsageError } from './errors.js';
import { DEFAULT_MAX_DELIVERIES, deliverWithRetries, type DeliveryHandler, type IncomingMessage, type Transport, type TransportSubscribeOptions, type TransportSubscription } from './transport.js';
import { addressPath } from './websocket-wire.js';

export interface SseFetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}
export type SseFetch = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<SseFetchResponse>;

export interface SseTransportOptions {
  /** `http://` or `https://` base URL; an address is appended to its path. Or a function from address to URL. */
  readonly url: string | ((address: string) => string);
  readonly query?: Readonly<Record<string, string | number | boolean>> | undefined;
  /** Sent with every request (auth); a browser adds its cookies itself. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Only events of these `event:` names (an event without one is `message`). Default all. */
  readonly events?: readonly string[] | undefined;
  /** First reconnect delay (or the server's `retry:`), doubled per failed attempt up to `maxReconnectDelayMs`. Defaults 1000 and 30000 ms. */
  readonly reconnectDelayMs?: number | undefined;
  readonly maxReconnectDelayMs?: number | undefined;
  /** Handler runs of one event before it is dead-lettered. Default 3. */
  readonly maxDeliveries?: number | undefined;
  readonly fetch?: SseFetch | undefined;
  /** Drops and failed reconnects (the transport keeps trying), and errors thrown by `onDeadLetter`. */
  readonly onError?: ((error: Error) => void) | undefined;
}

interface SseEvent {
  readonly event: string;
  readonly data: string;
}

interface Stream {
  readonly address: string;
  readonly url: string;
  readonly handler: DeliveryHandler;
  readonly options: TransportSubscribeOptions;
  readonly abort: AbortController;
  lastId: string;
  retryMs: number | undefined;
  tail: Promise<void>;
  closed: boolean;
}

const encoder = new TextEncoder();

/** Splits an event stream into events, after the WHATWG rules (fields, comments, `retry`, `id`). */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private skipNewline = false;
  private readonly decoder = new TextDecoder();

  constructor(private readonly on: { event(e: SseEvent): void; id(id: string): void; retry(ms: number): void }) {}

  push(chunk: Uint8Array): void {
    let text = this.decoder.decode(chunk, { stream: true });
    // A chunk that ends in \r may have its \n in the next one: one line end, not two.
    if (this.skipNewline && text.startsWith('\n')) text = text.slice(1);
    this.skipNewline = text.endsWith('\r');
    const lines = (this.buffer + text).split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.on.event({ event: this.event || 'message', data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\u0000')) this.on.id(value);
    else if (field === 'retry' && /^\d+$/.test(value)) this.on.retry(Number(value));
  }
}

export class SseTransport implements Transport {
  readonly carriesHeaders = false;
  readonly system = 'sse';
  private readonly streams = new Set<Stream>();
  private closed = false;

  constructor(private readonly options: SseTransportOptions) {}

  publish(): Promise<void> {
    return Promise.reject(new UnsupportedError('server-sent events only flow from the server: publish over another transport'));
  }

  /** Opens the stream of the address; resolves once the server answered with an event stream. */
  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    if (this.closed) throw new ClosedError('SSE transport is closed');
    const free = pattern.parts.flatMap((p) => ('parameter' in p ? [p.parameter] : []));
    if (free.length > 0) throw new UsageError(`an SSE address is a URL: subscribe to "${pattern.template}" with its parameters given (${free.map((p) => `parameters.${p}`).join(', ')})`);
    const address = pattern.parts.map((p) => ('literal' in p ? p.literal : '')).join('');
    const stream: Stream = { address, url: this.url(address), handler, options, abort: new AbortController(), lastId: '', retryMs: undefined, tail: Promise.resolve(), closed: false };
    const body = await this.open(stream);
    this.streams.add(stream);
    void this.run(stream, body);
    return { close: () => this.stop(stream) };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.streams].map((s) => this.stop(s)));
  }

  private url(address: string): string {
    const o = this.options;
    if (typeof o.url === 'function') return o.url(address);
    const url = new URL(o.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`SSE URL "${o.url}" must start with http:// or https://`);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${addressPath(address)}`;
    for (const [name, value] of Object.entries(o.query ?? {})) url.searchParams.set(name, String(value));
    return url.toString();
  }

  /** One request for the stream; rejects unless the answer is 200 with text/event-stream. */
  private async open(s: Stream): Promise<ReadableStream<Uint8Array> | undefined> {
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache', ...this.options.headers };
    if (s.lastId !== '') headers['last-event-id'] = s.lastId;
    const send = this.options.fetch ?? ((url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => fetch(url, init));
    let response: SseFetchResponse;
    try {
      response = await send(s.url, { headers, signal: s.abort.signal });
    } catch (error) {
      throw new UnavailableError(`cannot reach SSE stream ${s.url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (response.status === 204) return undefined; // the server says: no more, do not reconnect
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !/^text\/event-stream\b/i.test(type) || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw new UnavailableError(`SSE stream ${s.url} answered ${response.status}${type ? ` (${type})` : ''}, not 200 text/event-stream`);
    }
    return response.body;
  }

  /** Reads the stream; after it ends or fails, asks again with backoff while the subscription lives. */
  private async run(s: Stream, first: ReadableStream<Uint8Array> | undefined): Promise<void> {
    let body = first;
    let attempts = 0;
    while (!s.closed && body !== undefined) {
      const received = await this.read(s, body).catch((error: unknown) => {
        if (!s.closed) this.report(error);
        return false;
      });
      if (s.closed) return;
      attempts = received ? 1 : attempts + 1;
      const base = s.retryMs ?? this.options.reconnectDelayMs ?? 1000;
      const delay = Math.min(Math.max(base, this.options.maxReconnectDelayMs ?? 30_000), base * 2 ** (attempts - 1));
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
      body = undefined;
      while (!s.closed) {
        try {
          body = await this.open(s);
          break;
        } catch (error) {
          this.report(error);
          attempts += 1;
          const wait = Math.min(Math.max(base, this.options.maxReconnectDelayMs ?? 30_000), base * 2 ** (attempts - 1));
          await new Promise((resolve) => setTimeout(resolve, wait / 2 + Math.random() * (wait / 2)));
        }
      }
      if (body === undefined) return;
    }
  }

  /** Resolves true when the stream carried at least one event before it ended. */
  private async read(s: Stream, body: ReadableStream<Uint8Array>): Promise<boolean> {
    let any = false;
    const wanted = this.options.events;
    const parser = new SseParser({
      id: (id) => (s.lastId = id),
      retry: (ms) => (s.retryMs = ms),
      event: (e) => {
        any = true;
        if (wanted && !wanted.includes(e.event)) return;
        const incoming: IncomingMessage = { address: s.address, payload: encoder.encode(e.data), headers: {}, deliveryAttempt: 1 };
        s.tail = s.tail.then(() => this.deliver(s, incoming));
      },
    });
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } finally {
      reader.releaseLock();
    }
    if (!s.closed) this.report(new UnavailableError(`SSE stream ${s.url} ended; reconnecting`));
    return any;
  }

  private deliver(s: Stream, incoming: IncomingMessage): Promise<void> {
    return deliverWithRetries((attempt) => (attempt === 1 ? incoming : { ...incoming, deliveryAttempt: attempt }), s.handler, {
      max: s.options.maxDeliveries ?? this.options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
      stopped: () => s.closed,
      onDeadLetter: (message, error) => {
        try {
          s.options.onDeadLetter?.(message, error);
        } catch (thrown) {
          this.report(thrown);
        }
      },
    });
  }

  private async stop(s: Stream): Promise<void> {
    if (!s.closed) {
      s.closed = true;
      s.abort.abort();
      this.streams.delete(s);
    }
    await s.tail;
  }

  private report(error: unknown): void {
    this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A receiver of server-sent events; each subscription opens its stream. */
export function connectEventSource(options: SseTransportOptions): SseTransport {
  return new SseTransport(options);
}
