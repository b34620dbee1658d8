/**
 * Signed HTTP webhooks as Qlik Cloud sends them: a receiver verifies Qlik-Signature (hex
 * HMAC-SHA256 of the raw body) before anything else and answers 2xx only once a handler took the
 * event; a sender signs the same way and retries.
 * Run: npx codegen && WEBHOOK_SECRET=<32 to 64 characters> npx tsx examples/webhook.ts
 */
import { randomBytes } from 'node:crypto';
import { createUserSessionsClient, type UserSessionBegin } from '../generated/user-sessions/index.js';
import { webhookReceiver, webhookSender } from '../generated/user-sessions/runtime/webhook.js';

// Sender and receiver are both here, so without a secret a random one will do; never a fixed one.
const secret = process.env['WEBHOOK_SECRET'] ?? randomBytes(24).toString('hex');
const receiver = webhookReceiver({ secret, basePath: '/hooks' });
const { url } = await receiver.listen({ port: 0, host: '127.0.0.1' });

let resolve: (event: UserSessionBegin) => void = () => undefined;
const received = new Promise<UserSessionBegin>((r) => (resolve = r));
await createUserSessionsClient(receiver).userSessionBegin.subscribe(async (event) => resolve(event));
const sender = createUserSessionsClient(webhookSender({ url, secret }));
await sender.userSessionBegin.emit({ source: 'com.qlik/edge-auth', tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69', data: { subject: 'auth0\\foo' } });
const event = await received;
console.log(`received ${event.type} ${event.id} at ${url}`);
await receiver.close();
