/**
 * WebSocket: the service serves its channels as URL paths (the Node server side), a client (Node
 * here; in a browser the same code with `connectWebSocket` from runtime/websocket.js) sends to it
 * and receives what it pushes. Frames carry the payload only: CloudEvents go structured.
 * Run: npx codegen && npx tsx examples/websocket.ts
 */
import { createUserSessionsClient, type UserSessionBegin, type UserSessionEnd } from '../generated/user-sessions/index.js';
import { connectNodeWebSocket, webSocketServer } from '../generated/user-sessions/runtime/websocket-node.js';

const server = webSocketServer({ basePath: '/events' });
const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
const service = createUserSessionsClient(server);

let begun: (event: UserSessionBegin) => void = () => undefined;
const received = new Promise<UserSessionBegin>((r) => (begun = r));
await service.userSessionBegin.subscribe(async (event) => begun(event));

// The client's socket opens at <url>/system-events.user-session, the channel's address.
const transport = connectNodeWebSocket({ url });
const client = createUserSessionsClient(transport);
let ended: (event: UserSessionEnd) => void = () => undefined;
const pushed = new Promise<UserSessionEnd>((r) => (ended = r));
await client.userSessionEnd.subscribe(async (event) => ended(event));

await client.userSessionBegin.emit({ source: 'com.qlik/edge-auth', tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69', data: { subject: 'auth0\\foo' } });
const begin = await received;
console.log(`received ${begin.type} ${begin.id} at ${url}`);
// The server pushes to every client connected at the address (none connected: nobody gets it).
await service.userSessionEnd.emit({ source: 'com.qlik/edge-auth', tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69', data: { subject: 'auth0\\foo' } });
const end = await pushed;
console.log(`pushed ${end.type} ${end.id} to ${server.peers().length} client`);
await transport.close();
await server.close();
