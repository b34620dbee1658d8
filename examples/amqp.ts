/**
 * RabbitMQ: IAM client events on a topic exchange, a durable group queue, dead-letter after 3 failures.
 * Run: npx codegen && AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npx tsx examples/amqp.ts
 */
import { createIAMServiceClientEventsClient, type ClientCreated } from '../generated/iam-client-events/index.js';
import { connectAmqp } from '../generated/iam-client-events/runtime/amqp.js';

const transport = await connectAmqp({ url: process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672', exchange: 'iam-examples' });
const client = createIAMServiceClientEventsClient(transport);

let resolve: (event: ClientCreated) => void = () => undefined;
const received = new Promise<ClientCreated>((r) => (resolve = r));
await client.clientCreated.subscribe(async (event) => resolve(event), {
  maxDeliveries: 3,
  onDeadLetter: (message, error) => console.error(`dead-lettered ${message.address}:`, error),
});
// `name` (the envelope's discriminator) is filled from the schema's const.
await client.clientCreated.publish({
  namespace: 'accelbyte',
  timestamp: new Date().toISOString(),
  payload: { client: { clientId: 'c-1', name: 'game-server', clientType: 'Confidential', namespace: 'accelbyte', twoFactorEnabled: false } },
});
const event = await received;
console.log(`received ${event.name} over RabbitMQ`);
await transport.close();
