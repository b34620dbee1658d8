/**
 * In-process: publish and receive a user-session event with no broker at all.
 * Run: npx codegen && npx tsx examples/memory.ts
 */
import { createUserSessionsClient } from '../generated/user-sessions/index.js';
import { MemoryTransport } from '../generated/user-sessions/runtime/memory.js';

const transport = new MemoryTransport();
const client = createUserSessionsClient(transport);

await client.userSessionBegin.subscribe((event, ctx) => {
  console.log(`received ${event.type} for ${event.data.subject} on ${ctx.address}`);
});
// emit() fills id, time, specversion and type, then validates and publishes.
await client.userSessionBegin.emit({ source: 'com.qlik/edge-auth', tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69', data: { subject: 'auth0\\foo' } });
await transport.idle();
await transport.close();
