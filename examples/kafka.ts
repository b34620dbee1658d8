/**
 * Kafka: IAM client events keyed by client id, committed after the handler succeeds.
 * Needs a broker: KAFKA_BROKERS=127.0.0.1:9092 npx tsx examples/kafka.ts (the tests run it on librdkafka's mock cluster)
 */
import { createIAMServiceClientEventsClient, type ClientDeleted } from '../generated/iam-client-events/index.js';
import { connectKafka } from '../generated/iam-client-events/runtime/kafka.js';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const transport = await connectKafka({ brokers, clientId: 'iam-example', key: 'payload.client.clientId' });
const client = createIAMServiceClientEventsClient(transport);

let resolve: (event: ClientDeleted) => void = () => undefined;
const received = new Promise<ClientDeleted>((r) => (resolve = r));
await client.clientDeleted.subscribe(async (event) => resolve(event), { group: 'iam-example' });
await client.clientDeleted.publish({ namespace: 'accelbyte', timestamp: new Date().toISOString(), payload: { client: { clientId: 'c-1' } } });
const event = await received;
console.log(`received ${event.name} over Kafka`);
await transport.close();
