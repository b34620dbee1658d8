/**
 * WebSocket client transport, for browsers (the global WebSocket) and Node (pass `WebSocket` from
 * the `ws` package, or use connectNodeWebSocket in websocket-node.ts). No Node import here, so a
 * browser bundle of the client needs only this, websocket-wire.ts and the in-memory runtime.
 *
 * An address is a URL path, after the AsyncAPI WebSocket binding: the channel's address (its
 * parameters filled) is appended to the base URL, with the binding's query parameters. Each URL
 * gets one socket, shared by everything sent and received there; several channels at one URL
 * (a feed whose messages differ by a field) share it, and their clients route by discriminator.
 *
 * Delivery is at most once: WebSocket has no acknowledgements, so `publish` resolves once the frame
 * is handed to an open socket, and a frame in flight when the connection drops is lost. While a
 * socket that was open reconnects (backoff with jitter), publishes wait for it, at most
 * `maxQueued` of them for at most `queueTimeoutMs`; beyond that they reject with
 * WebSocketOfflineError, never silently dropped. Frames the server sent while the socket was down
 * are not received. Subscriptions live on across reconnects; `onConnect` can re-send what the
 * server needs to resume a feed (a subscribe frame).
 */
import type { AddressPattern } from './address.js';
import { ClosedError, UnavailableError, UnsupportedError, UsageError } from './errors.js';
import {
  asError,
  awaitReply,
  type DeliveryHandler,
  type IncomingMessage,
  type OutgoingMessage,
  type Transport,
  type TransportRequestOptions,
  type TransportSubscribeOptions,
  type TransportSubscription,
} from './transport.js';
import {
  addressUrl,
  correlationOf,
  correlationValue,
  counter,
  deliverFrame,
  fromFrame,
  sharedFrame,
  toFrame,
  WEBSOCKET_BINDING,
  withCorrelation,
  type WebSocketCorrelation,
} from './websocket-wire.js';

/** The part of the WebSocket API (WHATWG, which `ws` implements too) this transport uses. */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: 'open' | 'close' | 'error' | 'message',
    listener: (event: { readonly data?: unknown; readonly code?: number; readonly reason?: string; readonly message?: string }) => void,
  ): void;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

const OPEN = 1;

export interface WebSocketTransportOptions {
  /** `ws://` or `wss://` base URL; an address is appended to its path. Or a function from address to URL. */
  readonly url: string | ((address: string) => string);
  /** Query parameters of every URL (the channel binding's `query`), or per address. */
  readonly query?: Readonly<Record<string, string | number | boolean>> | ((address: string) => Readonly<Record<string, string | number | boolean>>) | undefined;
  /** The WebSocket class: default the global one (browsers, Node 22+); in Node 20 pass `ws`'s. */
  readonly WebSocket?: WebSocketConstructor | undefined;
  /** Makes the socket instead (handshake headers with `ws`: `(url) => new WebSocket(url, { headers })`). */
  readonly create?: ((url: string) => WebSocketLike) | undefined;
  readonly protocols?: string | string[] | undefined;
  /** Pairs replies with requests; without it `request` is unsupported. */
  readonly correlation?: WebSocketCorrelation | undefined;
  /** Time a first connection may take. Default 10000 ms. */
  readonly connectTimeoutMs?: number | undefined;
  /** First reconnect delay, doubled per failed attempt (with jitter) up to `maxReconnectDelayMs`. Defaults 250 and 30000 ms. */
  readonly reconnectDelayMs?: number | undefined;
  readonly maxReconnectDelayMs?: number | undefined;
  /** Publishes that may wait for a socket that is reconnecting; one more rejects. Default 1000. */
  readonly maxQueued?: number | undefined;
  /** How long a publish waits for its socket. Default 30000 ms. */
  readonly queueTimeoutMs?: number | undefined;
  /** Handler runs of one message before it is dead-lettered. Default 3. */
  readonly maxDeliveries?: number | undefined;
  /** Default time a request waits for its reply. Default 5000 ms. */
  readonly requestTimeoutMs?: number | undefined;
  /** Runs each time a socket opens (`reconnect` true after a drop), before waiting publishes are sent. */
  readonly onConnect?: ((info: { readonly address: string; readonly url: string; readonly reconnect: boolean; send(frame: string | Uint8Array): void }) => void | Promise<void>) | undefined;
  /** Connection drops and failed reconnects (the transport keeps trying), and errors thrown by `onDeadLetter`. */
  readonly onError?: ((error: Error) => void) | undefined;
}

/** A publish that could not wait for its socket: too many wait already, or it did not come back in time. */
export class WebSocketOfflineError extends UnavailableError {
  constructor(
    readonly address: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`WebSocket to "${address}" is not open: ${message}; the message was not sent`, options);
    this.name = 'WebSocketOfflineError';
  }
}

interface Waiting {
  readonly frame: string | Uint8Array;
  readonly sent: () => void;
  readonly failed: (error: Error) => void;
}

interface Receiver {
  readonly pattern: AddressPattern;
  readonly handler: DeliveryHandler;
  readonly options: TransportSubscribeOptions;
  /** Deliveries run one at a time, in arrival order. */
  tail: Promise<void>;
  closed: boolean;
}

/** One socket per URL, reopened after a drop while anything uses it. */
class Connection {
  socket: WebSocketLike | undefined;
  /** True once the socket has been open: a drop then reconnects instead of failing. */
  everOpen = false;
  attempts = 0;
  readonly receivers = new Set<Receiver>();
  readonly waiting: Waiting[] = [];
  /** Resolves on the first open; rejects if the first attempt fails. */
  readonly first: Promise<void>;
  settleFirst: (error?: Error) => void = () => undefined;
  /** Kept open for publishes and requests even with no subscription. */
  pinned = false;
  retry: ReturnType<typeof setTimeout> | undefined;
  done = false;

  constructor(
    readonly address: string,
    readonly url: string,
  ) {
    this.first = new Promise<void>((resolve, reject) => {
      this.settleFirst = (error) => (error ? reject(error) : resolve());
    });
    this.first.catch(() => undefined);
  }

  get open(): boolean {
    return this.socket?.readyState === OPEN;
  }
}

export class WebSocketTransport implements Transport {
  readonly cloudEvents = WEBSOCKET_BINDING;
  /** Frames carry the payload only: trace headers are left out. */
  readonly carriesHeaders = false;
  readonly system = 'websocket';
  private readonly connections = new Map<string, Connection>();
  /** Requests waiting for their reply, by correlation key. */
  private readonly pending = new Map<string, (reply: IncomingMessage | Error) => void>();
  private readonly origin = new WeakMap<IncomingMessage, Connection>();
  private readonly nextId: () => string | number;
  private closed = false;

  constructor(private readonly options: WebSocketTransportOptions) {
    this.nextId = options.correlation?.next ?? counter();
    if (options.WebSocket === undefined && options.create === undefined && globalWebSocket() === undefined) {
      throw new UsageError("there is no global WebSocket here (Node before 22): pass WebSocket from the 'ws' package, or use connectNodeWebSocket");
    }
  }

  /** Whether the socket of an address is open now; publishes to it while it is not wait (see maxQueued). */
  connected(address: string): boolean {
    return this.connections.get(address)?.open ?? false;
  }

  async publish(address: string, message: OutgoingMessage): Promise<void> {
    this.assertOpen();
    const connection = this.connection(address);
    connection.pinned = true;
    await this.send(connection, toFrame(address, message));
  }

  /** Opens (or shares) the socket of the address; every parameter must be pinned, since the address is the URL. */
  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    this.assertOpen();
    const free = pattern.parts.flatMap((p) => ('parameter' in p ? [p.parameter] : []));
    if (free.length > 0) {
      throw new UsageError(`a WebSocket address is a URL: subscribe to "${pattern.template}" with its parameters given (${free.map((p) => `parameters.${p}`).join(', ')})`);
    }
    const address = pattern.parts.map((p) => ('literal' in p ? p.literal : '')).join('');
    const connection = this.connection(address);
    const receiver: Receiver = { pattern, handler, options, tail: Promise.resolve(), closed: false };
    connection.receivers.add(receiver);
    try {
      await connection.first;
    } catch (error) {
      connection.receivers.delete(receiver);
      throw error;
    }
    return { close: () => this.unsubscribe(connection, receiver) };
  }

  /** Sends the request and resolves with the first frame on the same socket whose correlation field repeats the request's. */
  async request(address: string, message: OutgoingMessage, options: TransportRequestOptions = {}): Promise<IncomingMessage> {
    this.assertOpen();
    const field = this.options.correlation?.field;
    if (field === undefined) throw new UnsupportedError('WebSocket request/reply pairs replies by a payload field: set the transport\'s correlation option (e.g. { field: "reqid" })');
    const frame = toFrame(address, message);
    const { payload, key } = withCorrelation(address, message.payload, field, this.nextId);
    if (this.pending.has(key)) throw new UsageError(`a request with ${field} ${correlationValue(key)} is already waiting for its reply`);
    const connection = this.connection(address);
    connection.pinned = true;
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 5000;
    return awaitReply(this.pending, key, timeoutMs, `WebSocket request to "${address}"`, () => this.send(connection, typeof frame === 'string' ? new TextDecoder().decode(payload) : payload));
  }

  /** Answers on the socket the request came on, repeating its correlation field. */
  async reply(to: IncomingMessage, message: OutgoingMessage): Promise<void> {
    const connection = this.origin.get(to);
    if (connection === undefined) throw new UsageError(`message on "${to.address}" did not come through this transport`);
    await this.send(connection, replyFrame(to, message, this.options.correlation?.field));
  }

  /** Waits for running handlers, rejects waiting publishes and requests, and closes every socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const settle of this.pending.values()) settle(new ClosedError('WebSocket transport closed before the reply came'));
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => this.shut(c)));
  }

  private connection(address: string): Connection {
    let connection = this.connections.get(address);
    if (connection === undefined) {
      const o = this.options;
      const url = typeof o.url === 'string' ? addressUrl(o.url, address, typeof o.query === 'function' ? o.query(address) : o.query) : o.url(address);
      connection = new Connection(address, url);
      this.connections.set(address, connection);
      this.dial(connection);
    }
    return connection;
  }

  /** Opens the socket; a socket that was open once is redialled after every drop, with backoff. */
  private dial(c: Connection): void {
    if (c.done) return;
    const o = this.options;
    let socket: WebSocketLike;
    try {
      socket = o.create ? o.create(c.url) : new (o.WebSocket ?? (globalWebSocket() as WebSocketConstructor))(c.url, o.protocols);
    } catch (error) {
      return this.dropped(c, new UnavailableError(`cannot open WebSocket ${c.url}: ${asError(error).message}`, { cause: error }));
    }
    c.socket = socket;
    socket.binaryType = 'arraybuffer';
    const timeoutMs = o.connectTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      if (socket.readyState !== OPEN) {
        failure = `no connection within ${timeoutMs} ms`;
        socket.close();
      }
    }, timeoutMs);
    let failure: string | undefined;
    socket.addEventListener('open', () => {
      clearTimeout(timer);
      void this.opened(c, socket);
    });
    socket.addEventListener('error', (event) => {
      failure ??= event.message ?? 'connection error';
    });
    socket.addEventListener('message', (event) => this.received(c, event.data));
    socket.addEventListener('close', (event) => {
      clearTimeout(timer);
      if (c.socket !== socket) return;
      c.socket = undefined;
      const why = failure ?? `closed with code ${event.code ?? 1006}${event.reason ? ` (${event.reason})` : ''}`;
      this.dropped(c, new UnavailableError(`WebSocket ${c.url}: ${why}`));
    });
  }

  private async opened(c: Connection, socket: WebSocketLike): Promise<void> {
    const reconnect = c.everOpen;
    c.everOpen = true;
    c.attempts = 0;
    try {
      await this.options.onConnect?.({ address: c.address, url: c.url, reconnect, send: (frame) => socket.send(frame) });
    } catch (error) {
      this.report(error);
    }
    c.settleFirst();
    this.flush(c);
  }

  /** A first connection that fails fails its callers; a drop later on reconnects. */
  private dropped(c: Connection, error: UnavailableError): void {
    if (c.done) return;
    if (!c.everOpen) {
      c.settleFirst(error);
      for (const w of c.waiting.splice(0)) w.failed(new WebSocketOfflineError(c.address, error.message, { cause: error }));
      this.connections.delete(c.address);
      c.done = true;
      return;
    }
    this.report(error);
    c.attempts += 1;
    const base = this.options.reconnectDelayMs ?? 250;
    const max = Math.max(base, this.options.maxReconnectDelayMs ?? 30_000);
    const delay = Math.min(max, base * 2 ** (c.attempts - 1));
    c.retry = setTimeout(() => this.dial(c), delay / 2 + Math.random() * (delay / 2));
  }

  private send(c: Connection, frame: string | Uint8Array): Promise<void> {
    if (c.open && c.waiting.length === 0) {
      (c.socket as WebSocketLike).send(frame);
      return Promise.resolve();
    }
    const max = this.options.maxQueued ?? 1000;
    if (c.waiting.length >= max) return Promise.reject(new WebSocketOfflineError(c.address, `${max} messages already wait for it (maxQueued)`));
    const timeoutMs = this.options.queueTimeoutMs ?? 30_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = c.waiting.indexOf(waiting);
        if (at >= 0) c.waiting.splice(at, 1);
        reject(new WebSocketOfflineError(c.address, `it did not open within ${timeoutMs} ms (queueTimeoutMs)`));
      }, timeoutMs);
      const waiting: Waiting = {
        frame,
        sent: () => {
          clearTimeout(timer);
          resolve();
        },
        failed: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      c.waiting.push(waiting);
    });
  }

  /** Sends what waited, in order, while the socket stays open. */
  private flush(c: Connection): void {
    while (c.open && c.waiting.length > 0) {
      const w = c.waiting.shift() as Waiting;
      try {
        (c.socket as WebSocketLike).send(w.frame);
        w.sent();
      } catch (error) {
        w.failed(asError(error));
      }
    }
  }

  private received(c: Connection, data: unknown): void {
    let payload: Uint8Array;
    try {
      payload = fromFrame(data);
    } catch (error) {
      return this.report(error);
    }
    const field = this.options.correlation?.field;
    const key = field === undefined ? undefined : correlationOf(payload, field);
    const incoming: IncomingMessage = { address: c.address, payload, headers: {}, deliveryAttempt: 1, ...(key === undefined ? {} : { correlationId: String(correlationValue(key)) }) };
    const waiting = key === undefined ? undefined : this.pending.get(key);
    if (waiting) return waiting(incoming); // a reply goes to its request only
    const targets = [...c.receivers].filter((r) => !r.closed && r.pattern.match(c.address) !== undefined);
    const shared = targets.length > 1 ? sharedFrame(targets.length) : undefined;
    const message = shared ? { ...incoming, unclaimed: shared.unclaimed } : incoming;
    for (const r of targets) {
      this.origin.set(message, c);
      r.tail = r.tail.then(() => this.deliver(c, r, message));
      if (shared) void r.tail.then(shared.done, shared.done);
    }
  }

  private deliver(c: Connection, r: Receiver, incoming: IncomingMessage): Promise<void> {
    return deliverFrame(this.origin, c, r, incoming, { maxDeliveries: this.options.maxDeliveries, report: (error) => this.report(error) });
  }

  private async unsubscribe(c: Connection, r: Receiver): Promise<void> {
    if (r.closed) return r.tail;
    r.closed = true;
    c.receivers.delete(r);
    await r.tail;
    if (c.receivers.size === 0 && !c.pinned && this.connections.get(c.address) === c) {
      this.connections.delete(c.address);
      await this.shut(c);
    }
  }

  private async shut(c: Connection): Promise<void> {
    c.done = true;
    clearTimeout(c.retry);
    for (const r of c.receivers) r.closed = true;
    await Promise.all([...c.receivers].map((r) => r.tail));
    c.receivers.clear();
    for (const w of c.waiting.splice(0)) w.failed(new ClosedError('WebSocket transport closed before the message was sent'));
    c.settleFirst(new ClosedError('WebSocket transport closed'));
    const socket = c.socket;
    c.socket = undefined;
    if (socket === undefined || socket.readyState > OPEN) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      socket.addEventListener('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close(1000, 'client closed');
    });
  }

  private report(error: unknown): void {
    this.options.onError?.(asError(error));
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError('WebSocket transport is closed');
  }
}

/** The reply's frame, with the request's correlation field when the reply lacks it. */
export function replyFrame(to: IncomingMessage, message: OutgoingMessage, field: string | undefined): string | Uint8Array {
  const frame = toFrame(to.address, message);
  if (field === undefined || to.correlationId === undefined) return frame;
  const key = correlationOf(to.payload, field);
  if (key === undefined) return frame;
  const { payload } = withCorrelation(to.address, message.payload, field, () => correlationValue(key));
  return typeof frame === 'string' ? new TextDecoder().decode(payload) : payload;
}

function globalWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { readonly WebSocket?: WebSocketConstructor }).WebSocket;
}

/** A client transport; sockets open on first use of each address. */
export function connectWebSocket(options: WebSocketTransportOptions): WebSocketTransport {
  return new WebSocketTransport(options);
}
