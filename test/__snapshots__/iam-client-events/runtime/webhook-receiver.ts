/** The receiving end of HTTP webhooks: verified, routed by path, answered after the handler (see webhook.ts). */
import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AddressPattern } from './address.js';
import { ClosedError, type DecodeError, type MessagingError, type UnknownMessageError, UnsupportedError, UsageError, type ValidationError } from './errors.js';
import type { DeliveryHandler, IncomingMessage, Transport, TransportSubscribeOptions, TransportSubscription } from './transport.js';
import { DEFAULT_ATTEMPT_HEADER, DEFAULT_SIGNATURE_HEADER, DEFAULT_TIMESTAMP_HEADER, DEFAULT_TOLERANCE_SECONDS, verifyWebhook, type WebhookSecret } from './webhook-signature.js';
import { HTTP_BINDING, type HeaderNames } from './webhook-http.js';

export interface WebhookReceiverOptions extends HeaderNames {
  /** The secret, or several while rotating: a request signed with any of them is accepted. */
  readonly secret: WebhookSecret | readonly WebhookSecret[];
  /** Path prefix in front of the address, such as `/hooks`. Default none. */
  readonly basePath?: string | undefined;
  /** Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined;
  /** Allowed clock difference, and how long a signature is remembered against replays. Default 300. */
  readonly toleranceSeconds?: number | undefined;
  /** Signatures remembered against replays; the oldest is forgotten beyond it. Default 10000. */
  readonly replayMemory?: number | undefined;
  /** Told about failures that are not the caller's fault (a throwing dead-letter callback, a lost socket). */
  readonly onError?: ((error: unknown) => void) | undefined;
}

export type WebhookMiddleware = (req: HttpRequest, res: ServerResponse, next?: (error?: unknown) => void) => void;

interface ReceiverSubscription {
  readonly pattern: AddressPattern;
  readonly handler: DeliveryHandler;
  readonly options: TransportSubscribeOptions;
  readonly inFlight: Set<Promise<unknown>>;
  closed: boolean;
}

/** Hop-by-hop and client-chosen headers: about this HTTP request, not about the message. */
const NOT_WIRE = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'content-length',
  'content-type',
  'accept',
  'accept-encoding',
  'accept-language',
  'user-agent',
  'sec-fetch-mode',
]);

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
}

function readBody(req: HttpRequest, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too-large' | 'aborted'): void => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish('too-large');
      } else chunks.push(chunk);
    };
    const onEnd = (): void => finish(Buffer.concat(chunks, size));
    const onAbort = (): void => finish('aborted');
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/** Signatures seen recently, each until its expiry; bounded, oldest forgotten first. */
class ReplayMemory {
  private readonly seen = new Map<string, number>();
  constructor(private readonly limit: number) {}

  has(key: string, now: number): boolean {
    const expiry = this.seen.get(key);
    return expiry !== undefined && expiry > now;
  }

  add(key: string, expiry: number, now: number): void {
    for (const [k, e] of this.seen) {
      if (e > now && this.seen.size < this.limit) break;
      this.seen.delete(k);
    }
    this.seen.set(key, expiry);
  }

  delete(key: string): void {
    this.seen.delete(key);
  }
}

export class WebhookReceiver implements Transport {
  readonly cloudEvents = HTTP_BINDING;
  readonly system = 'webhook';
  private readonly subscriptions = new Set<ReceiverSubscription>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly groupTurns = new Map<string, number>();
  private readonly replays: ReplayMemory;
  private readonly basePath: string;
  private server: Server | undefined;
  private closing = false;

  constructor(private readonly options: WebhookReceiverOptions) {
    this.replays = new ReplayMemory(options.replayMemory ?? 10_000);
    this.basePath = (options.basePath ?? '').replace(/\/+$/, '').replace(/^(?=[^/])/, '/');
  }

  /** Mount on any node:http server, or as Express/Connect middleware (before any body parser). */
  readonly handler: WebhookMiddleware = (req, res, next) => {
    this.handle(req, res, next).catch((error: unknown) => {
      this.options.onError?.(error);
      answer(res, 500, 'internal error');
    });
  };

  async subscribe(pattern: AddressPattern, handler: DeliveryHandler, options: TransportSubscribeOptions = {}): Promise<TransportSubscription> {
    if (this.closing) throw new ClosedError('webhookReceiver is closed');
    const subscription: ReceiverSubscription = { pattern, handler, options, inFlight: new Set(), closed: false };
    this.subscriptions.add(subscription);
    return {
      close: async () => {
        subscription.closed = true;
        this.subscriptions.delete(subscription);
        await Promise.allSettled([...subscription.inFlight]);
      },
    };
  }

  publish(): Promise<void> {
    return Promise.reject(new UnsupportedError('webhookReceiver only receives: use webhookSender to publish webhooks'));
  }

  /** Starts a standalone server; `host` defaults to node's (every interface), `port` to a free one. */
  async listen(options: { readonly port?: number | undefined; readonly host?: string | undefined } = {}): Promise<{ host: string; port: number; url: string }> {
    if (this.server !== undefined) throw new UsageError('webhookReceiver is already listening');
    const server = createServer(this.handler);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address === '::' || address === '0.0.0.0' ? '127.0.0.1' : address;
    return { host: address, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${this.basePath}` };
  }

  /**
   * Answers 503 to new requests, waits for handlers under way, then closes the server it started;
   * connections still busy a second later (a client slow to send its body) are cut.
   */
  async close(): Promise<void> {
    this.closing = true;
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
    for (const s of this.subscriptions) s.closed = true;
    this.subscriptions.clear();
    const server = this.server;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), 1000);
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    });
  }

  /** The address in the path after `basePath`, percent-decoded; null when malformed. */
  private addressOf(url: string | undefined): string | undefined | null {
    const path = (url ?? '/').split('?')[0] ?? '/';
    if (this.basePath !== '' && path !== this.basePath && !path.startsWith(`${this.basePath}/`)) return undefined;
    try {
      return decodeURIComponent(path.slice(this.basePath.length).replace(/^\//, ''));
    } catch {
      return null;
    }
  }

  /** Every matching subscription outside a group, and one per group in turn. */
  private targets(address: string): ReceiverSubscription[] {
    const chosen: ReceiverSubscription[] = [];
    const groups = new Map<string, ReceiverSubscription[]>();
    for (const s of this.subscriptions) {
      if (s.pattern.match(address) === undefined) continue;
      if (s.options.group === undefined) chosen.push(s);
      else {
        const key = `${s.options.group}\u0000${s.pattern.template}`;
        groups.set(key, [...(groups.get(key) ?? []), s]);
      }
    }
    for (const [key, members] of groups) {
      const turn = this.groupTurns.get(key) ?? 0;
      this.groupTurns.set(key, turn + 1);
      const member = members[turn % members.length];
      if (member !== undefined) chosen.push(member);
    }
    return chosen;
  }

  private header(req: HttpRequest, name: string): string | undefined {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  private async handle(req: HttpRequest, res: ServerResponse, next: ((error?: unknown) => void) | undefined): Promise<void> {
    const o = this.options;
    const address = this.addressOf(req.url);
    if (address === null) return answer(res, 400, 'malformed percent-encoding in path');
    const targets = address === undefined ? [] : this.targets(address);
    if (address === undefined || targets.length === 0) return next ? next() : answer(res, 404, 'no webhook subscription for this path');
    if (this.closing) return answer(res, 503, 'shutting down', { connection: 'close' });
    if (req.method !== 'POST') return answer(res, 405, 'webhooks are POST only', { allow: 'POST' });
    const limit = o.maxBodyBytes ?? 1024 * 1024;
    if (Number(req.headers['content-length'] ?? 0) > limit) return answer(res, 413, `body over ${limit} bytes`, { connection: 'close' });
    const sigHeader = o.signatureHeader ?? DEFAULT_SIGNATURE_HEADER;
    const signature = this.header(req, sigHeader);
    if (signature === undefined || signature.trim() === '') return answer(res, 401, `missing ${sigHeader} header`);
    if (req.readableEnded) throw new Error('webhookReceiver: the request body was already read; mount the receiver before any body parser');
    const body = await readBody(req, limit);
    if (body === 'aborted') return;
    if (body === 'too-large') {
      // `connection: close` makes node destroy the socket after the answer instead of draining the rest.
      return answer(res, 413, `body over ${limit} bytes`, { connection: 'close' });
    }
    const tsHeader = o.timestampHeader ?? DEFAULT_TIMESTAMP_HEADER;
    const tolerance = o.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    const verdict = verifyWebhook({ secret: o.secret, body, signature, timestamp: this.header(req, tsHeader), signing: o.signing, toleranceSeconds: tolerance });
    if (!verdict.ok) return answer(res, 401, `webhook rejected: ${verdict.reason}`);
    const now = Date.now();
    const replayKey = signature.trim().toLowerCase();
    if (this.replays.has(replayKey, now)) return answer(res, 409, 'webhook already received (replay)');
    this.replays.add(replayKey, verdict.timestamp === undefined ? now + tolerance * 1000 : (verdict.timestamp + tolerance) * 1000, now);
    if (this.closing) {
      this.replays.delete(replayKey);
      return answer(res, 503, 'shutting down', { connection: 'close' });
    }

    const attempt = Number(this.header(req, o.attemptHeader ?? DEFAULT_ATTEMPT_HEADER) ?? 1);
    const message: IncomingMessage = {
      address,
      payload: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      headers: this.wireHeaders(req, [sigHeader, tsHeader, o.attemptHeader ?? DEFAULT_ATTEMPT_HEADER]),
      contentType: this.header(req, 'content-type'),
      deliveryAttempt: Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : 1,
    };
    // Tracked from here, with no await since the closing check, so close() waits for it.
    const delivery = this.deliver(targets, message, replayKey, res);
    this.deliveries.add(delivery);
    try {
      await delivery;
    } finally {
      this.deliveries.delete(delivery);
    }
  }

  private async deliver(targets: readonly ReceiverSubscription[], message: IncomingMessage, replayKey: string, res: ServerResponse): Promise<void> {
    // Each subscription says for itself whether it took the message (see IncomingMessage.refuse).
    const refusals = new Map<ReceiverSubscription, MessagingError>();
    const runs = targets.map((s) => this.run(s, { ...message, refuse: (error) => void (refusals.has(s) || refusals.set(s, error)) }));
    const failures = (await Promise.all(runs)).filter((f) => f !== undefined);
    const [refused] = refusals.values();
    // A 2xx tells the sender a handler took the event. One that none took is refused instead, so it
    // shows in the sender's delivery log rather than vanishing; a retry would be refused again.
    if (failures.length === 0 && refused !== undefined && refusals.size === targets.length) {
      return answer(res, refusalStatus(refused), `webhook refused: ${refusalReason(refused)}`);
    }
    if (failures.length === 0) return answer(res, 204, '');
    let retry = false;
    for (const { subscription, error } of failures) {
      const max = subscription.options.maxDeliveries;
      if (max === undefined || message.deliveryAttempt < max || subscription.options.onDeadLetter === undefined) retry = true;
      else {
        try {
          subscription.options.onDeadLetter(message, error);
        } catch (callbackError) {
          this.options.onError?.(callbackError);
        }
      }
    }
    if (!retry) return answer(res, 202, 'dead-lettered');
    // The sender may retry this very request (same second, same signature): let it in.
    this.replays.delete(replayKey);
    answer(res, 500, 'handler failed');
  }

  private async run(subscription: ReceiverSubscription, message: IncomingMessage): Promise<{ subscription: ReceiverSubscription; error: unknown } | undefined> {
    if (subscription.closed) return { subscription, error: new ClosedError('subscription closed') };
    const running = (async () => subscription.handler(message))();
    subscription.inFlight.add(running);
    try {
      await running;
      return undefined;
    } catch (error) {
      return { subscription, error };
    } finally {
      subscription.inFlight.delete(running);
    }
  }

  private wireHeaders(req: HttpRequest, signing: readonly string[]): Record<string, string> {
    const skip = new Set([...NOT_WIRE, ...signing.map((h) => h.toLowerCase())]);
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || skip.has(name)) continue;
      out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return out;
  }
}

/** 400 for bytes that are not the content type at all; 422 for a readable event the channel cannot take. */
// By `code`, not `instanceof`: the error comes from the client, whose runtime may be another copy
// (a runtime shared by several specs, or a client generated apart from this adapter).
function refusalStatus(error: MessagingError): number {
  return error.code === 'decode' ? 400 : 422;
}

/** Why, by field and keyword, never with the values: the answer lands in the sender's logs. */
function refusalReason(error: MessagingError): string {
  const fields = (issues: ValidationError['issues']): string => issues.map((i) => `${i.pointer === '' ? '(root)' : i.pointer} ${i.message}`).join('; ');
  if (error.code === 'validation') {
    const e = error as ValidationError;
    return `${e.messageId}: invalid ${e.part}: ${fields(e.issues)}`;
  }
  if (error.code === 'decode') return (error as DecodeError).reason;
  if (error.code === 'unknown-message') {
    const tried = (error as UnknownMessageError).candidates.map((c) => `${c.messageId}: ${fields(c.issues)}`).join(' | ');
    return `the event matches no message of this path${tried === '' ? '' : ` (${tried})`}`;
  }
  return error.message;
}

export function webhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  return new WebhookReceiver(options);
}
