/**
 * The output options: only the `userSessionBegin` operation (filter), imports without an extension
 * for a bundler (importExtension ""), an eslint-disable header, and formatted by the project's biome.
 * Run: cd examples/output-options && npx codegen && npx tsx main.ts
 */
import { createUserSessionsClient } from '../../generated/output-options/index';
import { MemoryTransport } from '../../generated/output-options/runtime/memory';

const transport = new MemoryTransport();
const client = createUserSessionsClient(transport);

await client.userSessionBegin.subscribe((event) => {
  console.log(`received ${event.type} for ${event.data.subject}`);
});
await client.userSessionBegin.emit({ source: 'com.qlik/edge-auth', tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69', data: { subject: 'auth0\\foo' } });
// The filter left userSessionEnd out: the client has no such member.
console.log(`members: ${Object.keys(client).join(', ')}`);
await transport.idle();
await transport.close();
