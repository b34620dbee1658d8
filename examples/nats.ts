/**
 * NATS JetStream: a durable consumer group receives user-session events; binary CloudEvents (ce- headers).
 * Run: npx codegen && NATS_URL=127.0.0.1:4222 npx tsx examples/nats.ts
 */
import { createUserSessionsClient, type UserSessionBegin } from '../generated/user-sessions/index.js';
import { connectNats } from '../generated/user-sessions/runtime/nats.js';

const transport = await connectNats({
  servers: process.env['NATS_URL'] ?? '127.0.0.1:4222',
  jetstream: { ensureStream: { name: 'SYSTEM_EVENTS', subjects: ['system-events.>'] } },
});
const client = createUserSessionsClient(transport, { cloudEvents: { mode: 'binary' } });

let resolve: (event: UserSessionBegin) => void = () => undefined;
const received = new Promise<UserSessionBegin>((r) => (resolve = r));
await client.userSessionBegin.subscribe(async (event) => resolve(event), { group: 'audit' });
await client.userSessionBegin.emit({ source: 'com.qlik/edge-auth', tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69', data: { subject: 'auth0\\foo' } });
const event = await received;
console.log(`received ${event.type} ${event.id} over NATS JetStream`);
await transport.close();
