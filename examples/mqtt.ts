/**
 * MQTT 5: user-session events as binary CloudEvents (attributes as user properties), QoS 1.
 * Run: npx codegen && MQTT_URL=mqtt://127.0.0.1:1883 npx tsx examples/mqtt.ts
 */
import { createUserSessionsClient, type UserSessionEnd } from '../generated/user-sessions/index.js';
import { connectMqtt } from '../generated/user-sessions/runtime/mqtt.js';

const transport = await connectMqtt({ url: process.env['MQTT_URL'] ?? 'mqtt://127.0.0.1:1883', qos: 1 });
const client = createUserSessionsClient(transport, { cloudEvents: { mode: 'binary' } });

let resolve: (event: UserSessionEnd) => void = () => undefined;
const received = new Promise<UserSessionEnd>((r) => (resolve = r));
await client.userSessionEnd.subscribe(async (event) => resolve(event));
await client.userSessionEnd.emit({ source: 'com.qlik/edge-auth', tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69', data: { subject: 'auth0\\foo' } });
const event = await received;
console.log(`received ${event.type} ${event.id} over MQTT`);
await transport.close();
