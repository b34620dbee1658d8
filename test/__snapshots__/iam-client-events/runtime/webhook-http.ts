/** What both ends of a webhook share: the CloudEvents HTTP binding and the header names. */
import type { CloudEventsBinding } from './transport.js';
import type { WebhookSigning } from './webhook-signature.js';

export const HTTP_BINDING: CloudEventsBinding = { headerPrefix: 'ce-', binary: true };

/** Header names shared by both ends (case-insensitive). */
export interface HeaderNames {
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
