/**
 * Signed HTTP webhooks, Qlik style: a receiver verifies the HMAC-SHA256 signature before anything
 * else and answers 2xx only after the handler succeeds; a sender signs and retries.
 * Run: npx codegen && npx tsx examples/webhook.ts
 */
import { createUserSessionsClient, type UserSessionBegin } from '../generated/user-sessions/index.js';
import { webhookReceiver, webhookSender } from '../generated/user-sessions/runtime/webhook.js';

const secret = process.env['WEBHOOK_SECRET'] ?? 'change-me';
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
