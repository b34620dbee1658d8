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
export { signWebhook, verifyWebhook } from './webhook-signature.js';
export type { WebhookSecret, WebhookSigning, WebhookVerdict } from './webhook-signature.js';
export * from './webhook-sender.js';
export * from './webhook-receiver.js';
