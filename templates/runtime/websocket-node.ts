/**
 * The Node side of WebSocket, over the `ws` package: a server transport that serves a spec's
 * channels to WebSocket clients, and connectNodeWebSocket, the client of websocket.ts with `ws`.
 *
 * A client's address is the path it connects to (below `basePath`). What a client sends arrives
 * at the server's subscriptions whose pattern matches its address, parameters included; what the
 * server publishes to an address goes to every client connected there, and `publish` resolves once
 * it is written to each (at most once: no client, no delivery, as with core NATS). A reply goes
 * back to the client that asked, repeating the request's correlation field.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { ClosedError, UnavailableError, UnsupportedError } from './errors.js';
import type { DeliveryHandler, IncomingMessage, OutgoingMessage, Transport, TransportSubscribeOptions, TransportSubscription } from './transport.js';
import { connectWebSocket, replyFrame, type WebSocketTransport, type WebSocketConstructor, type WebSocketTransportOptions } from './websocket.js';
import { correlationOf, correlationValue, deliverFrame, fromFrame, sharedFrame, toFrame, WEBSOCKET_BINDING, type WebSocketCorrelation } from './websocket-wire.js';
import type { AddressPattern } from './address.js';

/** The client transport of websocket.ts, with `ws` as the WebSocket class unless another is given. */
export function connectNodeWebSocket(options: WebSocketTransportOptions): WebSocketTransport {
  return connectWebSocket({ WebSocket: WebSocket as unknown as WebSocketConstructor, ...options });
}

/** One connected client, as `accept` and `onConnection` see it. */
export interface WebSocketPeer {
  /** The path it connected to, below `basePath`, percent-decoded: the address of its messages. */
  readonly address: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
}

export interface WebSocketServerOptions {
  /** Path prefix of every address (the server's `pathname` in the spec). Default none. */
  readonly basePath?: string | undefined;
  /** Pairs replies with requests (the field a reply repeats). */
  readonly correlation?: WebSocketCorrelation | undefined;
  /** False refuses the connection with 404 (an address the service does not serve) before the handshake. Default: all. */
  readonly accept?: ((peer: WebSocketPeer) => boolean) | undefined;
  readonly onConnection?: ((peer: WebSocketPeer) => void) | undefined;
  /** Largest frame a client may send. Default 1 MiB. */
  readonly maxPayloadBytes?: number | undefined;
  /** Handler runs of one message before it is dead-lettered. Default 3. */
  readonly maxDeliveries?: number | undefined;
  /** Errors of sockets and of `onDeadLetter`. */
  readonly onError?: ((error: Error) => void) | undefined;
}

interface Client {
  readonly socket: WebSocket;
  readonly peer: WebSocketPeer;
  /** This client's deliveries run one at a time, in the order it sent them. */
  tail: Promise<void>;
}

interface Receiver {
  readonly pattern: AddressPattern;
  readonly handler: DeliveryHandler;
  readonly options: TransportSubscribeOptions;
  readonly running: Set<Promise<void>>;
  closed: boolean;
}

/** `/v1/marketdata/btcusd` against a channel address with or without its leading slash. */
function matches(pattern: AddressPattern, path: string): string | undefined {
  if (pattern.match(path) !== undefined) return path;
  const bare = path.replace(/^\/+/, '');
  return pattern.match(bare) !== undefined ? bare : undefined;
}

function sameAddress(a: string, b: string): boolean {
  return a.replace(/^\/+/, '') === b.replace(/^\/+/, '');
}

export class WebSocketServerTransport implements Transport {
  readonly cloudEvents = WEBSOCKET_BINDING;
  /** Frames carry the payload only: trace headers are left out. */
  readonly carriesHeaders = false;
  readonly system = 'websocket';
  readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly receivers = new Set<Receiver>();
  private readonly origin = new WeakMap<IncomingMessage, Client>();
  /** The servers listen() made; an attached server stays its owner's. */
  private readonly servers = new Set<http.Server>();
  private readonly basePath: string;
  private closed = false;

  constructor(private readonly options: WebSocketServerOptions = {}) {
    this.basePath = (options.basePath ?? '').replace(/\/+$/, '');
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024 });
  }

  /** Listens on its own HTTP server; resolves with the `ws://` URL clients use as their base. */
  async listen(options: { readonly port?: number; readonly host?: string } = {}): Promise<{ readonly url: string; readonly server: http.Server }> {
    const server = http.createServer((_req, res) => res.writeHead(426, { upgrade: 'websocket' }).end('WebSocket only\n'));
    this.attach(server);
    this.servers.add(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return { url: `ws://${host}:${port}${this.basePath}`, server };
  }

  /** Serves WebSocket upgrades of an HTTP server of yours; other requests stay yours. */
  attach(server: http.Server): void {
    server.on('upgrade', (request: http.IncomingMessage, socket, head) => {
      const url = new URL(request.url ?? '/', 'ws://localhost');
      const refuse = (status: number, text: string): void => {
        socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      };
      if (this.closed) return refuse(503, 'Service Unavailable');
      let path: string;
      try {
        path = url.pathname.split('/').map(decodeURIComponent).join('/');
      } catch {
        return refuse(400, 'Bad Request');
      }
      if (this.basePath !== '' && path !== this.basePath && !path.startsWith(`${this.basePath}/`)) return refuse(404, 'Not Found');
      const peer: WebSocketPeer = { address: path.slice(this.basePath.length) || '/', query: url.searchParams, headers: request.headers };
      if (this.options.accept && !this.options.accept(peer)) return refuse(404, 'Not Found');
      this.wss.handleUpgrade(request, socket, head, (ws) => this.connected(ws, peer));
    });
  }

  /** Sends to every client connected at the address; resolves once written to each. */
  async publish(address: string, message: OutgoingMessage): Promise<void> {
    this.assertOpen();
    const frame = toFrame(address, message);
    const to = [...this.clients].filter((c) => c.socket.readyState === WebSocket.OPEN && sameAddress(c.peer.address, address));
    const failed = (await Promise.allSettled(to.map((c) => write(c.socket, frame)))).filter((r) => r.status === 'rejected');
    if (failed.length > 0)
      throw new UnavailableError(`WebSocket publish to "${address}" reached ${to.length - failed.length} of ${to.length} clients (the others were disconnecting)`, { cause: failed[0]?.reason });
  }

  /** Receives what clients send on matching addresses; free parameters match any value. */
  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    this.assertOpen();
    const receiver: Receiver = { pattern, handler, options, running: new Set(), closed: false };
    this.receivers.add(receiver);
    return {
      close: async () => {
        receiver.closed = true;
        this.receivers.delete(receiver);
        await Promise.allSettled([...receiver.running]);
      },
    };
  }

  request(): Promise<IncomingMessage> {
    return Promise.reject(new UnsupportedError('the WebSocket server answers requests (respond); it does not ask its clients'));
  }

  async reply(to: IncomingMessage, message: OutgoingMessage): Promise<void> {
    const client = this.origin.get(to);
    if (client === undefined || client.socket.readyState !== WebSocket.OPEN) throw new ClosedError(`the client that sent the request on "${to.address}" is gone`);
    await write(client.socket, replyFrame(to, message, this.options.correlation?.field));
  }

  /** The client a received message came from (its path, query and handshake headers: who is asking). */
  peer(message: IncomingMessage): WebSocketPeer | undefined {
    return this.origin.get(message)?.peer;
  }

  /** The clients connected now, at an address or at all. */
  peers(address?: string): WebSocketPeer[] {
    return [...this.clients].filter((c) => address === undefined || sameAddress(c.peer.address, address)).map((c) => c.peer);
  }

  /** Waits for running handlers, closes every client (1001, going away) and stops the server listen() started. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.receivers) r.closed = true;
    await Promise.allSettled([...this.receivers].flatMap((r) => [...r.running]));
    await Promise.all([...this.clients].map((c) => c.tail));
    for (const c of this.clients) c.socket.close(1001, 'server closing');
    await Promise.all(
      [...this.clients].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.socket.readyState === WebSocket.CLOSED) return resolve();
            const timer = setTimeout(() => {
              c.socket.terminate();
              resolve();
            }, 1000);
            c.socket.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
    this.wss.close();
    await Promise.all([...this.servers].map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  }

  private connected(socket: WebSocket, peer: WebSocketPeer): void {
    const client: Client = { socket, peer, tail: Promise.resolve() };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', (error) => this.report(error));
    socket.on('message', (data: RawData) => {
      const payload = fromFrame(data);
      const field = this.options.correlation?.field;
      const key = field === undefined ? undefined : correlationOf(payload, field);
      const targets: Array<{ readonly r: Receiver; readonly address: string }> = [];
      for (const r of this.receivers) {
        const address = matches(r.pattern, peer.address);
        if (!r.closed && address !== undefined) targets.push({ r, address });
      }
      const shared = targets.length > 1 ? sharedFrame(targets.length) : undefined;
      for (const { r, address } of targets) {
        const incoming: IncomingMessage = {
          address,
          payload,
          headers: {},
          deliveryAttempt: 1,
          ...(key === undefined ? {} : { correlationId: String(correlationValue(key)) }),
          ...(shared ? { unclaimed: shared.unclaimed } : {}),
        };
        const run = client.tail.then(() => this.deliver(client, r, incoming));
        r.running.add(run);
        void run.finally(() => r.running.delete(run));
        if (shared) void run.then(shared.done, shared.done);
        client.tail = run;
      }
    });
    try {
      this.options.onConnection?.(peer);
    } catch (error) {
      this.report(error);
    }
  }

  private deliver(client: Client, r: Receiver, incoming: IncomingMessage): Promise<void> {
    return deliverFrame(this.origin, client, r, incoming, { maxDeliveries: this.options.maxDeliveries, report: (error) => this.report(error) });
  }

  private report(error: unknown): void {
    this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError('WebSocket server is closed');
  }
}

function write(socket: WebSocket, frame: string | Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => socket.send(frame, { binary: typeof frame !== 'string' }, (error) => (error ? reject(error) : resolve())));
}

/** A WebSocket server transport; call `listen` or `attach` to serve. */
export function webSocketServer(options: WebSocketServerOptions = {}): WebSocketServerTransport {
  return new WebSocketServerTransport(options);
}
