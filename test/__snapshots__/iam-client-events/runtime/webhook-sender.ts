/** The sending end of HTTP webhooks: each published message POSTed, signed, with retries and backoff. */
import { ClosedError, MessagingError, UnsupportedError } from './errors.js';
import type { OutgoingMessage, Transport, TransportSubscription } from './transport.js';
import { DEFAULT_ATTEMPT_HEADER, DEFAULT_SIGNING, DEFAULT_SIGNATURE_HEADER, DEFAULT_TIMESTAMP_HEADER, signWebhook, type WebhookSecret } from './webhook-signature.js';
import { HTTP_BINDING, type HeaderNames } from './webhook-http.js';

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
  readonly system = 'webhook';
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
