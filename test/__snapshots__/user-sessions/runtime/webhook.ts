/**
 * HTTP webhooks as a transport: `webhookSender` POSTs each published message, signed, to a URL
 * per address; `webhookReceiver` verifies, routes by path and answers 2xx only once the handler
 * has succeeded, so the sender's retries play the part of a broker's redelivery.
 *
 * Receiver answers, in the order they are checked:
 *   404 no subscription for the path (middleware: `next()` instead) · 400 malformed path
 *   503 closing · 405 not POST · 413 body over `maxBodyBytes` (Content-Length, or while streaming)
 *   401 signature missing or wrong; with `signing: 'timestamp-body'`, timestamp missing or outside
 *       `toleranceSeconds` (the default, `'body'`, is Qlik Cloud's form and has no timestamp)
 *   409 the same signature is under way or was handled within the tolerance window (a replay;
 *       a handler failure forgets it, so the sender's retry is let in; senders do not retry a 409)
 *   400 the body cannot be read as its content type (not JSON, not UTF-8)
 *   422 a readable event the channel refuses: it fails the schema, matches no message of the
 *       channel, or no handler of the group takes it. The answer says which field and why, never
 *       the values. A retry would be refused again, and a 4xx shows in the sender's delivery log.
 *   500 a handler rejected (the sender retries) · 204 a handler took it · 202 dead-lettered after `maxDeliveries`
 * Nothing is parsed and no handler runs before the signature (and timestamp) have been checked.
 */
import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AddressPattern } from './address.js';
import { ClosedError, DecodeError, MessagingError, UnknownMessageError, UnsupportedError, UsageError, ValidationError } from './errors.js';
import type { CloudEventsBinding, DeliveryHandler, IncomingMessage, OutgoingMessage, Transport, TransportSubscribeOptions, TransportSubscription } from './transport.js';
import {
  DEFAULT_ATTEMPT_HEADER,
  DEFAULT_SIGNING,
  DEFAULT_SIGNATURE_HEADER,
  DEFAULT_TIMESTAMP_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  signWebhook,
  verifyWebhook,
  type WebhookSecret,
  type WebhookSigning,
} from './webhook-signature.js';

export { signWebhook, verifyWebhook } from './webhook-signature.js';
export type { WebhookSecret, WebhookSigning, WebhookVerdict } from './webhook-signature.js';

const HTTP_BINDING: CloudEventsBinding = { headerPrefix: 'ce-', binary: true };

/** Header names shared by both ends (case-insensitive). */
interface HeaderNames {
  /** Default `qlik-signature`, as Qlik Cloud sends it. */
  readonly signatureHeader?: string | undefined;
  /** Default `webhook-timestamp` (Unix seconds); read with `signing: 'timestamp-body'` only. */
  readonly timestampHeader?: string | undefined;
  /** Default `webhook-attempt`: 1 on the first try; the receiver's `deliveryAttempt`. */
  readonly attemptHeader?: string | undefined;
  /**
   * Default `'body'`: Qlik Cloud's form, HMAC of the body alone, so a Qlik delivery verifies as it is.
   * `'timestamp-body'` also signs a `webhook-timestamp`, refusing replays by time; set it on both ends.
   */
  readonly signing?: WebhookSigning | undefined;
}

export interface WebhookFetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}
export type WebhookFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: Uint8Array<ArrayBuffer>; signal: AbortSignal }) => Promise<WebhookFetchResponse>;

export interface WebhookSenderOptions extends HeaderNames {
  /** Base URL (the address is appended as path segments) or a function from address to URL. */
  readonly url: string | ((address: string) => string);
  readonly secret: WebhookSecret;
  /** Sent with every request; the message's own headers win over these. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Per attempt. Default 10000. */
  readonly timeoutMs?: number | undefined;
  /** Retries after the first attempt on network errors, timeouts, 5xx and 429. Default 3. */
  readonly retries?: number | undefined;
  /** First backoff, doubled per retry (with jitter) up to `maxRetryDelayMs`. Defaults 200 and 5000. */
  readonly retryDelayMs?: number | undefined;
  readonly maxRetryDelayMs?: number | undefined;
  readonly fetch?: WebhookFetch | undefined;
}

/** A delivery that did not get a 2xx answer. `status` is absent when no answer came at all. */
export class WebhookDeliveryError extends MessagingError {
  constructor(
    message: string,
    readonly url: string,
    readonly attempts: number,
    readonly status?: number | undefined,
    readonly body?: string | undefined,
    options?: ErrorOptions,
  ) {
    // No answer at all is an unreachable receiver; an answer other than 2xx is a refusal.
    super(status === undefined ? 'unavailable' : 'rejected', message, options);
    this.name = 'WebhookDeliveryError';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** `base/a/b%20c` for address `a/b c`: each segment percent-encoded, slashes kept. */
function joinUrl(base: string, address: string): string {
  const path = address.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');
  return `${base.replace(/\/+$/, '')}/${path}`;
}

export class WebhookSender implements Transport {
  readonly cloudEvents = HTTP_BINDING;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: WebhookSenderOptions) {}

  async publish(address: string, message: OutgoingMessage): Promise<void> {
    if (this.closed) throw new ClosedError('webhookSender is closed');
    const delivery = this.deliver(address, message);
    this.inFlight.add(delivery);
    try {
      await delivery;
    } finally {
      this.inFlight.delete(delivery);
    }
  }

  subscribe(): Promise<TransportSubscription> {
    return Promise.reject(new UnsupportedError('webhookSender only sends: use webhookReceiver to receive webhooks'));
  }

  /** Stops new publishes and waits for the ones under way, retries included. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(address: string, message: OutgoingMessage): Promise<void> {
    const o = this.options;
    const url = typeof o.url === 'string' ? joinUrl(o.url, address) : o.url(address);
    const names = { sig: o.signatureHeader ?? DEFAULT_SIGNATURE_HEADER, ts: o.timestampHeader ?? DEFAULT_TIMESTAMP_HEADER, attempt: o.attemptHeader ?? DEFAULT_ATTEMPT_HEADER };
    const base: Record<string, string> = { ...lowerKeys(o.headers ?? {}), ...lowerKeys(message.headers) };
    if (message.contentType !== undefined) base['content-type'] = message.contentType;
    // Invalid header names or values fail here, once, instead of looking like network errors.
    new Headers(base);
    const body = new Uint8Array(message.payload);
    const retries = Math.max(0, o.retries ?? 3);
    const send = o.fetch ?? ((u, init) => fetch(u, init));
    for (let attempt = 1; ; attempt++) {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = { ...base, [names.attempt]: String(attempt), [names.sig]: signWebhook({ secret: o.secret, body, timestamp, signing: o.signing }) };
      if ((o.signing ?? DEFAULT_SIGNING) === 'timestamp-body') headers[names.ts] = String(timestamp);
      let failure: WebhookDeliveryError;
      let retryable: boolean;
      let retryAfterMs: number | undefined;
      try {
        const response = await send(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
        const text = await response.text().catch(() => '');
        if (response.status >= 200 && response.status < 300) return;
        const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
        // The receiver's answer stays on `body`, out of the message that gets logged: a receiver that echoes the request would leak its secrets there.
        failure = new WebhookDeliveryError(`webhook POST ${url} answered ${response.status}`, url, attempt, response.status, snippet);
        retryable = response.status >= 500 || response.status === 429;
        const after = Number(response.headers.get('retry-after'));
        if (after > 0) retryAfterMs = after * 1000;
      } catch (error) {
        failure = new WebhookDeliveryError(`webhook POST ${url} failed: ${error instanceof Error ? error.message : String(error)}`, url, attempt, undefined, undefined, { cause: error });
        retryable = true;
      }
      if (!retryable || attempt > retries) {
        if (attempt > 1) failure.message += ` (after ${attempt} attempts)`;
        throw failure;
      }
      const backoff = Math.min(o.maxRetryDelayMs ?? 5000, (o.retryDelayMs ?? 200) * 2 ** (attempt - 1));
      await sleep(Math.min(o.maxRetryDelayMs ?? 5000, retryAfterMs ?? backoff / 2 + Math.random() * (backoff / 2)));
    }
  }
}

export function webhookSender(options: WebhookSenderOptions): WebhookSender {
  return new WebhookSender(options);
}

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
const NOT_WIRE = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'content-length', 'content-type', 'accept', 'accept-encoding', 'accept-language', 'user-agent', 'sec-fetch-mode']);

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
function refusalStatus(error: MessagingError): number {
  return error instanceof DecodeError ? 400 : 422;
}

/** Why, by field and keyword, never with the values: the answer lands in the sender's logs. */
function refusalReason(error: MessagingError): string {
  const fields = (issues: ValidationError['issues']): string => issues.map((i) => `${i.pointer === '' ? '(root)' : i.pointer} ${i.message}`).join('; ');
  if (error instanceof ValidationError) return `${error.messageId}: invalid ${error.part}: ${fields(error.issues)}`;
  if (error instanceof DecodeError) return error.reason;
  if (error instanceof UnknownMessageError) {
    const tried = error.candidates.map((c) => `${c.messageId}: ${fields(c.issues)}`).join(' | ');
    return `the event matches no message of this path${tried === '' ? '' : ` (${tried})`}`;
  }
  return error.message;
}

export function webhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  return new WebhookReceiver(options);
}
