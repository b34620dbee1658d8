/**
 * Signing and verifying webhook requests with HMAC-SHA256, compatible with Qlik Cloud.
 *
 * The default, `signing: 'body'`, is what Qlik Cloud sends: `Qlik-Signature: hex(HMAC-SHA256(
 * secret, raw request body))` and no timestamp (https://qlik.dev/apis/event, "Verify webhook
 * payload signature"), so a receiver verifies a real Qlik delivery with no option set.
 *
 * A body-only signature cannot tell a fresh request from a recorded one once the receiver's
 * replay memory has forgotten it. For senders that can sign a time too, `signing: 'timestamp-body'`
 * (set on both ends) adds one:
 *
 *   `webhook-timestamp`: Unix time in whole seconds, decimal (`1767225600`)
 *   `qlik-signature`:    lowercase hex of HMAC-SHA256(secret, timestamp + "." + raw body)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What the HMAC covers: the body alone (default: Qlik Cloud's form) or `timestamp + "." + body`. */
export type WebhookSigning = 'timestamp-body' | 'body';

export const DEFAULT_SIGNING: WebhookSigning = 'body';

/** A shared secret; a list lets a receiver accept the old and the new secret while rotating. */
export type WebhookSecret = string | Uint8Array;

export const DEFAULT_SIGNATURE_HEADER = 'qlik-signature';
export const DEFAULT_TIMESTAMP_HEADER = 'webhook-timestamp';
export const DEFAULT_ATTEMPT_HEADER = 'webhook-attempt';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface SignWebhookInput {
  readonly secret: WebhookSecret;
  /** The exact bytes sent as the request body. */
  readonly body: Uint8Array | string;
  /** Unix seconds; required with `signing: 'timestamp-body'`. */
  readonly timestamp?: number | string | undefined;
  readonly signing?: WebhookSigning | undefined;
}

export interface VerifyWebhookInput {
  /** The secret, or several during a rotation: any one that matches is enough. */
  readonly secret: WebhookSecret | readonly WebhookSecret[];
  readonly body: Uint8Array | string;
  /** The signature header's value, as received. */
  readonly signature: string | undefined;
  /** The timestamp header's value, as received (read with `signing: 'timestamp-body'` only). */
  readonly timestamp?: string | undefined;
  readonly signing?: WebhookSigning | undefined;
  /** How far the timestamp may be from now, either way. Default 300. */
  readonly toleranceSeconds?: number | undefined;
  /** The current time in milliseconds (for tests). Default `Date.now()`. */
  readonly now?: number | undefined;
}

export type WebhookRejection = 'missing-signature' | 'bad-signature' | 'missing-timestamp' | 'stale-timestamp';

export type WebhookVerdict =
  | { readonly ok: true /** The signed timestamp in Unix seconds; absent with `signing: 'body'`. */; readonly timestamp?: number | undefined }
  | { readonly ok: false; readonly reason: WebhookRejection };

const TIMESTAMP = /^\d{1,15}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

function bytes(value: Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? new TextEncoder().encode(value) : value;
}

function mac(secret: WebhookSecret, timestamp: string | undefined, body: Uint8Array): Buffer {
  const hmac = createHmac('sha256', bytes(secret));
  if (timestamp !== undefined) hmac.update(`${timestamp}.`);
  return hmac.update(body).digest();
}

/** The signature header value: lowercase hex HMAC-SHA256. */
export function signWebhook(input: SignWebhookInput): string {
  const signing = input.signing ?? DEFAULT_SIGNING;
  if (signing === 'body') return mac(input.secret, undefined, bytes(input.body)).toString('hex');
  const timestamp = input.timestamp === undefined ? undefined : String(input.timestamp);
  if (timestamp === undefined || !TIMESTAMP.test(timestamp)) {
    throw new Error(`signWebhook: signing "timestamp-body" needs a timestamp in whole Unix seconds (got ${JSON.stringify(input.timestamp)})`);
  }
  return mac(input.secret, timestamp, bytes(input.body)).toString('hex');
}

/**
 * Checks a request's signature (constant-time) and, unless `signing` is `'body'`, that its signed
 * timestamp is within the tolerance. It does not detect replays inside the tolerance window: that
 * needs memory of what was seen, which `webhookReceiver` keeps.
 */
export function verifyWebhook(input: VerifyWebhookInput): WebhookVerdict {
  const signing = input.signing ?? DEFAULT_SIGNING;
  const signature = input.signature?.trim();
  if (signature === undefined || signature === '') return { ok: false, reason: 'missing-signature' };
  const timestamp = signing === 'body' ? undefined : input.timestamp?.trim();
  if (signing !== 'body' && (timestamp === undefined || timestamp === '')) return { ok: false, reason: 'missing-timestamp' };
  // A malformed timestamp cannot have been signed by us; it is a bad signature, not a stale one.
  if (timestamp !== undefined && !TIMESTAMP.test(timestamp)) return { ok: false, reason: 'bad-signature' };
  if (!HEX_SHA256.test(signature)) return { ok: false, reason: 'bad-signature' };
  const given = Buffer.from(signature, 'hex');
  const body = bytes(input.body);
  const secrets: readonly WebhookSecret[] = typeof input.secret === 'string' || input.secret instanceof Uint8Array ? [input.secret] : input.secret;
  // Every secret is tried, so the time taken does not say which one matched.
  let matched = false;
  for (const secret of secrets) if (timingSafeEqual(mac(secret, timestamp, body), given)) matched = true;
  if (!matched) return { ok: false, reason: 'bad-signature' };
  if (timestamp === undefined) return { ok: true };
  const seconds = Number(timestamp);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = (input.now ?? Date.now()) / 1000;
  if (Math.abs(now - seconds) > tolerance) return { ok: false, reason: 'stale-timestamp' };
  return { ok: true, timestamp: seconds };
}
